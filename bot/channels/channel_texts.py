"""The channels' own texts, in every language the assistant answers in (channel_texts.yml).

They are sent before or without the bot: a new SMS conversation's notice, the reply to EXIT or to a picture,
and, on every channel, the reply to a message refused by the rate limits or one the bot failed to answer. So
they need neither the model nor the action server, and they always carry 999, 55 and the helpline.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.components.language_detection import detect
from bot.components.phrases import load_phrase_book

# Text name -> language -> text. Loaded once: a broken file stops Rasa at start, not a person's turn.
TEXTS: dict[str, dict[str, str]] = yaml.safe_load(
    (Path(__file__).resolve().parent / "channel_texts.yml").read_text(encoding="utf-8")
)
DEFAULT_LANGUAGE = "en"
LANGUAGES = frozenset(TEXTS["new_conversation"])


def text(name: str, language: str = DEFAULT_LANGUAGE) -> str:
    return TEXTS[name][language]


def reply_language(*candidates: str | None) -> str:
    """The first of the candidates the channels have their texts in, else English. A candidate may be anything: a
    hand-made payload, /greet{"language": {...}}, sets the language slot to any JSON value."""
    return next(
        (language for language in candidates if isinstance(language, str) and language in LANGUAGES), DEFAULT_LANGUAGE
    )


def language_of(message: str) -> str:
    """The language of a message the bot will not answer (refused, or the bot failed): read from its own words."""
    return reply_language(detect(message, load_phrase_book()).language)
