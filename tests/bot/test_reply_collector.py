"""The reply collector keeps each reply's language and keeps numbers in order in right-to-left replies."""

import asyncio
import unicodedata

import pytest

from bot.channels.collector import ReplyCollector, numbers_left_to_right


def collect(message):
    collector = ReplyCollector()
    asyncio.run(collector.send_response("someone", message))
    return collector.messages


def visual_order_is_safe(text: str) -> bool:
    """Every number is preceded, before any other strongly directional letter, by a left-to-right mark."""
    for index, char in enumerate(text):
        if char.isdigit() and (index == 0 or not text[index - 1].isdigit()) and text[index - 1 : index] != " ":
            before = [c for c in text[:index] if unicodedata.bidirectional(c) in ("L", "R", "AL")]
            if not before or before[-1] != "\u200e":
                return False
    return True


@pytest.mark.parametrize("language", ["ur", "ar"])
def test_right_to_left_replies_get_a_mark_before_each_number(language):
    text = "قومی ہیلپ لائن 0808 2000 247 ہے۔ خطرے میں 999 پر کال کریں۔"
    [reply] = collect({"text": text, "language": language})
    assert reply["text"].count("\u200e") == 2
    assert "\u200e0808 2000 247" in reply["text"] and "\u200e999" in reply["text"]
    assert reply["language"] == language
    assert visual_order_is_safe(reply["text"])


@pytest.mark.parametrize("language", ["en", "pl", "pa", "bn", None])
def test_other_replies_are_left_as_they_are(language):
    text = "The National Domestic Abuse Helpline: 0808 2000 247."
    [reply] = collect({"text": text, "language": language} if language else {"text": text})
    assert reply["text"] == text
    assert reply.get("language") == language


def test_a_number_already_marked_is_not_marked_twice():
    once = numbers_left_to_right("ہیلپ لائن 0808 2000 247")
    assert numbers_left_to_right(once) == once
