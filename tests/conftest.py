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
