"""Twilio's opt-out keywords are left to Twilio; exit words in every language wipe the conversation."""

import pytest

from bot.channels.sms_keywords import is_exit, twilio_keyword


@pytest.mark.parametrize(
    "body, opt_out_type, expected",
    [
        ("STOP", None, "STOP"),
        ("stop.", None, "STOP"),
        ("Unsubscribe", None, "STOP"),
        ("QUIT", None, "STOP"),
        ("START", None, "START"),
        ("unstop", None, "START"),
        ("HELP", None, "HELP"),
        ("info", None, "HELP"),
        ("YES", "START", "START"),  # only Twilio knows YES was an opt-in here
        ("anything", "stop", "STOP"),
        ("yes", None, None),  # how people answer "Is it safe to talk?"
        ("help me he is hitting me", None, None),
        ("please stop him", None, None),
        ("hello", "", None),
    ],
)
def test_twilio_keyword(body, opt_out_type, expected):
    assert twilio_keyword(body, opt_out_type) == expected


@pytest.mark.parametrize("body", ["EXIT", "exit", "Clear", "CLEAR!", "quick exit", "delete this", "close chat"])
def test_exit_words(body):
    assert is_exit(body)


@pytest.mark.parametrize("body", ["he won't let me exit the house", "clear my head", "1", ""])
def test_not_exit(body):
    assert not is_exit(body)
