"""Roles, signing in with its limits, the create-admin command and the secret key file."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest
from sqlalchemy import select

from services_catalogue.__main__ import main
from services_catalogue.admin import settings, signin
from services_catalogue.admin.accounts import can, find, password_matches
from services_catalogue.db import get_engine, session_scope
from services_catalogue.staff_models import AuditEntry

from .conftest import PASSWORD, STAFF


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("editor", {"editor"}),
        ("approver", {"editor", "approver"}),
        ("admin", {"editor", "approver", "admin"}),
    ],
)
def test_each_role_can_do_what_the_roles_below_it_can(role, allowed):
    class Person:
        pass

    person = Person()
    person.role = role
    assert {needed for needed in ("editor", "approver", "admin") if can(person, needed)} == allowed


def attempt(engine, password: str, who: str = "editor", address: str = "192.0.2.1"):
    with session_scope(engine) as session:
        return signin.sign_in(session, STAFF.get(who, who), password, address)


def test_the_right_password_signs_in_and_is_audited(engine):
    result = attempt(engine, PASSWORD)
    assert result.account.email == STAFF["editor"] and result.refusal is None
    with session_scope(engine) as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.actor, entry.note) == ("signed in", STAFF["editor"], "from 192.0.2.1")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes_and_the_log_says_so(engine):
    for _ in range(signin.LOCK_AFTER - 1):
        assert attempt(engine, "wrong password!").refusal == signin.WRONG
    assert attempt(engine, "wrong password!").refusal == signin.LOCKED
    assert attempt(engine, PASSWORD).refusal == signin.LOCKED
    with session_scope(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "locked account")).one()
        assert entry.subject_key == STAFF["editor"] and "5 wrong passwords" in entry.note
        account = find(session, STAFF["editor"])
        assert account.locked_until - dt.datetime.utcnow() > dt.timedelta(minutes=14)
        account.locked_until = dt.datetime.utcnow() - dt.timedelta(seconds=1)
    assert attempt(engine, PASSWORD).account is not None


def test_one_address_failing_many_times_is_refused_whichever_account_it_tries(engine):
    for number in range(signin.ADDRESS_LIMIT):
        attempt(engine, "wrong password!", f"nobody{number}@example.org", address="198.51.100.7")
    assert attempt(engine, PASSWORD, "approver", address="198.51.100.7").refusal == signin.BUSY_ADDRESS
    assert attempt(engine, PASSWORD, "approver", address="198.51.100.8").account is not None


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(engine):
    assert attempt(engine, PASSWORD, "stranger@example.org").refusal == signin.WRONG


def test_create_admin_takes_the_password_from_the_environment_and_refuses_short_ones(sqlite_url, monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_PASSWORD", "too short")
    assert main(["create-admin", "boss@example.org"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    monkeypatch.setenv("ADMIN_PASSWORD", "long enough password")
    assert main(["create-admin", "Boss@Example.org"]) == 0
    with session_scope(get_engine(sqlite_url)) as session:
        account = find(session, "boss@example.org")
        assert account.role == "admin" and password_matches(account, "long enough password")
        assert account.password_hash.startswith("$argon2")


def test_create_admin_asks_twice_when_no_password_is_set(sqlite_url, monkeypatch, capsys):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    answers = iter(["typed password one", "typed password two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["create-admin", "boss@example.org"]) == 1
    assert "different" in capsys.readouterr().err
    with session_scope(get_engine(sqlite_url)) as session:
        assert find(session, "boss@example.org") is None


def test_without_a_configured_key_one_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("ADMIN_SECRET_KEY", raising=False)
    path = tmp_path / "var" / "admin-secret"
    key = settings.secret_key(path)
    assert len(key) == 64 and settings.secret_key(path) == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    monkeypatch.setenv("ADMIN_SECRET_KEY", "from the environment")
    assert settings.secret_key(path) == "from the environment"
