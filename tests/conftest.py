"""Shared fixtures: a seeded catalogue on SQLite and on this machine's PostgreSQL."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from services_catalogue.db import get_engine, session_scope
from services_catalogue.schema import migrate
from services_catalogue.seeding import seed

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
# The SMS channel's settings in the test stack (tests/sms/ signs requests with the token).
TEST_TWILIO_TOKEN = "test-twilio-auth-token"
TEST_SENDER_HASH_SECRET = "test-sender-hash-secret-0123456789"


@pytest.fixture(scope="session")
def postgres_server_url():
    """A database of our own on the PostgreSQL server, dropped at the end of the session."""
    name = f"catalogue_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    get_engine(url).dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_postgres(url: str):
    engine = get_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request, tmp_path):
    """A migrated, empty catalogue on each database."""
    if request.param == "sqlite":
        engine = get_engine(f"sqlite:///{tmp_path / 'catalogue.db'}")
    else:
        engine = _fresh_postgres(request.getfixturevalue("postgres_server_url"))
    migrate(engine)
    return engine


@pytest.fixture
def engine(empty_engine):
    """A migrated catalogue holding the seed data, on each database."""
    with session_scope(empty_engine) as session:
        seed(session)
    return empty_engine


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'catalogue.db'}")
    migrate(engine)
    with session_scope(engine) as session:
        seed(session)
    return engine


class RunningStack:
    """The assistant as `make run` starts it, on its fixed ports, with a catalogue of its own."""

    rest_url = "http://localhost:5005/webhooks/rest/webhook"
    sms_url = "http://localhost:5005/webhooks/sms/webhook"
    twilio_token = TEST_TWILIO_TOKEN
    sender_hash_secret = TEST_SENDER_HASH_SECRET

    def __init__(self, catalogue_url: str, log_path):
        self.catalogue_url = catalogue_url
        self.log_path = log_path
        self.parts = {}

    def start(self, name: str) -> None:
        from bot import stack

        part = next(p for p in stack.parts() if p.name == name)
        with open(self.log_path, "ab") as log:
            self.parts[name] = stack.start(part, env={"DATABASE_URL": self.catalogue_url,
                                                      "TWILIO_AUTH_TOKEN": TEST_TWILIO_TOKEN,
                                                      "SENDER_HASH_SECRET": TEST_SENDER_HASH_SECRET}, output=log)
        stack.wait_until_ready([self.parts[name]])

    def stop(self, name: str) -> None:
        from bot import stack

        stack.stop(self.parts.pop(name))

    def send(self, sender: str, message: str) -> list[dict]:
        import requests

        response = requests.post(self.rest_url, json={"sender": sender, "message": message}, timeout=30)
        response.raise_for_status()
        return response.json()

    def reply_text(self, sender: str, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.send(sender, message))


@pytest.fixture(scope="session")
def rasa_stack(tmp_path_factory):
    """Starts Rasa, the action server and the admin once for the session (the model must be trained).

    The ports are fixed, so concurrent test sessions on one machine take turns (bot.stack.ports_held)."""
    from bot import stack

    with stack.ports_held():
        yield from _running_stack(tmp_path_factory)


def _running_stack(tmp_path_factory):
    from bot import stack

    busy = [p for p in stack.parts() if stack.port_open(p.port)]
    if busy:
        pytest.fail("Stop `make run` first: port(s) in use: " + ", ".join(str(p.port) for p in busy))
    if not stack.MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    folder = tmp_path_factory.mktemp("stack")
    url = f"sqlite:///{folder / 'catalogue.db'}"
    engine = get_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        seed(session)
    running = RunningStack(url, folder / "stack.log")
    try:
        for part in stack.parts():
            running.start(part.name)
        yield running
    finally:
        for name in list(running.parts):
            running.stop(name)
