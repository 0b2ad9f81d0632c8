"""Language identification on the held-out sets in tests/language/ (at least 40 messages per language)."""

from pathlib import Path

import pytest
import yaml

from bot.components.language_detection import ROMAN_URDU, detect
from bot.components.phrases import load_phrase_book

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted((ROOT / "tests/language").glob("*.yml"))
MIN_ACCURACY = 0.97


def recognised(message: str, language: str, book) -> bool:
    detection = detect(message, book)
    if language == ROMAN_URDU:
        return detection.roman_urdu
    # A new conversation is in English, so "no answer" keeps English.
    return (detection.language or "en") == language


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_language_identification_accuracy(path):
    book = load_phrase_book()
    held_out = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages = held_out["messages"]
    assert len(messages) >= 40
    missed = [m for m in messages if not recognised(m, held_out["language"], book)]
    accuracy = 1 - len(missed) / len(messages)
    assert accuracy >= MIN_ACCURACY, f"{accuracy:.1%}; missed: {missed}"


@pytest.mark.parametrize("message", ["ok", "1", "2", "Aylesbury", "HP21", "👍", "?", "x" * 1600])
def test_ambiguous_messages_keep_the_conversation_language(message):
    assert detect(message, load_phrase_book()).language is None


@pytest.mark.parametrize(
    "message, language",
    [
        ("Polski", "pl"),
        ("اردو", "ur"),
        ("ਪੰਜਾਬੀ", "pa"),
        ("Română", "ro"),
        ("Português", "pt"),
        ("العربية", "ar"),
        ("বাংলা", "bn"),
        ("English", "en"),
    ],
)
def test_naming_a_language_chooses_it(message, language):
    detection = detect(message, load_phrase_book())
    assert (detection.language, detection.chosen) == (language, True)


def test_scripts():
    book = load_phrase_book()
    assert detect("ਮੇਰਾ ਪਤੀ ਮੈਨੂੰ ਮਾਰਦਾ ਹੈ", book).language == "pa"
    assert detect("আমার স্বামী আমাকে মারে", book).language == "bn"
    assert detect("میرا شوہر مجھے مارتا ہے", book).language == "ur"
    assert detect("زوجي يضربني كل يوم", book).language == "ar"


@pytest.mark.parametrize("exit_word, language", [("خروج", "ar"), ("بند کرو", "ur"), ("wyjdź", "pl"), ("ieși", "ro")])
def test_an_exit_word_of_one_language_is_in_that_language(exit_word, language):
    # The Arabic greeting offers "خروج"; its letters alone do not say Arabic, so the reply came in Urdu.
    assert detect(exit_word, load_phrase_book()).language == language
