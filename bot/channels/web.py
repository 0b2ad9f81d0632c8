"""The council website's chat channel: /webhooks/web/webhook answers like Rasa's REST channel, and
/webhooks/web/exit deletes a conversation at once (the widget's quick exit calls it with navigator.sendBeacon).

Only the origins in WEB_CHAT_ORIGINS (comma-separated, default http://localhost:8080) may call it from a browser:
they get CORS headers, other browser origins get 403. Requests without an Origin header (curl, tests) pass.
Nothing here logs what a person wrote, nor their conversation id.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import channel_texts, message_length, rate_limits, turn_gate
from bot.channels.collector import ReplyCollector
from bot.tracker_store import QUICK_EXIT_RESPONSE, delete_after_current_turn
from common import security_headers

logger = logging.getLogger(__name__)

ORIGINS_VARIABLE = "WEB_CHAT_ORIGINS"
DEFAULT_ORIGINS = "http://localhost:8080"
# The widget makes its ids with crypto.getRandomValues: 32 url-safe characters. Anything else is not ours.
SENDER_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_BODY_BYTES = 16 * 1024
PREFLIGHT_MAX_AGE = "600"


class BadRequest(ValueError):
    pass


def allowed_origins(setting: str | None = None) -> frozenset[str]:
    value = setting if setting is not None else os.environ.get(ORIGINS_VARIABLE, DEFAULT_ORIGINS)
    return frozenset(origin.strip().rstrip("/") for origin in value.split(",") if origin.strip())


def read_body(request: Request) -> Any:
    """JSON from application/json or text/plain (what navigator.sendBeacon sends for a string)."""
    if len(request.body or b"") > MAX_BODY_BYTES:
        raise BadRequest("body too large")
    try:
        return json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("body is not JSON") from None


def valid_sender(value: Any) -> str:
    if not isinstance(value, str) or not SENDER_ID.fullmatch(value):
        raise BadRequest("sender must be the widget's random id")
    return value


def read_message(body: Any) -> tuple[str, str]:
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    text = body.get("message")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("message must be non-empty text")
    return valid_sender(body.get("sender")), text


def read_exit_sender(request: Request) -> str:
    """The beacon's body: {"sender": id} as JSON, or the bare id as text."""
    try:
        body = read_body(request)
    except BadRequest:
        body = (request.body or b"")[:MAX_BODY_BYTES].decode("utf-8", "replace").strip()
    return valid_sender(body.get("sender") if isinstance(body, dict) else body)


async def json_turn(
    channel: InputChannel,
    request: Request,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    read: Callable[[Any], tuple[str, str]],
    collector: ReplyCollector,
    replies: Callable[[], list[dict[str, Any]]],
    unavailable: Callable[[str], Any],
) -> HTTPResponse:
    """One message in, the bot's replies out as JSON, for the web chat and the REST channel: 400 for a body
    `read` refuses, the rate limits, the length cut, and `unavailable(language)` with 503 when the bot fails.
    Refusals are in the language of the message itself: the bot never reads it."""
    try:
        sender, text = read(read_body(request))
    except BadRequest as problem:
        return response.json({"error": str(problem)}, status=400)
    if not channel.limits.allow(sender=sender, address=channel.limits.address_of(request)):
        return channel.limits.refused(channel_texts.language_of(text))
    text, notice = message_length.cut(text, channel.max_chars)
    try:
        await on_new_message(UserMessage(text, collector, sender, input_channel=channel.name()))
    except Exception as error:  # noqa: BLE001 - a calm 503, not a traceback
        logger.error(f"{channel.name()}: a message could not be handled ({type(error).__name__}).")
        return response.json(unavailable(channel_texts.language_of(text)), status=503)
    return response.json(([{"text": notice}] if notice else []) + replies())


class WebOutput(ReplyCollector):
    """Collects the bot's messages and notes whether this turn was the quick exit, so the widget leaves too.
    Each reply keeps the language it is in, so the widget can show its own labels in that language."""

    @classmethod
    def name(cls) -> str:
        return "web"  # lets responses have `channel: web` variations

    def __init__(self) -> None:
        super().__init__()
        self.quick_exit = False

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if message.get("utter_action") == QUICK_EXIT_RESPONSE:
            self.quick_exit = True
        await super().send_response(recipient_id, message)

    def replies(self) -> list[dict[str, Any]]:
        keep = ("text", "buttons", "custom", "language")
        replies = [{key: message[key] for key in keep if key in message} for message in self.messages]
        if self.quick_exit and replies:
            replies[-1]["quick_exit"] = True
        return replies


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "web"

    def __init__(
        self,
        origins: frozenset[str] | None = None,
        limits: rate_limits.RateLimits | None = None,
        max_chars: int | None = None,
    ) -> None:
        self.origins = origins if origins is not None else allowed_origins()
        self.limits = limits or rate_limits.shared()
        self.max_chars = max_chars or message_length.configured()
        self.turns = turn_gate.shared()

    def _origin_refused(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        return origin is not None and origin not in self.origins

    def _add_cors_headers(self, request: Request, reply: HTTPResponse) -> None:
        origin = request.headers.get("origin")
        reply.headers["Vary"] = "Origin"
        if origin in self.origins:
            reply.headers["Access-Control-Allow-Origin"] = origin
            if request.method == "OPTIONS":
                reply.headers["Access-Control-Allow-Methods"] = "POST"
                reply.headers["Access-Control-Allow-Headers"] = "Content-Type"
                reply.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        web = Blueprint("web_chat", __name__)
        on_new_message = self.turns.gated(on_new_message)
        security_headers.send_from_whole_app(web)

        # Rasa's own CORS layer (sanic-cors, origins from `rasa run --cors`, none by default) answers every OPTIONS
        # request before any route runs; this response middleware still runs afterwards and adds our allow-list.
        @web.middleware("response")
        async def cors(request: Request, reply: HTTPResponse) -> None:
            self._add_cors_headers(request, reply)

        @web.middleware("request")
        async def gate(request: Request) -> HTTPResponse | None:
            if request.method == "OPTIONS":
                return response.empty()  # a preflight: the CORS headers are all it needs
            if self._origin_refused(request):
                return response.json({"error": "origin not allowed"}, status=403)
            return None

        @web.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @web.route("/webhook", methods=["POST", "OPTIONS"])
        async def receive(request: Request) -> HTTPResponse:
            collector = WebOutput()  # the widget shows 999 and the helpline itself when the assistant is unavailable
            return await json_turn(
                self,
                request,
                on_new_message,
                read_message,
                collector,
                collector.replies,
                lambda _language: {"error": "the assistant is unavailable"},
            )

        @web.route("/exit", methods=["POST", "OPTIONS"])
        async def exit_chat(request: Request) -> HTTPResponse:
            try:
                sender = read_exit_sender(request)
            except BadRequest as problem:
                return response.json({"error": str(problem)}, status=400)
            agent = request.app.ctx.agent
            try:
                await delete_after_current_turn(agent, sender)
            except Exception as error:  # noqa: BLE001 - a store that cannot be reached is a 503, not a traceback
                logger.error(f"Web chat: a conversation could not be deleted ({type(error).__name__}).")
                return response.json({"error": "the conversation store is unavailable"}, status=503)
            return response.empty()

        return web
