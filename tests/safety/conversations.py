"""Talking to a running stack the way people do: over the REST channel, the website's chat channel or SMS (as
Twilio posts it, signed), each conversation with its own id or phone number."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import requests
from sms.conftest import Twilio

from .canaries import drama_number

CHANNELS = ("rest", "web", "sms")


@dataclass
class Conversation:
    stack: object  # a RunningStack
    channel: str  # one of CHANNELS
    sender: str  # the REST or web chat id; for SMS, the phone number

    @classmethod
    def new(cls, stack, channel: str) -> Conversation:
        # The widget's kind of id (32 url-safe characters), which the REST channel takes too.
        return cls(stack, channel, drama_number() if channel == "sms" else secrets.token_urlsafe(24))

    def _url(self, path: str) -> str:
        return f"http://localhost:{self.stack.rasa_port}/webhooks/{path}"

    def replies(self, message: str) -> list[str]:
        """Each message of the reply (SMS: each text); any answer other than HTTP 200 fails the test."""
        if self.channel == "sms":
            return Twilio(self.stack.sms_url, self.stack.twilio_token).send(self.sender, message)
        response = requests.post(
            self._url(f"{self.channel}/webhook"), json={"sender": self.sender, "message": message}, timeout=30
        )
        assert response.status_code == 200, f"{self.channel}: HTTP {response.status_code} {response.text[:300]}"
        return [reply.get("text", "") for reply in response.json()]

    def say(self, message: str) -> str:
        """The whole reply as one text."""
        return "\n".join(self.replies(message))

    def leave_by_the_exit_button(self) -> None:
        """What the widget's quick exit sends (navigator.sendBeacon) as the page goes."""
        response = requests.post(self._url("web/exit"), json={"sender": self.sender}, timeout=30)
        assert response.status_code == 204, f"web exit: HTTP {response.status_code} {response.text[:300]}"
