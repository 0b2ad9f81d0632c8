"""One stack for the safety tests, as production runs it: conversations in a Redis of our own, the catalogue on
PostgreSQL. The tests break its parts (the action server, the catalogue database, Redis) and mend them while it
runs, so each part can be stopped and brought back without restarting the others.

The stack is shared by the whole folder (package scope): Rasa takes half a minute to load the model, and every
test here leaves the stack as it found it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from conftest import POSTGRES_ADMIN_URL, RunningStack
from sqlalchemy import text

from services_catalogue.db import get_engine, session_scope
from services_catalogue.schema import migrate
from services_catalogue.seeding import seed


@dataclass
class OwnRedis:
    """A redis-server on a spare port with production's settings (nothing on disk), which a test may stop and
    start again on the same port (all it held is gone, as after a restart in production), or pause."""

    folder: Path
    port: int = 0
    part: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        from tools import balancer, stack

        self.port = self.port or stack.spare_ports(1)[0]
        self.part = stack.start(balancer.redis_part(self.port, self.folder), output=subprocess.DEVNULL)
        stack.wait_until_ready([self.part], timeout=30)

    def stop(self) -> None:
        from tools import stack

        stack.stop(self.part)

    @contextlib.contextmanager
    def stopped(self):
        self.stop()
        try:
            yield
        finally:
            self.start()

    @contextlib.contextmanager
    def paused(self):
        """Redis hangs until the block ends: connections are accepted, nothing is answered, nothing is lost."""
        os.kill(self.part.process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self.part.process.pid, signal.SIGCONT)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5)


@pytest.fixture(scope="package")
def own_redis(tmp_path_factory):
    server = OwnRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@dataclass
class OwnCatalogue:
    """The catalogue in a PostgreSQL database of our own, which a test may make unreachable and restore."""

    url: str

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[1]

    def _admin(self, *statements: str) -> None:
        with get_engine(POSTGRES_ADMIN_URL).connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            for statement in statements:
                connection.execute(text(statement))

    @contextlib.contextmanager
    def unreachable(self):
        """No new connection is allowed and every open one is closed, until the block ends."""
        self._admin(
            f'ALTER DATABASE "{self.name}" WITH ALLOW_CONNECTIONS false',
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.name}'",
        )
        try:
            yield
        finally:
            self._admin(f'ALTER DATABASE "{self.name}" WITH ALLOW_CONNECTIONS true')


@pytest.fixture(scope="package")
def own_catalogue(postgres_server_url):
    engine = get_engine(postgres_server_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate(engine)
    with session_scope(engine) as session:
        seed(session)
    engine.dispose()  # the test process keeps no connection the outage would have to close
    return OwnCatalogue(postgres_server_url)


@pytest.fixture(scope="package")
def safety_stack(tmp_path_factory, own_redis, own_catalogue):
    """The whole stack on spare ports, with REDIS_URL and the PostgreSQL catalogue."""
    from tools import stack

    if not stack.MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    folder = tmp_path_factory.mktemp("safety-stack")
    running = RunningStack(
        own_catalogue.url, folder / "stack.log", stack.spare_stack_ports(), {"REDIS_URL": own_redis.url}
    )
    try:
        running.start_all()
        yield running
    finally:
        running.stop_all()
