"""Rasa component: tags each message with its language (entity `language`, which fills the `language` slot)
and Roman Urdu writing (entity `writing`). Naming a language ("Polski", "اردو") is the intent to switch."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.intent_override import force_intent
from bot.components.language_detection import detect, langdetect_probabilities
from bot.components.phrases import PhraseBook, load_phrase_book

CHOOSE_LANGUAGE = "choose_language"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
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
    ) -> LanguageDetector:
        langdetect_probabilities("warm up the language profiles")  # load once at start-up, not on a message
        return cls(load_phrase_book())

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            detection = detect(text, self._book)
            found = []
            if detection.language:
                found.append({"entity": "language", "value": detection.language, "start": 0, "end": len(text)})
            if detection.roman_urdu:
                found.append({"entity": "writing", "value": "roman_urdu", "start": 0, "end": len(text)})
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
            if detection.chosen:
                force_intent(message, CHOOSE_LANGUAGE)
        return messages
