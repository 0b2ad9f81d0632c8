"""Collects the bot's replies for a channel that answers a request in one go (REST, web chat, SMS), keeping the
language each reply is in: the response generator (bot/nlg.py) and the action server say it with each reply, and
Rasa's own collector drops every key it does not know.

In right-to-left replies (Urdu, Arabic) each number gets a left-to-right mark in front: without it the Unicode
bidirectional rules show 0808 2000 247 as 247 2000 0808, on phones and in browsers alike.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel

from common.languages import RIGHT_TO_LEFT

LEFT_TO_RIGHT_MARK = "\u200e"
NUMBER = re.compile(r"\u200e?\d(?:[\d ]*\d)?")  # a whole number, spaces and all, with its mark if it has one


def numbers_left_to_right(text: str) -> str:
    return NUMBER.sub(
        lambda found: (
            found.group(0) if found.group(0)[0] == LEFT_TO_RIGHT_MARK else LEFT_TO_RIGHT_MARK + found.group(0)
        ),
        text,
    )


class ReplyCollector(CollectingOutputChannel):
    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        language = message.get("language")
        if not isinstance(language, str):  # a hand-made payload, /greet{"language": {...}}, sets the slot to anything
            language = None
        if language in RIGHT_TO_LEFT and message.get("text"):
            message = {**message, "text": numbers_left_to_right(message["text"])}
        first = len(self.messages)
        await super().send_response(recipient_id, message)
        if language:
            for collected in self.messages[first:]:  # a text with blank lines is collected as several messages
                collected["language"] = language
