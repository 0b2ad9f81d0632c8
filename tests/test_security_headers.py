"""Every server we run sends security headers on every response, errors and 404s included: Rasa :5005 (its
own routes and our three channels), the action server :5055, the catalogue API and staff admin :8081, the
website demo :8080. API responses allow nothing at all (common/security_headers.py); pages allow only their own
files, never inline script or style. The web chat channel's CORS headers still arrive alongside."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import pytest
import requests
from twilio.request_validator import RequestValidator

from bot.channels.web import DEFAULT_ORIGINS
from bot.serve import MAX_REQUEST_BYTES
from common.security_headers import API_HEADERS

pytestmark = pytest.mark.stack

RASA, ACTIONS, ADMIN, WEBSITE = (f"http://localhost:{port}" for port in (5005, 5055, 8081, 8080))
SMS_URL = f"{RASA}/webhooks/sms/webhook"
WIDGET_ORIGIN = DEFAULT_ORIGINS
API_POLICY = API_HEADERS["Content-Security-Policy"]
TOO_LARGE = b"x" * (MAX_REQUEST_BYTES + 1)


def new_id() -> str:
    return uuid.uuid4().hex


def signed_sms(token: str) -> dict:
    """A text as Twilio posts it, signed with the test stack's token; from Ofcom's range for drama."""
    form = {"From": "+447700900917", "Body": "hello", "MessageSid": "SM" + uuid.uuid4().hex}
    return {
        "data": urlencode(form),
        "headers": {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": RequestValidator(token).compute_signature(SMS_URL, form),
        },
    }


# (method, url, request keyword arguments, expected status)
API_RESPONSES = {
    "rasa root route": ("GET", f"{RASA}/", {}, 200),
    "rasa 404": ("GET", f"{RASA}/no-such-page", {}, 404),
    "rasa /version (no HTTP API)": ("GET", f"{RASA}/version", {}, 404),
    "rasa wrong method": ("GET", f"{RASA}/webhooks/rest/webhook", {}, 405),
    "rasa body too large": ("POST", f"{RASA}/webhooks/rest/webhook", {"data": TOO_LARGE}, 413),
    "rest turn": ("POST", f"{RASA}/webhooks/rest/webhook", {"json": {"sender": new_id(), "message": "/greet"}}, 200),
    "rest bad body": ("POST", f"{RASA}/webhooks/rest/webhook", {"data": b"not json"}, 400),
    "rest health": ("GET", f"{RASA}/webhooks/rest/", {}, 200),
    "web chat foreign origin": (
        "POST",
        f"{RASA}/webhooks/web/webhook",
        {"json": {"sender": new_id(), "message": "hi"}, "headers": {"Origin": "https://evil.example"}},
        403,
    ),
    "web chat bad body": ("POST", f"{RASA}/webhooks/web/webhook", {"data": b"[]"}, 400),
    "web chat exit": ("POST", f"{RASA}/webhooks/web/exit", {"data": new_id()}, 204),
    "sms unsigned": (
        "POST",
        SMS_URL,
        {"data": "From=%2B447700900917&Body=hi", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
        403,
    ),
    "sms health": ("GET", f"{RASA}/webhooks/sms/", {}, 200),
    "actions health": ("GET", f"{ACTIONS}/health", {}, 200),
    "actions list": ("GET", f"{ACTIONS}/actions", {}, 200),
    "actions 404": ("GET", f"{ACTIONS}/no-such-page", {}, 404),
    "actions bad body": ("POST", f"{ACTIONS}/webhook", {"data": b"not json"}, 400),
    "catalogue API": ("GET", f"{ADMIN}/", {}, 200),
    "catalogue API 404": ("GET", f"{ADMIN}/services/no-such-service", {}, 404),
    "catalogue API 400": ("GET", f"{ADMIN}/services?page=0", {}, 400),
    "catalogue API wrong method": ("POST", f"{ADMIN}/services", {}, 405),
}

# Pages a browser shows: their own policies, each without inline code and unframeable.
PAGES = {
    "admin sign-in": ("GET", f"{ADMIN}/admin/signin/", {}, 200),
    "admin 404": ("GET", f"{ADMIN}/admin/no-such-page", {}, 404),
    "admin form without CSRF token": ("POST", f"{ADMIN}/admin/signin/", {"data": {"email": "a@b.example"}}, 400),
    "website home": ("GET", f"{WEBSITE}/", {}, 200),
    "website widget script": ("GET", f"{WEBSITE}/components/chat-widget/chat-widget.js", {}, 200),
    "website 404": ("GET", f"{WEBSITE}/no-such-page", {}, 404),
    "website wrong method": ("POST", f"{WEBSITE}/", {}, 405),
}


def fetch(method: str, url: str, arguments: dict, status: int) -> requests.Response:
    response = requests.request(method, url, timeout=60, allow_redirects=False, **arguments)
    assert response.status_code == status, response.text[:200]
    return response


def assert_common_headers(response: requests.Response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "no-referrer"


@pytest.mark.parametrize("method, url, arguments, status", API_RESPONSES.values(), ids=API_RESPONSES.keys())
def test_api_responses_allow_nothing(rasa_stack, method, url, arguments, status):
    response = fetch(method, url, arguments, status)
    assert_common_headers(response)
    assert response.headers["Content-Security-Policy"] == API_POLICY == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers.get("Cache-Control") == "no-store"


@pytest.mark.parametrize("method, url, arguments, status", PAGES.values(), ids=PAGES.keys())
def test_pages_allow_only_their_own_files(rasa_stack, method, url, arguments, status):
    response = fetch(method, url, arguments, status)
    assert_common_headers(response)
    sources = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in sources or "default-src 'self'" in sources
    assert response.headers.get("Cache-Control") == "no-store"


def test_an_sms_reply_in_twiml_has_the_headers(rasa_stack):
    response = fetch("POST", SMS_URL, signed_sms(rasa_stack.twilio_token), 200)
    assert response.headers["Content-Type"].startswith("text/xml")
    assert_common_headers(response)
    assert response.headers["Content-Security-Policy"] == API_POLICY


@pytest.mark.parametrize("method, status", [("POST", 200), ("OPTIONS", 200)])
def test_web_chat_keeps_its_cors_headers_beside_them(rasa_stack, method, status):
    """The widget's page may call the channel (a preflight, then the turn); the security headers come too."""
    headers = {
        "Origin": WIDGET_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    response = fetch(
        method,
        f"{RASA}/webhooks/web/webhook",
        {"json": {"sender": new_id(), "message": "/greet"}, "headers": headers},
        status,
    )
    assert response.headers["Access-Control-Allow-Origin"] == WIDGET_ORIGIN
    assert_common_headers(response)
    assert response.headers["Content-Security-Policy"] == API_POLICY
