"""The one place every channel cuts a long message and words the notice (bot/channels/message_length.py)."""

import pytest

from bot.channels import message_length


def test_a_message_within_the_limit_is_read_whole():
    assert message_length.cut("  I need help  ", 1000) == ("I need help", None)
    assert message_length.cut("x" * 1000, 1000) == ("x" * 1000, None)


def test_spaces_around_a_message_do_not_count():
    assert message_length.cut("hi" + " " * 5000, 1000) == ("hi", None)


def test_a_long_message_is_cut_and_the_person_told_calmly():
    text, notice = message_length.cut("help " * 400, 1000)
    assert len(text) <= 1000 and text.startswith("help help")
    assert notice == "Your message was long, so I have read only the first 1,000 characters."


def test_the_notice_names_the_configured_limit():
    assert message_length.cut("abcdef", 5) == (
        "abcde",
        "Your message was long, so I have read only the first 5 characters.",
    )


def test_the_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(message_length.VARIABLE, raising=False)
    assert message_length.configured() == 1000
    monkeypatch.setenv(message_length.VARIABLE, "250")
    assert message_length.configured() == 250


@pytest.mark.parametrize("value", ["0", "-3", "a thousand", "1e3"])
def test_a_wrong_limit_stops_the_channels_from_starting(monkeypatch, value):
    monkeypatch.setenv(message_length.VARIABLE, value)
    with pytest.raises(ValueError, match=message_length.VARIABLE):
        message_length.configured()


def test_a_lone_surrogate_is_read_as_a_replacement_character():
    """Only hand-made JSON holds one, and spaCy fails on it (found by tests/fuzz/)."""
    assert message_length.cut("hello \ud800 there\udfff", 1000) == ("hello \ufffd there\ufffd", None)
    assert message_length.cut("\U0001f600", 1000) == ("\U0001f600", None)
