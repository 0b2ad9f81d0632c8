"""Fuzzing the running Rasa: the REST webhook, the web chat webhook and its exit, any path or method, and large
bodies. Well-formed messages with odd text reach the bot; everything else must be refused with a 4xx."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from . import strategies as fuzz
from .harness import cases, check

pytestmark = pytest.mark.stack

MEGABYTE = 1024 * 1024
WEBHOOKS = ["/webhooks/rest/webhook", "/webhooks/web/webhook", "/webhooks/web/exit", "/webhooks/sms/webhook"]


def send(
    rasa, endpoint: str, method: str, path: str, body: bytes = b"", content_type: str | None = None, query: str = ""
) -> None:
    base, session = rasa
    headers = {"Content-Type": content_type} if content_type is not None else {}
    response = session.request(
        method, base + path + (f"?{query}" if query else ""), data=body, headers=headers, timeout=60
    )
    check(endpoint, response.status_code, response.content, sent=body.decode("utf-8", "replace") + path + query)


@cases(everyday=40, fuzz=1500)
@given(
    sender=fuzz.senders,
    message=fuzz.message_text,
    extra=st.dictionaries(
        st.sampled_from(["metadata", "input_channel", "stream"]) | fuzz.any_text, fuzz.json_value, max_size=2
    ),
)
def test_rest_messages(rasa, sender, message, extra):
    body = json.dumps({**extra, "sender": sender, "message": message})
    send(rasa, "REST webhook, messages", "POST", "/webhooks/rest/webhook", body.encode(), "application/json")


@cases(everyday=40, fuzz=1000)
@given(sender=fuzz.web_senders, message=fuzz.message_text)
def test_web_chat_messages(rasa, sender, message):
    body = json.dumps({"sender": sender, "message": message})
    send(rasa, "web chat webhook, messages", "POST", "/webhooks/web/webhook", body.encode(), "application/json")


@cases(everyday=30, fuzz=800)
@given(
    body=fuzz.bodies, content_type=fuzz.content_types, method=st.just("POST") | fuzz.methods, query=fuzz.query_strings
)
def test_rest_anything(rasa, body, content_type, method, query):
    send(rasa, "REST webhook, any request", method, "/webhooks/rest/webhook", body, content_type, query)


@cases(everyday=25, fuzz=700)
@given(
    body=fuzz.bodies,
    content_type=fuzz.content_types,
    method=st.just("POST") | fuzz.methods,
    origin=st.none() | st.sampled_from(["http://localhost:8080", "https://evil.example", "null", ""]),
)
def test_web_chat_anything(rasa, body, content_type, method, origin):
    base, session = rasa
    headers = {"Content-Type": content_type, **({"Origin": origin} if origin is not None else {})}
    response = session.request(method, base + "/webhooks/web/webhook", data=body, headers=headers, timeout=60)
    check("web chat webhook, any request", response.status_code, response.content, body.decode("utf-8", "replace"))


@cases(everyday=25, fuzz=600)
@given(
    body=st.one_of(
        fuzz.bodies,
        fuzz.web_senders.map(str.encode),
        fuzz.web_senders.map(lambda sender: json.dumps({"sender": sender}).encode()),
    ),
    content_type=fuzz.content_types,
    method=st.just("POST") | fuzz.methods,
)
def test_web_chat_exit(rasa, body, content_type, method):
    send(rasa, "web chat exit", method, "/webhooks/web/exit", body, content_type)


@cases(everyday=25, fuzz=600)
@given(
    method=fuzz.methods,
    path=st.one_of(
        fuzz.paths,
        st.sampled_from(
            WEBHOOKS
            + [
                "/",
                "/webhooks/rest/",
                "/webhooks/web/",
                "/webhooks/sms/",
                "/status",
                "/version",
                "/model/parse",
                "/conversations/x/tracker",
            ]
        ),
    ),
    query=fuzz.query_strings,
    body=st.just(b"") | fuzz.bodies,
    content_type=st.none() | fuzz.content_types,
)
def test_any_path_and_method(rasa, method, path, query, body, content_type):
    send(rasa, "Rasa, any path and method", method, path, body, content_type, query)


@cases(everyday=8, fuzz=100)
@given(
    path=st.sampled_from(WEBHOOKS),
    size=st.sampled_from([16 * 1024 + 1, 64 * 1024 + 1, MEGABYTE, 3 * MEGABYTE]),
    content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain"]),
)
def test_large_bodies(rasa, path, size, content_type):
    body = json.dumps({"sender": "0123456789abcdef0123", "message": "x" * size}).encode()
    send(rasa, "Rasa, large bodies", "POST", path, body, content_type)
