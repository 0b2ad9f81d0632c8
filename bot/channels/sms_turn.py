"""One SMS turn, from a checked message to the texts that answer it.

Keywords are handled before the bot: Twilio's opt-out words get no answer (Twilio answers them), exit words
wipe the conversation. A reply that is only a number picks that button of the last reply. Everything else goes
to the bot, whose replies are collected, buttons turned into numbered options and the whole cut to the SMS
budget. A new conversation's first reply starts with a notice that the texts stay on the phone.

The channel's own texts (channel_texts.yml) go in the language of the bot's replies this turn; without a reply (a
picture, EXIT, a failure) in the language of the exit word itself, else of the stored conversation, else English.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import TrackerStore

from bot.channels import channel_texts, message_length
from bot.channels.channel_texts import DEFAULT_LANGUAGE, reply_language
from bot.channels.collector import ReplyCollector
from bot.channels.sms_keywords import exit_language, is_exit, twilio_keyword
from bot.channels.sms_text import chosen_number, in_reading_order, numbered_options, split_for_sms
from bot.tracker_store import delete_after_current_turn, stored_events

if TYPE_CHECKING:
    from rasa.core.agent import Agent

logger = logging.getLogger(__name__)

CHANNEL = "sms"
TURN_TIMEOUT = 10.0  # seconds: Twilio gives up on the webhook after 15


class SmsOutput(ReplyCollector):
    """Collects the bot's replies; named "sms" so the domain's `channel: sms` variations are chosen."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL


def offered_buttons(events: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The buttons of the last reply, in the order they were numbered."""
    buttons: list[dict[str, Any]] = []
    for event in reversed(events or []):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            buttons = list((event.get("data") or {}).get("buttons") or []) + buttons
    return buttons


def is_new(events: list[dict[str, Any]] | None) -> bool:
    return not any(event.get("event") == "user" for event in events or [])


def conversation_language(events: list[dict[str, Any]] | None) -> str | None:
    """The language slot as the stored conversation last set it."""
    for event in reversed(events or []):
        if event.get("event") == "slot" and event.get("name") == "language":
            return event.get("value")
    return None


def replies_language(messages: list[dict[str, Any]]) -> str | None:
    """The language of the latest reply that says which it is in."""
    return next((message["language"] for message in reversed(messages) if message.get("language")), None)


def as_text(messages: list[dict[str, Any]], language: str = DEFAULT_LANGUAGE) -> str:
    """The bot's replies as one text, a block each (with its options), buttons numbered across the reply."""
    blocks, number = [], 1
    for message in messages:
        lines = [message["text"]] if message.get("text") else []
        titles = [button.get("title") or button.get("payload") or "" for button in message.get("buttons") or []]
        if titles:
            lines.append(numbered_options(titles, channel_texts.text("option", language), first=number))
            number += len(titles)
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


async def _stored(tracker_store: TrackerStore, sender_id: str) -> list[dict[str, Any]] | None:
    try:
        return await stored_events(tracker_store, sender_id)
    except Exception as error:  # the store is down: carry on as a new conversation
        logger.warning("SMS: could not read the conversation", exc_info=error)
        return None


async def _run_bot(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], text: str, sender_id: str
) -> list[dict[str, Any]]:
    collector = SmsOutput()
    try:
        await asyncio.wait_for(
            on_new_message(UserMessage(text, collector, sender_id, input_channel=CHANNEL)), TURN_TIMEOUT
        )
    except asyncio.TimeoutError:
        logger.warning(f"SMS: the turn took longer than {TURN_TIMEOUT:.0f} s; sending what was ready")
    except Exception as error:
        logger.error("SMS: the turn failed", exc_info=error)
    return collector.messages


async def answer(
    agent: Agent,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    sender_id: str,
    body: str,
    opt_out_type: str | None,
    max_chars: int = message_length.DEFAULT,
) -> list[str]:
    """The SMS messages that answer `body` (none for Twilio's own keywords)."""
    body, cut_notice = message_length.cut(body, max_chars)
    keyword = twilio_keyword(body, opt_out_type)
    if keyword:
        if keyword == "STOP":  # they want no more texts: nothing of theirs stays here either
            await delete_after_current_turn(agent, sender_id)
        return []
    events = await _stored(agent.tracker_store, sender_id)
    known = conversation_language(events)
    if is_exit(body):
        await delete_after_current_turn(agent, sender_id)
        language = reply_language(exit_language(body), known)
        return [in_reading_order(channel_texts.text("cleared", language), language)]
    if not body:
        return _with_notice(events, channel_texts.text("not_text", reply_language(known)), reply_language(known))
    buttons = offered_buttons(events)
    number = chosen_number(body)
    if number is not None and 1 <= number <= len(buttons):
        body = buttons[number - 1].get("payload") or body
    messages = await _run_bot(on_new_message, body, sender_id)
    language = reply_language(replies_language(messages), known)
    reply = as_text(messages, language) or channel_texts.text("fallback", language)
    return _with_notice(events, "\n\n".join(filter(None, [cut_notice, reply])), language)


def _with_notice(events: list[dict[str, Any]] | None, reply: str, language: str) -> list[str]:
    """The reply as SMS messages, after the notice when the conversation is new."""
    notice = [channel_texts.text("new_conversation", language)] if is_new(events) else []
    return split_for_sms(in_reading_order("\n\n".join(notice + [reply]), language))
