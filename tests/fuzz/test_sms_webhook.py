"""Fuzzing the SMS webhook of the running Rasa: requests signed correctly with the test stack's Twilio token
(they reach the bot), and unsigned or wrongly signed ones with any body, content type, Host and query."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from . import strategies as fuzz
from .harness import cases, check

pytestmark = pytest.mark.stack

PATH = "/webhooks/sms/webhook"
FORM_TYPE = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def validator(rasa_stack):
    return RequestValidator(rasa_stack.twilio_token)


@cases(everyday=35, fuzz=1000)
@given(form=fuzz.twilio_fields, query=st.just("") | fuzz.query_strings)
def test_signed_messages(rasa, validator, form, query):
    base, session = rasa
    url = base + PATH + (f"?{query}" if query else "")
    signature = validator.compute_signature(url, form)
    response = session.post(
        url,
        data=urlencode(form).encode(),
        timeout=60,
        headers={"Content-Type": FORM_TYPE, "X-Twilio-Signature": signature},
    )
    check("SMS webhook, signed", response.status_code, response.content, sent="".join(form.values()))


@cases(everyday=25, fuzz=600)
@given(
    body=fuzz.bodies | fuzz.twilio_fields.map(lambda form: urlencode(form).encode()),
    content_type=st.just(FORM_TYPE) | fuzz.content_types,
    signature=st.none() | fuzz.header_values,
    host=st.none() | fuzz.hosts,
    query=fuzz.query_strings,
    method=st.just("POST") | fuzz.methods,
)
def test_unsigned_or_forged_requests(rasa, body, content_type, signature, host, query, method):
    base, session = rasa
    headers = {
        "Content-Type": content_type,
        **({"X-Twilio-Signature": signature} if signature is not None else {}),
        **({"Host": host} if host is not None else {}),
    }
    response = session.request(
        method, base + PATH + (f"?{query}" if query else ""), data=body, headers=headers, timeout=60
    )
    check(
        "SMS webhook, unsigned or forged", response.status_code, response.content, sent=body.decode("utf-8", "replace")
    )
