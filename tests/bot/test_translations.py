"""Every response exists in every language, with the same placeholders and the same safety numbers."""

import re
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from common.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "bot/domain"))
TRANSLATED = tuple(language for language in LANGUAGES if language != "en")
ALREADY_MULTILINGUAL = {"utter_choose_language", "language_offer_roman_urdu"}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
SAFETY_NUMBERS = ("999", "0808 2000 247", "18000", "101")


def language_of(variation):
    return next((c["value"] for c in variation.get("condition") or [] if c["name"] == "language"), None)


def other_conditions(variation):
    return tuple(sorted((c["name"], c["value"]) for c in variation.get("condition") or [] if c["name"] != "language"))


TRANSLATABLE = [name for name in sorted(DOMAIN.responses) if name not in ALREADY_MULTILINGUAL]


@pytest.mark.parametrize("name", TRANSLATABLE)
def test_every_language_has_every_variation(name):
    variations = DOMAIN.responses[name]
    english = [v for v in variations if language_of(v) is None and not v.get("channel")]
    for language in TRANSLATED:
        for original in english:
            matches = [
                v
                for v in variations
                if language_of(v) == language
                and not v.get("channel")
                and other_conditions(v) == other_conditions(original)
            ]
            assert matches, f"{name} {other_conditions(original)} has no {language} variation"
            translated = matches[0]
            assert set(PLACEHOLDER.findall(translated["text"])) == set(PLACEHOLDER.findall(original["text"])), language
            for number in SAFETY_NUMBERS:
                assert (number in translated["text"]) == (number in original["text"]), f"{language}: {number}"
            assert [b["payload"] for b in translated.get("buttons") or []] == [
                b["payload"] for b in original.get("buttons") or []
            ], language
