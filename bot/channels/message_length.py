"""What of one message the bot reads, the same on every channel: the first MAX_MESSAGE_CHARS characters
(default 1,000; the web widget's text box holds no more, a text message may hold 1,600). Longer text is cut and
the person is told so, calmly, before the bot's reply."""

from __future__ import annotations

import re

from bot.channels.settings import whole_number

VARIABLE = "MAX_MESSAGE_CHARS"
DEFAULT = 1000
# Half of a UTF-16 pair on its own: only hand-made JSON holds one ("\ud800"), and spaCy fails on it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def configured() -> int:
    return whole_number(VARIABLE, DEFAULT)


def cut_notice(limit: int) -> str:
    return f"Your message was long, so I have read only the first {limit:,} characters."


def cut(text: str, limit: int) -> tuple[str, str | None]:
    """What the bot reads of `text` (without the spaces around it, a lone surrogate as U+FFFD), and the notice to
    send before its reply when some of it was left out."""
    text = LONE_SURROGATE.sub("\ufffd", text).strip()
    if len(text) <= limit:
        return text, None
    return text[:limit].rstrip(), cut_notice(limit)
