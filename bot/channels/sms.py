"""The SMS channel: Twilio's incoming-message webhook at /webhooks/sms/webhook, answered with TwiML.

Registered in bot/credentials.yml as `bot.channels.sms.SmsInput`. Before anything reaches the bot a request
must be form-encoded and carry a valid X-Twilio-Signature, computed with TWILIO_AUTH_TOKEN over the URL Twilio
called (PUBLIC_BASE_URL + path behind a proxy) and every form field. The reply goes back in the webhook
response, so no outbound API call (and no account SID) is needed. Only a keyed hash of the sender's number is
passed on (bot/channels/pseudonym.py); the number itself is dropped here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels import channel_texts, message_length, pseudonym, rate_limits, sms_turn, turn_gate
from bot.channels.seen_messages import seen_messages
from bot.channels.sms_keywords import is_exit, twilio_keyword
from bot.channels.sms_text import in_reading_order, split_for_sms
from common import security_headers

logger = logging.getLogger(__name__)

FORM_TYPE = "application/x-www-form-urlencoded"
MAX_FIELDS = 200  # Twilio sends about 20, plus two per media item (at most 10)


class SignedParams(dict):
    """Form fields as Twilio signs them: every value of every field (RequestValidator reads `getall`)."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def signed_url(request_url: str, path: str, query_string: str, public_base_url: str | None) -> str:
    """The URL Twilio signed: as received, or the public address when a proxy stands in front."""
    if not public_base_url:
        return request_url
    return public_base_url.rstrip("/") + path + (f"?{query_string}" if query_string else "")


def parse_form(body: bytes) -> SignedParams:
    """Raises ValueError (UnicodeDecodeError is one) for anything Twilio would not send."""
    fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    return SignedParams(fields)


def twiml(messages: list[str]) -> HTTPResponse:
    reply = MessagingResponse()
    for text in messages:
        reply.message(text)
    return response.text(str(reply), content_type="text/xml; charset=utf-8")


def refuse(status: int, reason: str) -> HTTPResponse:
    return response.text(reason + "\n", status=status)


def without_the_bot(body: str, opt_out_type: str | None) -> bool:
    """Twilio's opt-out words and the exit words: answered without the bot, so never rate limited."""
    body = body.strip()
    return bool(twilio_keyword(body, opt_out_type)) or is_exit(body)


class SmsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return sms_turn.CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SmsInput:
        """Settings come from the environment, so no secret sits in credentials.yml."""
        return cls(
            os.environ.get("TWILIO_AUTH_TOKEN") or None,
            pseudonym.configured_secret(),
            os.environ.get("PUBLIC_BASE_URL") or None,
        )

    def __init__(
        self,
        auth_token: str | None,
        sender_secret: bytes,
        public_base_url: str | None,
        limits: rate_limits.RateLimits | None = None,
        max_chars: int | None = None,
    ) -> None:
        self.validator = RequestValidator(auth_token) if auth_token else None
        self.sender_secret = sender_secret
        self.public_base_url = public_base_url
        self.seen = seen_messages()
        self.limits = limits or rate_limits.shared()
        self.max_chars = max_chars or message_length.configured()
        self.turns = turn_gate.shared()

    def _signed_by_twilio(self, url: str, form: SignedParams, signature: str) -> bool:
        if self.validator is None:
            return False
        try:
            return self.validator.validate(url, form, signature)
        except ValueError:  # a Host no URL can hold (a bad port, stray characters): Twilio never sends one
            return False

    def checked_form(self, request: Request) -> SignedParams | HTTPResponse:
        """The form of a genuine Twilio request, or the response that refuses it."""
        if self.validator is None:
            return refuse(503, "The SMS channel is not configured: set TWILIO_AUTH_TOKEN to the Twilio auth token.")
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if content_type != FORM_TYPE:
            return refuse(415, f"Expected {FORM_TYPE}, as Twilio sends.")
        try:
            form = parse_form(request.body or b"")
        except ValueError:
            return refuse(400, "The form could not be read as UTF-8 form fields.")
        url = signed_url(request.url, request.path, request.query_string, self.public_base_url)
        signature = request.headers.get("x-twilio-signature") or ""
        if not signature or not self._signed_by_twilio(url, form, signature):
            logger.warning("SMS: refused a request without a valid Twilio signature")
            return refuse(403, "Missing or wrong X-Twilio-Signature.")
        if not (form.get("From") or [""])[0].strip():
            return refuse(400, "No From field.")
        return form

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("sms_webhook", __name__)
        on_new_message = self.turns.gated(on_new_message)
        security_headers.send_from_whole_app(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.validator else "not configured"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            form = self.checked_form(request)
            if isinstance(form, HTTPResponse):
                return form
            message_sid = (form.get("MessageSid") or [""])[0]
            if message_sid and not await self.seen.first_time(message_sid):
                return twiml([])  # Twilio sent it again: it was answered the first time
            sender_id = pseudonym.sender_id(form["From"][0], self.sender_secret)
            body, opt_out_type = (form.get("Body") or [""])[0], (form.get("OptOutType") or [None])[0]
            if not without_the_bot(body, opt_out_type) and not self.limits.allow(sender=sender_id):
                language = channel_texts.language_of(body)
                refusal = in_reading_order(channel_texts.text("rate_limited", language), language)
                return twiml(split_for_sms(refusal))  # HTTP 200: Twilio retries anything else
            try:
                messages = await sms_turn.answer(
                    request.app.ctx.agent, on_new_message, sender_id, body, opt_out_type, self.max_chars
                )
            except Exception as error:  # never a 500: the person still gets 999 and the helpline
                logger.error("SMS: could not answer", exc_info=error)
                language = channel_texts.language_of(body)
                messages = [in_reading_order(channel_texts.text("fallback", language), language)]
            return twiml(messages)

        return webhook
