"""The channels' own texts, outside the domain, exist in every language the assistant answers in: the SMS
channel's (bot/channels/channel_texts.yml) and the web widget's interface (its scripts' English and texts/*.json),
with the same placeholders and the same phone numbers as the English."""

import re
from pathlib import Path

import pytest
import yaml

from bot.channels import channel_texts
from bot.channels.sms_keywords import exit_language, is_exit
from common import languages
from website import widget_texts

ROOT = Path(__file__).resolve().parents[2]
CORE = yaml.safe_load((ROOT / "bot/domain/core.yml").read_text(encoding="utf-8"))
LANGUAGES = set(CORE["slots"]["language"]["values"])
# Phone numbers and the Silent Solution's 55, in ASCII digits as in English: 999, 0808 2000 247.
NUMBERS = re.compile(r"(?<!\d)(?:\d{3,}(?: \d{3,})*|55)(?!\d)", re.ASCII)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# What the SMS notice tells people to send besides EXIT, in their own language.
LOCAL_EXIT_WORDS = {"pl": "WYJDŹ", "ur": "بند", "pa": "ਬੰਦ", "ro": "IEȘI", "pt": "SAIR", "ar": "خروج", "bn": "বন্ধ"}

WIDGET = widget_texts.every_language()
SMS_CASES = [(name, language) for name in sorted(channel_texts.TEXTS) for language in sorted(LANGUAGES - {"en"})]
WIDGET_CASES = [(key, language) for key in widget_texts.flat(WIDGET["en"]) for language in sorted(LANGUAGES - {"en"})]


def same_numbers_and_placeholders(translated: str, english: str) -> None:
    assert sorted(NUMBERS.findall(translated)) == sorted(NUMBERS.findall(english))
    assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(english))


def test_the_sms_channel_and_the_widget_serve_the_assistants_languages():
    assert all(set(texts) == LANGUAGES for texts in channel_texts.TEXTS.values())
    assert channel_texts.LANGUAGES == LANGUAGES == set(languages.LANGUAGES)
    assert set(WIDGET) == LANGUAGES
    assert set(widget_texts.script_languages("LANGUAGES")) == LANGUAGES
    assert set(widget_texts.script_languages("RIGHT_TO_LEFT")) == languages.RIGHT_TO_LEFT


def test_the_widget_scripts_hold_no_words_of_their_own():
    scripts = "".join(path.read_text(encoding="utf-8") for path in widget_texts.COMPONENTS.glob("*/*.js"))
    literals = {literal[1:-1] for literal in re.findall(r"'[^'\n]*'|\"[^\"\n]*\"", scripts)}
    assert [text for text in widget_texts.flat(WIDGET["en"]).values() if text in literals] == []


@pytest.mark.parametrize("name, language", SMS_CASES)
def test_every_sms_text_in_every_language(name, language):
    same_numbers_and_placeholders(channel_texts.TEXTS[name][language], channel_texts.TEXTS[name]["en"])


@pytest.mark.parametrize("language, word", sorted(LOCAL_EXIT_WORDS.items()))
def test_the_sms_notice_names_exit_words_that_work(language, word):
    notice = channel_texts.text("new_conversation", language)
    assert "EXIT" in notice and word in notice
    assert is_exit(word) and exit_language(word) == language


def test_every_widget_translation_has_the_english_keys_and_nothing_else():
    english = widget_texts.flat(WIDGET["en"])
    for language, words in WIDGET.items():
        assert widget_texts.flat(words).keys() == english.keys(), language


@pytest.mark.parametrize("key, language", WIDGET_CASES)
def test_every_widget_text_in_every_language(key, language):
    translated, english = widget_texts.flat(WIDGET[language])[key], widget_texts.flat(WIDGET["en"])[key]
    assert translated.strip()
    same_numbers_and_placeholders(translated, english)


def test_numbers_in_right_to_left_texts_keep_their_order():
    """Without a left-to-right mark before it, 0808 2000 247 shows as "247 2000 0808" in Urdu or Arabic text."""
    texts = [texts[language] for texts in channel_texts.TEXTS.values() for language in languages.RIGHT_TO_LEFT]
    texts += [
        text for language in sorted(languages.RIGHT_TO_LEFT) for text in widget_texts.flat(WIDGET[language]).values()
    ]
    spaced = [match for text in texts for match in re.finditer(r"\d+(?: \d+)+", text, re.ASCII)]
    assert spaced, "no spaced number was checked"
    assert all(match.string[match.start() - 1] == "\u200e" for match in spaced)
