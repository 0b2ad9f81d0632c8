"""Shared fixtures: a seeded catalogue on SQLite and on this machine's PostgreSQL."""

from __future__ import annotations

import logging
import os
import uuid

import pytest
import structlog
from sqlalchemy import create_engine, text

from services_catalogue.db import get_engine, session_scope
from services_catalogue.schema import migrate
from services_catalogue.seeding import seed

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
# The SMS channel's settings in the test stack (tests/sms/ signs requests with the token).
TEST_TWILIO_TOKEN = "test-twilio-auth-token"
TEST_SENDER_HASH_SECRET = "test-sender-hash-secret-0123456789"
# The suite, and tests/fuzz/ with the ids it repeats, talk to the stack from one address far faster than anyone
# types: the stack under test has room for that. tests/bot/test_limits_stack.py checks the limits themselves.
TEST_RATE_LIMITS = {"RATE_LIMIT_PER_SENDER": "1000000", "RATE_LIMIT_PER_ADDRESS": "1000000"}
# What a fixture needs beyond the code itself; `make test-unit` leaves out tests with these marks.
FIXTURE_MARKS = {
    "agent": "model",
    "own_redis_url": "redis",
    "postgres_server_url": "postgres",
    "rasa_stack": "stack",
    "start_spare_stack": "stack",
    "start_module_spare_stack": "stack",
}


def pytest_configure(config):
    # Rasa's own debug events (structlog) print the messages parsed; `rasa run` filters them by level, and so do we
    # in the agent the tests load, so a failing run's output holds no message text beyond what a test prints.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def pytest_collection_modifyitems(items):
    for item in items:
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in item.fixturenames:
                item.add_marker(mark)


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
    """The assistant as `make run` starts it, with a catalogue of its own: on the fixed ports by default, or on
    other ports with extra environment (see `start_spare_stack`)."""

    twilio_token = TEST_TWILIO_TOKEN
    sender_hash_secret = TEST_SENDER_HASH_SECRET

    def __init__(
        self, catalogue_url: str, log_path, ports: dict[str, int] | None = None, env: dict[str, str] | None = None
    ):
        from tools import stack

        self.catalogue_url = catalogue_url
        self.log_path = log_path
        self.ports = ports or {}
        self.env = env or {}
        self.rasa_port = self.ports.get("rasa_port", stack.RASA_PORT)
        self.rest_url = f"http://localhost:{self.rasa_port}/webhooks/rest/webhook"
        self.sms_url = f"http://localhost:{self.rasa_port}/webhooks/sms/webhook"
        self.parts = {}

    def start(self, name: str) -> None:
        from tools import stack

        part = next(p for p in stack.parts(**self.ports) if p.name == name)
        with open(self.log_path, "ab") as log:
            self.parts[name] = stack.start(
                part,
                env={
                    "DATABASE_URL": self.catalogue_url,
                    "TWILIO_AUTH_TOKEN": TEST_TWILIO_TOKEN,
                    "SENDER_HASH_SECRET": TEST_SENDER_HASH_SECRET,
                    **TEST_RATE_LIMITS,
                    **self.env,
                },
                output=log,
            )
        stack.wait_until_ready([self.parts[name]])

    def start_all(self) -> None:
        from tools import stack

        for part in stack.parts(**self.ports):
            self.start(part.name)

    def stop(self, name: str) -> None:
        from tools import stack

        stack.stop(self.parts.pop(name))

    def stop_all(self) -> None:
        for name in list(self.parts):
            self.stop(name)

    def send(self, sender: str, message: str) -> list[dict]:
        import requests

        response = requests.post(self.rest_url, json={"sender": sender, "message": message}, timeout=30)
        response.raise_for_status()
        return response.json()

    def reply_text(self, sender: str, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.send(sender, message))


def seeded_sqlite_url(folder) -> str:
    url = f"sqlite:///{folder / 'catalogue.db'}"
    engine = get_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        seed(session)
    return url


@pytest.fixture(scope="module")
def own_redis_url(tmp_path_factory):
    """A Redis of the module's own on a spare port, with production's settings, stopped at the end: for tests
    that must look inside Redis or stop it, never the shared one on 6379."""
    import subprocess

    from tools import balancer, stack

    redis = stack.start(
        balancer.redis_part(stack.spare_ports(1)[0], tmp_path_factory.mktemp("redis")), output=subprocess.DEVNULL
    )
    try:
        stack.wait_until_ready([redis], timeout=30)
        yield f"redis://127.0.0.1:{redis.port}/0"
    finally:
        stack.stop(redis)


def _spare_stacks(folder):
    """Starts whole stacks on spare ports with extra environment (REDIS_URL, a PostgreSQL catalogue, ...), and
    stops them when the fixture ends. Needs the trained model, like `rasa_stack`."""
    from tools import stack

    started = []

    def start(
        env: dict[str, str] | None = None,
        catalogue_url: str | None = None,
        ports: dict[str, int] | None = None,
        parts: tuple[str, ...] | None = None,
    ) -> RunningStack:
        """`ports` fixes some ports (e.g. a second Rasa using the first stack's action server); `parts` starts
        only the parts so named."""
        if not stack.MODEL.exists():
            pytest.fail("No trained model: run `make train` (make test does).")
        stack_folder = folder / f"stack{len(started)}"
        stack_folder.mkdir()
        running = RunningStack(
            catalogue_url or seeded_sqlite_url(stack_folder),
            stack_folder / "stack.log",
            {**stack.spare_stack_ports(), **(ports or {})},
            env,
        )
        started.append(running)
        for name in parts or [part.name for part in stack.parts()]:
            running.start(name)
        return running

    yield start
    for running in started:
        running.stop_all()


@pytest.fixture
def start_spare_stack(tmp_path):
    """`_spare_stacks` for one test."""
    yield from _spare_stacks(tmp_path)


@pytest.fixture(scope="module")
def start_module_spare_stack(tmp_path_factory):
    """`_spare_stacks` shared by the tests of a module: Rasa takes a while to start."""
    yield from _spare_stacks(tmp_path_factory.mktemp("stacks"))


@pytest.fixture(scope="session")
def rasa_stack(tmp_path_factory):
    """Starts Rasa, the action server and the admin once for the session (the model must be trained).

    The ports are fixed, so concurrent test sessions on one machine take turns (tools.stack.ports_held)."""
    from tools import stack

    with stack.ports_held():
        yield from _running_stack(tmp_path_factory)


def _running_stack(tmp_path_factory):
    from tools import stack

    busy = [p for p in stack.parts() if stack.port_open(p.port)]
    if busy:
        pytest.fail("Stop `make run` first: port(s) in use: " + ", ".join(str(p.port) for p in busy))
    if not stack.MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    folder = tmp_path_factory.mktemp("stack")
    running = RunningStack(seeded_sqlite_url(folder), folder / "stack.log")
    try:
        running.start_all()
        yield running
    finally:
        running.stop_all()
