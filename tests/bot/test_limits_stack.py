"""The input limits at the real endpoints of a running Rasa: request body size (413), the message length cut and
its notice, and the per-sender and per-address rate limits on the REST, web chat and SMS webhooks.

The shared test stack has room for the whole suite (tests/conftest.py), so these run on a Rasa of their own, on
a spare port, with small limits. It trusts one proxy, so each test gets its own address from X-Forwarded-For.
"""

from __future__ import annotations

import itertools
import secrets
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlencode

import pytest
import requests
from twilio.request_validator import RequestValidator

from bot.channels import channel_texts, message_length
from tools import stack

REFUSAL = channel_texts.text("rate_limited")

pytestmark = pytest.mark.stack

PER_SENDER, PER_ADDRESS, MAX_CHARS = 3, 8, 200
TWILIO_TOKEN = "limits-test-twilio-token"
LIMITED_ENV = {
    "RATE_LIMIT_PER_SENDER": str(PER_SENDER),
    "RATE_LIMIT_PER_ADDRESS": str(PER_ADDRESS),
    "RATE_LIMIT_TRUSTED_PROXIES": "1",
    "MAX_MESSAGE_CHARS": str(MAX_CHARS),
    "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
    "SENDER_HASH_SECRET": "limits-test-sender-hash-secret-0123",
}
MEGABYTE = 1024 * 1024


@pytest.fixture(scope="module")
def rasa_url(tmp_path_factory):
    if not stack.MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    ports = stack.spare_stack_ports()
    rasa = next(part for part in stack.parts(**ports) if part.name == "Rasa")
    log_path = tmp_path_factory.mktemp("limited-rasa") / "rasa.log"
    with open(log_path, "ab") as log:
        stack.start(rasa, env=LIMITED_ENV, output=log)
    try:
        stack.wait_until_ready([rasa])
        yield f"http://localhost:{ports['rasa_port']}"
    finally:
        stack.stop(rasa)


# Each test its own address: drawn at random, two tests could share one and the second find its allowance spent.
_addresses = itertools.count(1)


def new_address() -> str:
    """A client's claim, then the address our one trusted proxy saw, which is the one counted."""
    return f"198.51.100.7, 203.0.113.{next(_addresses)}"


def post_json(url: str, sender: str, message: str, address: str) -> requests.Response:
    return requests.post(
        url, json={"sender": sender, "message": message}, headers={"X-Forwarded-For": address}, timeout=30
    )


def text_sms(url: str, number: str, body: str, address: str) -> list[str]:
    form = {"MessageSid": "SM" + secrets.token_hex(16), "From": number, "Body": body, "To": "+441494000000"}
    response = requests.post(
        url,
        data=urlencode(form),
        timeout=30,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": address,
            "X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(url, form),
        },
    )
    assert response.status_code == 200, response.text
    return [message.text or "" for message in ElementTree.fromstring(response.content).iter("Message")]


def assert_calm_refusal(response: requests.Response) -> None:
    assert response.status_code == 429
    assert response.json() == [{"text": REFUSAL, "language": "en"}]
    assert "999" in REFUSAL and "55" in REFUSAL and "0808 2000 247" in REFUSAL


@pytest.mark.parametrize("channel", ["rest", "web"])
def test_a_sender_over_its_allowance_gets_a_calm_429_that_still_gives_999(rasa_url, channel):
    url, sender, address = f"{rasa_url}/webhooks/{channel}/webhook", secrets.token_hex(16), new_address()
    assert [post_json(url, sender, "hello", address).status_code for _ in range(PER_SENDER)] == [200] * PER_SENDER
    assert_calm_refusal(post_json(url, sender, "hello", address))
    assert post_json(url, secrets.token_hex(16), "hello", address).status_code == 200


def test_the_refusal_is_in_the_language_the_person_writes(rasa_url):
    url, sender, address = f"{rasa_url}/webhooks/rest/webhook", secrets.token_hex(16), new_address()
    message = "Potrzebuję pomocy, mój mąż mnie kontroluje"
    assert all(post_json(url, sender, message, address).ok for _ in range(PER_SENDER))
    refused = post_json(url, sender, message, address)
    assert refused.status_code == 429
    assert refused.json() == [{"text": channel_texts.text("rate_limited", "pl"), "language": "pl"}]


def test_an_address_has_one_allowance_across_web_chat_and_rest(rasa_url):
    address = new_address()
    statuses = [
        post_json(f"{rasa_url}/webhooks/{channel}/webhook", secrets.token_hex(16), "hello", address).status_code
        for channel in ("rest", "web") * (PER_ADDRESS // 2)
    ]
    assert statuses == [200] * PER_ADDRESS
    assert_calm_refusal(post_json(f"{rasa_url}/webhooks/web/webhook", secrets.token_hex(16), "hello", address))
    assert post_json(f"{rasa_url}/webhooks/rest/webhook", secrets.token_hex(16), "hello", new_address()).ok


def test_a_texter_over_the_allowance_gets_twiml_with_999_and_exit_still_works(rasa_url):
    url, number, address = f"{rasa_url}/webhooks/sms/webhook", "+447700900923", new_address()
    for _ in range(PER_SENDER):
        assert REFUSAL not in "\n".join(text_sms(url, number, "hello", address))
    assert "\n".join(text_sms(url, number, "hello", address)) == REFUSAL  # with 999, 55, the helpline
    assert text_sms(url, number, "EXIT", address) == ["Cleared."]


def test_sms_is_not_limited_per_address_since_every_text_comes_from_twilio(rasa_url):
    url, address = f"{rasa_url}/webhooks/sms/webhook", new_address()
    replies = ["\n".join(text_sms(url, f"+447700900{n:03d}", "hello", address)) for n in range(PER_ADDRESS + 1)]
    assert all(reply and REFUSAL not in reply for reply in replies)


@pytest.mark.parametrize("channel", ["rest", "web"])
def test_a_long_message_is_cut_at_the_configured_length_and_the_person_told(rasa_url, channel):
    replies = post_json(
        f"{rasa_url}/webhooks/{channel}/webhook", secrets.token_hex(16), "help " * 100, new_address()
    ).json()
    assert replies[0]["text"] == message_length.cut_notice(MAX_CHARS) and len(replies) > 1


def test_a_long_text_is_cut_and_the_person_told(rasa_url):
    reply = "\n".join(text_sms(f"{rasa_url}/webhooks/sms/webhook", "+447700900999", "help " * 100, new_address()))
    assert message_length.cut_notice(MAX_CHARS) in reply


@pytest.mark.parametrize("path", ["rest/webhook", "web/webhook", "web/exit", "sms/webhook"])
def test_a_megabyte_body_is_refused_with_413(rasa_url, path):
    response = requests.post(
        f"{rasa_url}/webhooks/{path}", data=b"x" * MEGABYTE, timeout=30, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
