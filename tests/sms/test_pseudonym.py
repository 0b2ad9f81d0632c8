"""The SMS sender's conversation id: a keyed hash of the E.164 number, never the number."""

import os
import stat

import pytest

from bot.channels import pseudonym

SECRET = b"a-secret-of-at-least-sixteen"


def test_the_same_person_however_the_number_is_written():
    ids = {
        pseudonym.sender_id(n, SECRET) for n in ("+447700900123", "07700 900123", "+44 7700 900123", "0044 7700 900123")
    }
    assert len(ids) == 1


def test_the_id_holds_no_digits_of_the_number_and_depends_on_the_secret():
    number = "+447700900123"
    one = pseudonym.sender_id(number, SECRET)
    assert one.startswith("sms-") and len(one) == 4 + 64
    assert "7700900123" not in one and "900123" not in one
    assert one != pseudonym.sender_id(number, b"another-secret-of-enough-length")
    assert one != pseudonym.sender_id("+447700900124", SECRET)


def test_a_short_code_or_alphanumeric_sender_still_gets_an_id():
    assert pseudonym.sender_id("COUNCIL", SECRET).startswith("sms-")


@pytest.mark.parametrize("value", [None, "", "short"])
def test_no_or_weak_secret_refuses(monkeypatch, value):
    if value is None:
        monkeypatch.delenv(pseudonym.SECRET_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(pseudonym.SECRET_VARIABLE, value)
    with pytest.raises(pseudonym.MissingSecret, match="SENDER_HASH_SECRET"):
        pseudonym.configured_secret()


def test_configured_secret(monkeypatch):
    monkeypatch.setenv(pseudonym.SECRET_VARIABLE, "x" * 32)
    assert pseudonym.configured_secret() == b"x" * 32


def test_the_local_launcher_generates_a_private_secret_once(monkeypatch, tmp_path):
    monkeypatch.delenv(pseudonym.SECRET_VARIABLE, raising=False)
    path = tmp_path / "var" / "sender-hash-secret"
    first = pseudonym.dev_secret_env(path)
    assert len(first[pseudonym.SECRET_VARIABLE]) == 64
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert pseudonym.dev_secret_env(path) == first
    assert [p.name for p in path.parent.iterdir()] == ["sender-hash-secret"]  # no temporary file left


def test_the_local_launcher_leaves_a_configured_secret_alone(monkeypatch, tmp_path):
    monkeypatch.setenv(pseudonym.SECRET_VARIABLE, "x" * 32)
    assert pseudonym.dev_secret_env(tmp_path / "secret") == {}
    assert not (tmp_path / "secret").exists()
