"""A stand-in for Twilio: posts form-encoded messages to the running stack, signed exactly as Twilio signs them."""

from __future__ import annotations

import random
import uuid
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlencode

import pytest
import requests
from twilio.request_validator import RequestValidator

TWILIO_NUMBER = "+441494000000"


def twilio_form(number: str, body: str | None, **fields: str | None) -> dict[str, str]:
    """The fields Twilio posts for an incoming SMS; a field given as None is left out."""
    sid = "SM" + uuid.uuid4().hex
    form = {
        "ToCountry": "GB",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "GB",
        "To": TWILIO_NUMBER,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": number,
        "ApiVersion": "2010-04-01",
        **fields,
    }
    return {name: value for name, value in form.items() if value is not None}


def messages_of(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml")
    return [message.text or "" for message in ElementTree.fromstring(response.content).iter("Message")]


class Twilio:
    def __init__(self, url: str, token: str):
        self.url, self.token = url, token
        self.numbers_used: list[str] = []

    def new_number(self) -> str:
        """A number no earlier test used, from Ofcom's range for drama: nobody's real number. Only 900000-900899:
        tests that text the stack from a fixed number use 900900-900999, so theirs is never a new number's."""
        number = f"+447700900{random.randrange(900):03d}"
        while number in self.numbers_used:
            number = f"+447700900{random.randrange(900):03d}"
        self.numbers_used.append(number)
        return number

    def sign(self, form: dict[str, str], url: str | None = None, token: str | None = None) -> str:
        return RequestValidator(token or self.token).compute_signature(url or self.url, form)

    def post(
        self,
        form: dict[str, str],
        signature: str | None = "sign",
        body: bytes | None = None,
        content_type: str = "application/x-www-form-urlencoded",
    ) -> requests.Response:
        headers = {"Content-Type": content_type}
        if signature is not None:
            headers["X-Twilio-Signature"] = self.sign(form) if signature == "sign" else signature
        return requests.post(
            self.url, data=urlencode(form).encode() if body is None else body, headers=headers, timeout=30
        )

    def send(self, number: str, body: str | None, **fields: str | None) -> list[str]:
        return messages_of(self.post(twilio_form(number, body, **fields)))

    def text(self, number: str, body: str | None, **fields: str | None) -> str:
        return "\n".join(self.send(number, body, **fields))


@pytest.fixture(scope="session")
def twilio(rasa_stack):
    return Twilio(rasa_stack.sms_url, rasa_stack.twilio_token)
