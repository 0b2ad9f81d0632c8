"""Intents the words themselves decide, so a classifier's guess can never hide them: the safety net.

Runs after the intent classifier and before the fallback classifier. A danger phrase anywhere in a message, or a
whole message that is an exit command or the ANI codeword, sets that intent with full confidence, whatever the
classifier guessed. Exit and ANI must be the whole message so that "he won't let me leave" is never taken as
"leave". A message that is nothing but a postcode is someone saying where they are.

Every danger message, whether the phrases or the classifier found it, also carries a danger_advice entity: the
advice that fits what the phrases say (injury, suicidal feelings, a child hurt now, being followed), or
"general". The danger rules in data/rules/safety.yml choose the reply from it.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.components.intent_override import force_intent
from bot.components.phrases import ADVICE_PRIORITY, DANGER_ADVICE, PhraseBook, load_phrase_book
from common.text import normalise

DANGER, QUICK_EXIT, ANI_CODEWORD, INFORM_PLACE = "danger", "quick_exit", "ani_codeword", "inform_place"
DANGER_ADVICE_ENTITY = "danger_advice"
POSTCODE_ONLY = re.compile(r"^\s*[A-Z]{1,2}\d[A-Z\d]?(?:\s*\d[A-Z]{2})?\s*$", re.IGNORECASE)


def _spans(padded: str, phrase: str) -> list[tuple[int, int]]:
    """Where the phrase stands in the padded message as a run of whole words."""
    needle, spans, start = f" {phrase} ", [], padded.find(f" {phrase} ")
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = padded.find(needle, start + 1)
    return spans


def danger_kinds(text: str, book: PhraseBook) -> set[str]:
    """The kinds of danger whose phrases the message holds, as runs of whole words, except a phrase inside a
    statement of not being in danger; any other danger phrase in the same message still counts."""
    message = normalise(text)
    padded, words = f" {message} ", set(message.split())
    safe = [span for word in words for phrase in book.safe_statements.get(word, ()) for span in _spans(padded, phrase)]
    return {
        kind
        for word in words
        for phrase, kind in book.danger_phrases.get(word, ())
        for start, end in _spans(padded, phrase)
        if not any(s < end - 1 and start + 1 < e for s, e in safe)
    }


def danger_advice(kinds: set[str]) -> str:
    advice = {DANGER_ADVICE[kind] for kind in kinds}
    return next((a for a in ADVICE_PRIORITY if a in advice), "general")


def keyword_intent(text: str, book: PhraseBook) -> str | None:
    """The intent the words themselves demand, if any."""
    message = normalise(text)
    if message in book.exit_words:
        return QUICK_EXIT
    if message in book.ani_codewords:
        return ANI_CODEWORD
    if danger_kinds(text, book):
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
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KeywordIntents:
        return cls(load_phrase_book())

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = keyword_intent(text, self._book)
            if intent is not None:
                force_intent(message, intent)
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == DANGER:
                advice = danger_advice(danger_kinds(text, self._book))
                message.set(
                    ENTITIES,
                    [
                        *(message.get(ENTITIES) or []),
                        {
                            ENTITY_ATTRIBUTE_TYPE: DANGER_ADVICE_ENTITY,
                            ENTITY_ATTRIBUTE_VALUE: advice,
                            "extractor": type(self).__name__,
                        },
                    ],
                    add_to_output=True,
                )
        return messages
