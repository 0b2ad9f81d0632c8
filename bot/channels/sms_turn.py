"""One SMS turn, from a checked message to the texts that answer it.

Keywords are handled before the bot: Twilio's opt-out words get no answer (Twilio answers them), exit words
wipe the conversation. A reply that is only a number picks that button of the last reply. Everything else goes
to the bot, whose replies are collected, buttons turned into numbered options and the whole cut to the SMS
budget. A new conversation's first reply starts with a notice that the texts stay on the phone.
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import TrackerStore

from bot.channels.sms_keywords import is_exit, twilio_keyword
from bot.channels.sms_text import chosen_number, numbered_options, split_for_sms
from bot.tracker_store import delete_after_current_turn
from bot.tracker_store import stored_events

if TYPE_CHECKING:
    from rasa.core.agent import Agent

logger = logging.getLogger(__name__)

CHANNEL = "sms"
# Kept here rather than in the domain for now (see docs/sms.md): sent before anything the bot says.
NEW_CONVERSATION_NOTICE = ("Texts stay on your phone: delete them if that is not safe. "
                           "Text EXIT to wipe this conversation here.")
CLEARED = "Cleared."
NOT_TEXT = ("I can only read text messages. In danger now? Call 999. "
            "National Domestic Abuse Helpline, free, 24 hours: 0808 2000 247.")
FALLBACK = ("Sorry, I can't answer right now. In danger now? Call 999. "
            "National Domestic Abuse Helpline, free, 24 hours: 0808 2000 247.")
MAX_BODY = 1600  # Twilio never delivers a longer Body; anything beyond is not read
TURN_TIMEOUT = 10.0  # seconds: Twilio gives up on the webhook after 15


class SmsOutput(CollectingOutputChannel):
    """Collects the bot's replies; named "sms" so the domain's `channel: sms` variations are chosen."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL


def offered_buttons(events: Optional[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The buttons of the last reply, in the order they were numbered."""
    buttons: list[dict[str, Any]] = []
    for event in reversed(events or []):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            buttons = list((event.get("data") or {}).get("buttons") or []) + buttons
    return buttons


def is_new(events: Optional[list[dict[str, Any]]]) -> bool:
    return not any(event.get("event") == "user" for event in events or [])


def as_text(messages: list[dict[str, Any]]) -> str:
    """The bot's replies as one text, a block each (with its options), buttons numbered across the reply."""
    blocks, number = [], 1
    for message in messages:
        lines = [message["text"]] if message.get("text") else []
        titles = [button.get("title") or button.get("payload") or "" for button in message.get("buttons") or []]
        if titles:
            lines.append(numbered_options(titles, first=number))
            number += len(titles)
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


async def _stored(tracker_store: TrackerStore, sender_id: str) -> Optional[list[dict[str, Any]]]:
    try:
        return await stored_events(tracker_store, sender_id)
    except Exception as error:  # the store is down: carry on as a new conversation
        logger.warning("SMS: could not read the conversation", exc_info=error)
        return None


async def _run_bot(on_new_message: Callable[[UserMessage], Awaitable[Any]], text: str,
                   sender_id: str) -> list[dict[str, Any]]:
    collector = SmsOutput()
    try:
        await asyncio.wait_for(on_new_message(UserMessage(text, collector, sender_id, input_channel=CHANNEL)),
                               TURN_TIMEOUT)
    except asyncio.TimeoutError:
        logger.warning(f"SMS: the turn took longer than {TURN_TIMEOUT:.0f} s; sending what was ready")
    except Exception as error:
        logger.error("SMS: the turn failed", exc_info=error)
    return collector.messages


async def answer(agent: Agent, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender_id: str, body: str,
                 opt_out_type: Optional[str]) -> list[str]:
    """The SMS messages that answer `body` (none for Twilio's own keywords)."""
    body = body[:MAX_BODY].strip()
    keyword = twilio_keyword(body, opt_out_type)
    if keyword:
        if keyword == "STOP":  # they want no more texts: nothing of theirs stays here either
            await delete_after_current_turn(agent, sender_id)
        return []
    if is_exit(body):
        await delete_after_current_turn(agent, sender_id)
        return [CLEARED]
    events = await _stored(agent.tracker_store, sender_id)
    notice = [NEW_CONVERSATION_NOTICE] if is_new(events) else []
    if not body:
        return split_for_sms("\n\n".join(notice + [NOT_TEXT]))
    buttons = offered_buttons(events)
    number = chosen_number(body)
    if number is not None and 1 <= number <= len(buttons):
        body = buttons[number - 1].get("payload") or body
    reply = as_text(await _run_bot(on_new_message, body, sender_id)) or FALLBACK
    return split_for_sms("\n\n".join(notice + [reply]))
