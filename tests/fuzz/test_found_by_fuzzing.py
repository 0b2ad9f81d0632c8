"""What fuzzing found, kept as plain examples: each was a 500 before its fix."""

from __future__ import annotations

import io

import pytest
from werkzeug.test import EnvironBuilder

from .harness import TRACEBACK_MARKERS

HUGE = "99999999999999999999"


def assert_clear(response, status: int) -> None:
    assert response.status_code == status
    assert not any(marker in response.get_data(as_text=True) for marker in TRACEBACK_MARKERS)


@pytest.mark.parametrize(
    "path", [f"/admin/accounts/{HUGE}", f"/admin/audit/{HUGE}", f"/admin/changes/{HUGE}", "/admin/audit/2147483648"]
)
def test_a_row_number_beyond_the_database_is_no_row(catalogue, signed_in, path):
    """services_catalogue/admin/__init__.py: RowNumber."""
    assert_clear(signed_in.client.get(path), 404)


def test_publishing_a_draft_number_beyond_the_database_is_no_row(catalogue, signed_in):
    assert_clear(signed_in.client.post(f"/admin/changes/{HUGE}/publish", data={"csrf_token": signed_in.token}), 404)


@pytest.mark.parametrize("path", [f"/admin/services/?page={HUGE}", f"/admin/audit/?page={HUGE}"])
def test_a_page_far_past_the_last_is_an_empty_page(catalogue, signed_in, path):
    """services_catalogue/admin/views/base.py: page_number."""
    assert_clear(signed_in.client.get(path), 200)


@pytest.mark.parametrize("path", [f"/services?page={HUGE}", f"/taxonomy_terms?page={HUGE}"])
def test_the_api_caps_the_page_number(catalogue, path):
    """services_catalogue/api.py: MAX_PAGE."""
    response = catalogue.app.test_client().get(path)
    assert_clear(response, 200)
    assert response.get_json()["contents"] == []


@pytest.mark.parametrize("path", ["/services?search=%00", "/services/%00", "/admin/services/?q=%00", "/admin/signin/"])
def test_a_nul_character_is_refused_before_the_database_sees_it(catalogue, path):
    """services_catalogue/web.py: PostgreSQL cannot hold NUL in text."""
    client = catalogue.app.test_client()
    response = client.post(path, data={"email": "a\x00@example.org"}) if path == "/admin/signin/" else client.get(path)
    assert_clear(response, 400)


def test_a_form_part_without_a_readable_name_is_refused(catalogue, signed_in):
    """services_catalogue/web.py: Flask-WTF's token check failed on the part's missing name."""
    environ = EnvironBuilder(
        path="/admin/services/new",
        method="POST",
        data={"csrf_token": signed_in.token, "a\nb": "x", "file": (io.BytesIO(b"x"), "x.csv")},
    ).get_environ()
    assert b'name="a\nb"' in environ["wsgi.input"].getvalue()
    assert_clear(signed_in.client.open(environ), 400)


def test_a_phone_row_without_its_number_field_is_read_as_blank(catalogue, signed_in):
    """services_catalogue/admin/service_form.py: a posted phone row missing the number field had None for it."""
    response = signed_in.client.post(
        f"/admin/services/{catalogue.service_keys[0]}/",
        data={"csrf_token": signed_in.token, "name": "A service", "phones-0-verified_by": "someone"},
    )
    assert_clear(response, 200)


@pytest.mark.stack
@pytest.mark.parametrize("channel", ["rest", "web"])
def test_a_payload_that_sets_the_language_to_an_object_gets_an_answer(rasa, channel):
    """bot/channels/collector.py: a reply's language was used as a set member; bot/channels/sms_turn.py likewise."""
    base, session = rasa
    response = session.post(
        f"{base}/webhooks/{channel}/webhook",
        timeout=30,
        json={"sender": "language-object-0123456789", "message": '/ask_language{"language": {"a": 1}}'},
    )
    assert response.status_code == 200 and response.json()


@pytest.mark.stack
@pytest.mark.parametrize("host", ["localhost:abc", "localhost:99999", "[bad", "¯ÿL"])
def test_a_host_no_url_can_hold_fails_the_twilio_signature_check(rasa, host):
    """bot/channels/sms.py: Twilio's RequestValidator raised ValueError on the URL built from the Host header."""
    base, session = rasa
    response = session.post(
        base + "/webhooks/sms/webhook",
        data=b"From=%2B447700900644&Body=hi",
        timeout=30,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Host": host,
            "X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl",
        },
    )
    assert response.status_code == 403


@pytest.mark.stack
@pytest.mark.parametrize("channel", ["rest", "web"])
def test_a_lone_surrogate_reaches_the_bot_as_a_replacement_character(rasa, channel):
    """bot/channels/message_length.py: spaCy failed on it, so the turn was a 503."""
    base, session = rasa
    body = '{"sender": "lone-surrogate-0123456789", "message": "hello \\ud800 there"}'
    response = session.post(
        f"{base}/webhooks/{channel}/webhook", data=body, timeout=30, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200 and response.json()


@pytest.mark.stack
@pytest.mark.parametrize("sender", ["\\ud800", "a\\nb", "\\u0000"])
def test_a_rest_sender_that_is_not_printable_is_refused(rasa, sender):
    """bot/channels/rest.py: such an id is no client's, and Redis cannot store a lone surrogate."""
    base, session = rasa
    response = session.post(
        f"{base}/webhooks/rest/webhook",
        data=f'{{"sender": "{sender}", "message": "hi"}}',
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400
