"""The website chat channel in the running Rasa: REST-like turns, validation (4xx, never 500), the quick-exit
flag, the exit endpoint, the CORS allow-list, and no message text in the logs."""

from __future__ import annotations

import secrets

import pytest
import requests

pytestmark = pytest.mark.stack

WEB_CHAT_URL = "http://localhost:5005/webhooks/web/webhook"
EXIT_URL = "http://localhost:5005/webhooks/web/exit"
ALLOWED = "http://localhost:8080"
MENS_ADVICE_LINE = "0808 801 0327"


def new_sender() -> str:
    return secrets.token_hex(16)


def post(url: str, **kwargs) -> requests.Response:
    return requests.post(url, timeout=30, **kwargs)


def test_a_turn_answers_like_the_rest_channel_with_buttons(rasa_stack):
    replies = post(WEB_CHAT_URL, json={"sender": new_sender(), "message": "/greet"}).json()
    assert "not an emergency service" in replies[0]["text"]
    assert {"title": "Yes, I can talk", "payload": "/affirm"} in replies[0]["buttons"]
    assert all(set(reply) <= {"text", "buttons", "custom", "language"} for reply in replies)
    assert replies[0]["language"] == "en"


def test_each_reply_says_its_language_so_the_widget_can_follow(web_chat_reply):
    sender = new_sender()
    replies = post(WEB_CHAT_URL, json={"sender": sender, "message": "Polski"}).json()
    assert replies and all(reply["language"] == "pl" for reply in replies)
    replies = post(WEB_CHAT_URL, json={"sender": sender, "message": "Jestem mężczyzną i żona mnie bije"}).json()
    assert MENS_ADVICE_LINE in "\n".join(reply.get("text", "") for reply in replies)  # from the action server
    assert all(reply["language"] == "pl" for reply in replies)


def test_the_conversation_is_kept_between_turns_until_exit(web_chat_reply):
    """The observation the browser tests rely on: a town alone answers for the need given before."""
    sender = new_sender()
    web_chat_reply(sender, "I'm a man and my wife hits me")
    assert MENS_ADVICE_LINE in web_chat_reply(sender, "Aylesbury")
    assert post(EXIT_URL, data=f'{{"sender": "{sender}"}}', headers={"Content-Type": "text/plain"}).status_code == 204
    assert MENS_ADVICE_LINE not in web_chat_reply(sender, "Aylesbury")


def test_the_exit_endpoint_takes_a_bare_id_and_unknown_ids(web_chat_reply):
    sender = new_sender()
    web_chat_reply(sender, "I'm a man and my wife hits me")
    assert post(EXIT_URL, data=sender).status_code == 204
    assert MENS_ADVICE_LINE not in web_chat_reply(sender, "Aylesbury")
    assert post(EXIT_URL, json={"sender": new_sender()}).status_code == 204


def test_the_quick_exit_reply_tells_the_widget_to_leave(web_chat_reply):
    sender = new_sender()
    web_chat_reply(sender, "I'm a man and my wife hits me")
    replies = post(WEB_CHAT_URL, json={"sender": sender, "message": "exit"}).json()
    assert replies[-1]["quick_exit"] is True
    assert not any(
        reply.get("quick_exit") for reply in post(WEB_CHAT_URL, json={"sender": sender, "message": "hello"}).json()
    )


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"",
        b"[]",
        b'"just a string"',
        b'{"sender": "short", "message": "hi"}',
        b'{"sender": "has spaces in it and more", "message": "hi"}',
        b'{"sender": "../../etc/passwd/abcdefgh"}',
        b'{"message": "hi"}',
        b'{"sender": "0123456789abcdef0123", "message": 5}',
        b'{"sender": "0123456789abcdef0123", "message": "   "}',
        b'{"sender": ["0123456789abcdef0123"], "message": "x"}',
        b'{"sender": "0123456789abcdef0123", "message": "' + b"x" * 20_000 + b'"}',
        b"\xff\xfe",
    ],
)
def test_bad_input_gets_a_clear_400(rasa_stack, body):
    response = post(WEB_CHAT_URL, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize("body", [b"", b"short", b'{"sender": 12}', b"../../etc/passwd"])
def test_the_exit_endpoint_refuses_what_is_not_an_id(rasa_stack, body):
    assert post(EXIT_URL, data=body).status_code == 400


def test_a_long_message_is_cut_and_the_person_told(rasa_stack):
    replies = post(WEB_CHAT_URL, json={"sender": new_sender(), "message": "help " * 400}).json()
    assert replies[0]["text"].startswith("Your message was long")
    assert len(replies) > 1


@pytest.mark.parametrize("url", [WEB_CHAT_URL, EXIT_URL])
def test_cors_preflight_allows_only_the_allow_list(rasa_stack, url):
    ask = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = requests.options(url, headers={"Origin": ALLOWED, **ask}, timeout=10)
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
    assert "content-type" in allowed.headers["Access-Control-Allow-Headers"].lower()
    other = requests.options(url, headers={"Origin": "https://evil.example", **ask}, timeout=10)
    assert "Access-Control-Allow-Origin" not in other.headers


def test_an_origin_outside_the_allow_list_is_refused(rasa_stack):
    message = {"sender": new_sender(), "message": "hello"}
    allowed = post(WEB_CHAT_URL, json=message, headers={"Origin": ALLOWED})
    assert allowed.status_code == 200 and allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    refused = post(WEB_CHAT_URL, json=message, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers
    assert post(EXIT_URL, data=message["sender"], headers={"Origin": "https://evil.example"}).status_code == 403


def test_message_text_never_reaches_the_logs(rasa_stack, web_chat_reply):
    marker = "quokka-" + secrets.token_hex(6)
    web_chat_reply(new_sender(), f"my neighbour's {marker} keeps shouting")
    post(WEB_CHAT_URL, data=b'{"sender": "bad", "message": "' + marker.encode() + b'"}')
    assert marker not in rasa_stack.log_path.read_text(errors="replace")
