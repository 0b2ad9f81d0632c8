"""What the webhook refuses before anything reaches the bot, and the URL it checks the signature against."""

from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.sms import SmsInput, signed_url

TOKEN = "unit-test-token"
URL = "https://sms.example.org/webhooks/sms/webhook"
FORM = {"MessageSid": "SM123", "From": "+447700900123", "To": "+441234567890", "Body": "hi", "NumMedia": "0"}


def request(body: bytes, content_type="application/x-www-form-urlencoded", signature=None):
    headers = {"content-type": content_type}
    if signature is not None:
        headers["x-twilio-signature"] = signature
    return SimpleNamespace(headers=headers, body=body, url=URL, path="/webhooks/sms/webhook", query_string="")


def signed(form=FORM, url=URL):
    return request(urlencode(form).encode(), signature=RequestValidator(TOKEN).compute_signature(url, form))


def channel(token=TOKEN, public_base_url=None):
    return SmsInput(token, b"x" * 32, public_base_url)


def status(result):
    return result.status if isinstance(result, HTTPResponse) else 200


def test_a_signed_form_passes_with_every_field():
    form = channel().checked_form(signed())
    assert {name: values[0] for name, values in form.items()} == FORM


def test_no_token_configured_refuses_everything_with_503():
    result = channel(token=None).checked_form(signed())
    assert status(result) == 503 and b"TWILIO_AUTH_TOKEN" in result.body


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "multipart/form-data", ""])
def test_other_content_types_are_415(content_type):
    assert status(channel().checked_form(request(b'{"Body": "hi"}', content_type=content_type))) == 415


def test_the_content_type_may_name_its_charset():
    signed_request = signed()
    signed_request.headers["content-type"] = "application/x-www-form-urlencoded; charset=UTF-8"
    assert status(channel().checked_form(signed_request)) == 200


@pytest.mark.parametrize(
    "body",
    [b"Body=\xff\xfe&From=%2B447700900123", b"Body=%FF%FE&From=1", "&".join(f"f{n}=1" for n in range(500)).encode()],
)
def test_bodies_twilio_would_never_send_are_400(body):
    assert status(channel().checked_form(request(body, signature="x"))) == 400


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl"])
def test_missing_or_forged_signature_is_403(signature):
    assert status(channel().checked_form(request(urlencode(FORM).encode(), signature=signature))) == 403


def test_signed_for_other_fields_is_403():
    forged = signed()
    forged.body = urlencode({**FORM, "Body": "something else"}).encode()
    assert status(channel().checked_form(forged)) == 403


def test_signed_without_from_is_400():
    form = {k: v for k, v in FORM.items() if k != "From"}
    assert status(channel().checked_form(signed(form))) == 400


def test_behind_a_proxy_the_public_url_is_checked():
    proxied = signed(url="https://public.example.org/webhooks/sms/webhook")
    assert status(channel().checked_form(proxied)) == 403
    assert status(channel(public_base_url="https://public.example.org/").checked_form(proxied)) == 200


def test_signed_url():
    assert (
        signed_url("http://127.0.0.1:5005/webhooks/sms/webhook", "/webhooks/sms/webhook", "", None)
        == "http://127.0.0.1:5005/webhooks/sms/webhook"
    )
    assert (
        signed_url(
            "http://127.0.0.1:5005/webhooks/sms/webhook?a=1", "/webhooks/sms/webhook", "a=1", "https://bot.example.org"
        )
        == "https://bot.example.org/webhooks/sms/webhook?a=1"
    )
