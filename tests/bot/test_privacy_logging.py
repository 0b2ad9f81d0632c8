"""Logs keep their wording but never what a person wrote, request bodies or exception details."""

import logging

import pytest

from common import privacy_logging


@pytest.fixture
def captured(caplog):
    privacy_logging.install()
    caplog.set_level(logging.INFO)
    return caplog


def test_arguments_and_bodies_are_withheld(captured):
    logging.getLogger("rasa.core.processor").error('Failed: body=\'{"text": "CANARY-1 my husband"}\'')
    logging.getLogger("rasa.core.channels").warning('{"event": "rest.message.received.failure", "text": "CANARY-2"}')
    logging.getLogger("sanic").info("message %s", "CANARY-3 phone 07911123456" * 20)
    text = captured.text
    assert "CANARY" not in text and "07911123456" not in text
    assert "rest.message.received.failure (details withheld)" in text
    assert "message %s (values withheld)" in text


def test_exceptions_become_their_type(captured):
    try:
        raise ValueError("CANARY-4 she hits me")
    except ValueError:
        logging.getLogger("actions").exception("action failed")
    assert "CANARY-4" not in captured.text
    assert "action failed [ValueError]" in captured.text
