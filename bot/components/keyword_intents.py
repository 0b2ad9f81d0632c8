"""Intents the words themselves decide, so a classifier's guess can never hide them: the safety net.

Runs after DIET and before the fallback classifier. A danger phrase anywhere in a message, or a whole message
that is an exit command or the ANI codeword, sets that intent with full confidence, whatever DIET guessed.
Exit and ANI must be the whole message so that "he won't let me leave" is never taken as "leave". A message
that is nothing but a postcode is someone saying where they are.
"""
from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.intent_override import force_intent
from bot.components.phrases import PhraseBook, load_phrase_book, normalise

DANGER, QUICK_EXIT, ANI_CODEWORD, INFORM_PLACE = "danger", "quick_exit", "ani_codeword", "inform_place"
POSTCODE_ONLY = re.compile(r"^\s*[A-Z]{1,2}\d[A-Z\d]?(?:\s*\d[A-Z]{2})?\s*$", re.IGNORECASE)


def keyword_intent(text: str, book: PhraseBook) -> str | None:
    """The intent the words themselves demand, if any."""
    message = normalise(text)
    if message in book.exit_words:
        return QUICK_EXIT
    if message in book.ani_codewords:
        return ANI_CODEWORD
    padded = f" {message} "
    if any(f" {phrase} " in padded for word in set(message.split()) for phrase in book.danger_phrases.get(word, ())):
        return DANGER
    if POSTCODE_ONLY.match(text):
        return INFORM_PLACE
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class KeywordIntents(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self, book: PhraseBook) -> None:
        self._book = book

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "KeywordIntents":
        return cls(load_phrase_book())

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = keyword_intent(message.get(TEXT) or "", self._book)
            if intent is not None:
                force_intent(message, intent)
        return messages
