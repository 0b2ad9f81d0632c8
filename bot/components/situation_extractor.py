"""Finds what the person says about their situation: needs, kinds of abuse, who is writing and about whom, ages
and places.

A spaCy PhraseMatcher over the blank pipeline's tokens matches the phrase book and the catalogue's town names
and postcode districts; a regex finds full postcodes and stated ages. Everything here is deterministic, so a
need someone names is never lost to a classifier's guess.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.matcher import PhraseMatcher

from bot.components.phrases import load_phrase_book
from common.postcodes import FULL_POSTCODE
from common.text import fold_letters

logger = logging.getLogger(__name__)

NOT_AN_AGE = r"(?!\s*(?:weeks?|wks?|months?|days?|hours?|hrs?|mins?|minutes?|miles?|kids|children|times|%))"
AGE_PATTERNS = (
    re.compile(r"\b(?:i'?m|i am|aged?)\s+(\d{1,3})\b" + NOT_AN_AGE, re.IGNORECASE),
    re.compile(r"\b(\d{1,3})\s*(?:years?|yrs?|yr)[\s-]*old\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,3})\s*(?:yo|y/o|y\.o\.)\b", re.IGNORECASE),
)


def needs_for_age(age: int) -> list[str]:
    if age < 13:
        return ["child"]
    if age < 18:
        return ["young_person"]
    if age >= 60:
        return ["older_adult"]
    return []


def _place_spellings() -> dict[str, list[str]]:
    """Town names from the live catalogue; the seed file when the catalogue is unreachable at start-up."""
    from services_catalogue.db import CatalogueUnavailable
    from services_catalogue.query import place_spellings
    from services_catalogue.seeding import load_yaml

    try:
        return place_spellings()
    except CatalogueUnavailable:
        logger.warning("Catalogue unreachable at start-up: place names come from the seed file.")
        return {
            a["code"]: [a["name"], *a.get("aliases", []), *a.get("postcodes", [])]
            for a in load_yaml("areas.yml")
            if a["kind"] != "national"
        }


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP")
class SituationExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config
        self._matcher: PhraseMatcher | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SituationExtractor:
        return cls(config)

    def _build_matcher(self, nlp) -> PhraseMatcher:
        book = load_phrase_book()
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for code, phrases in book.needs.items():
            matcher.add(f"need|{code}", [nlp.make_doc(p) for p in phrases])
        for code, phrases in book.abuse_types.items():
            matcher.add(f"abuse_type|{code}", [nlp.make_doc(p) for p in phrases])
        for entity, values in book.who.items():
            for value, phrases in values.items():
                matcher.add(f"{entity}|{value}", [nlp.make_doc(p) for p in phrases])
        for code, spellings in _place_spellings().items():
            matcher.add(f"place|{code}", [nlp.make_doc(fold_letters(s)) for s in spellings])
        return matcher

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        if self._matcher is None:
            self._matcher = self._build_matcher(model.model)
        for message in messages:
            text = message.get(TEXT) or ""
            # As the phrase book's lists are folded. Offsets are the folded text's: the same for all but the odd
            # character a phone sends in a compatibility form.
            doc = model.model.make_doc(fold_letters(text))
            found = self._phrase_entities(doc) + self._postcode_entities(text) + self._age_entities(text)
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages

    def _phrase_entities(self, doc) -> list[dict[str, Any]]:
        entities, seen = [], set()
        assert self._matcher is not None, "process() builds the matcher before the first message"
        matches = [
            (doc.vocab.strings[match_id].split("|", 1), start, end) for match_id, start, end in self._matcher(doc)
        ]
        places = [(start, end) for (kind, _), start, end in matches if kind == "place"]
        for (kind, code), start, end in matches:
            if kind == "place" and any(s <= start and end <= e and e - s > end - start for s, e in places):
                continue  # part of a longer name: "بکنگھم" in "بکنگھم شائر" is the county, not the town
            span = doc[start:end]
            value = span.text if kind == "place" else code  # folded: the catalogue folds names the same way
            if (kind, value) in seen:
                continue
            seen.add((kind, value))
            entities.append(
                {
                    "entity": kind,
                    "value": value,
                    "start": span.start_char,
                    "end": span.end_char,
                    "confidence_entity": 1.0,
                }
            )
        return entities

    @staticmethod
    def _postcode_entities(text: str) -> list[dict[str, Any]]:
        return [
            {
                "entity": "place",
                "value": m.group(0).upper(),
                "start": m.start(),
                "end": m.end(),
                "confidence_entity": 1.0,
            }
            for m in FULL_POSTCODE.finditer(text)
        ]

    @staticmethod
    def _age_entities(text: str) -> list[dict[str, Any]]:
        entities = []
        for pattern in AGE_PATTERNS:
            for match in pattern.finditer(text):
                for need in needs_for_age(int(match.group(1))):
                    entities.append(
                        {
                            "entity": "need",
                            "value": need,
                            "start": match.start(),
                            "end": match.end(),
                            "confidence_entity": 1.0,
                        }
                    )
        return entities
