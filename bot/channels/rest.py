"""The REST channel at /webhooks/rest/webhook: Rasa's own, with our limits.

JSON {"sender": id, "message": text} in, the bot's replies as a JSON list out, as with Rasa's REST channel;
registered in bot/credentials.yml as `bot.channels.rest.RestInput`. On top of Rasa's: a body that is not such
an object is a 400 (not a 500), the message is cut to MAX_MESSAGE_CHARS with a notice
(bot/channels/message_length.py), and the sender and address rate limits apply (bot/channels/rate_limits.py).
Rasa's streaming, metadata and input_channel options are not offered: nothing of ours uses them, and
metadata would be kept in the conversation. Nothing here logs what a person wrote, nor their id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels import rest
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import channel_texts, message_length, rate_limits, turn_gate
from bot.channels.collector import ReplyCollector
from bot.channels.web import BadRequest, json_turn
from common import security_headers

MAX_SENDER_CHARS = 128


def read_message(body: Any) -> tuple[str, str]:
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    sender, text = body.get("sender"), body.get("message")
    # Printable: a control character or lone surrogate in a conversation id is no client's, and Redis refuses some.
    if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS or not sender.isprintable():
        raise BadRequest(f"sender must be printable text of 1 to {MAX_SENDER_CHARS} characters")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("message must be non-empty text")
    return sender, text


class RestInput(rest.RestInput):
    def __init__(self, limits: rate_limits.RateLimits | None = None, max_chars: int | None = None) -> None:
        self.limits = limits or rate_limits.shared()
        self.max_chars = max_chars or message_length.configured()
        self.turns = turn_gate.shared()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("rest_webhook", __name__)
        on_new_message = self.turns.gated(on_new_message)
        security_headers.send_from_whole_app(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            collector = ReplyCollector()
            return await json_turn(
                self,
                request,
                on_new_message,
                read_message,
                collector,
                lambda: collector.messages,
                lambda language: [{"text": channel_texts.text("fallback", language), "language": language}],
            )

        return webhook
