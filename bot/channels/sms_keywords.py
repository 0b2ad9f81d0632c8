"""Whole-message SMS keywords: Twilio's opt-out words, which Twilio answers itself, and our exit words.

STOP, START and HELP (and Twilio's default synonyms) belong to Twilio's opt-out handling: Twilio blocks or
unblocks the number and sends its own reply, and says so in the OptOutType field. We never answer them, so we
never contradict Twilio. YES is one of Twilio's default START words but also how people answer "Is it safe to
talk?", so only OptOutType decides for YES.
"""

from __future__ import annotations

from bot.components.phrases import load_phrase_book
from common.text import normalise

TWILIO_KEYWORDS = {
    "STOP": {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"},
    "START": {"start", "unstop"},
    "HELP": {"help", "info"},
}
CLEAR_WORDS = {"clear"}


def twilio_keyword(body: str, opt_out_type: str | None) -> str | None:
    """STOP, START or HELP when Twilio handles this message, else None."""
    if opt_out_type and opt_out_type.strip().upper() in TWILIO_KEYWORDS:
        return opt_out_type.strip().upper()
    words = normalise(body)
    return next((kind for kind, keywords in TWILIO_KEYWORDS.items() if words in keywords), None)


def is_exit(body: str) -> bool:
    """EXIT, CLEAR and every language's exit words, as the whole message."""
    words = normalise(body)
    return words in CLEAR_WORDS or words in load_phrase_book().exit_words


def exit_language(body: str) -> str | None:
    """The language an exit message is written in, when its words say so: only one language's list has them, and
    not English's (every language's replies tell people to send EXIT, so English words tell nothing)."""
    languages = load_phrase_book().exit_words.get(normalise(body)) or frozenset()
    return next(iter(languages)) if len(languages) == 1 and "en" not in languages else None
