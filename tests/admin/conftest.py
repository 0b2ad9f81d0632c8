"""Fixtures for the staff admin: a seeded catalogue per test (SQLite, and PostgreSQL for the `postgres`
parameter), staff accounts with known passwords, and a signed-in test client."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from services_catalogue.admin.accounts import create_account
from services_catalogue.db import get_engine, session_scope
from services_catalogue.schema import migrate
from services_catalogue.seeding import seed

PASSWORD = "a long test password"
STAFF = {
    "editor": "editor@example.org",
    "editor2": "second.editor@example.org",
    "approver": "approver@example.org",
    "admin": "admin@example.org",
}
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
POSTGRES_DATABASE = "admin_test"
POSTGRES_TEMPLATE = "admin_test_template"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _fill(engine) -> None:
    migrate(engine)
    with session_scope(engine) as session:
        seed(session)
        for name, email in STAFF.items():
            create_account(session, email, name, "editor" if name.startswith("editor") else name, PASSWORD, "tests")


@pytest.fixture(scope="session")
def seeded_sqlite_file(tmp_path_factory) -> Path:
    """Migrated, seeded and with staff accounts once; each test gets a copy (hashing passwords is slow)."""
    path = tmp_path_factory.mktemp("template") / "catalogue.db"
    engine = get_engine(f"sqlite:///{path}")
    _fill(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(seeded_sqlite_file, tmp_path, monkeypatch) -> str:
    path = tmp_path / "catalogue.db"
    shutil.copy(seeded_sqlite_file, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _database_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _on_server(*statements: str) -> None:
    server = create_engine(POSTGRES_URL, future=True, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        server.dispose()


@pytest.fixture(scope="session")
def postgres_template() -> str:
    """A seeded database of our own on the test server (other suites' databases are never touched); each
    test gets a fresh copy of it."""
    try:
        _on_server(
            f'DROP DATABASE IF EXISTS "{POSTGRES_TEMPLATE}" WITH (FORCE)', f'CREATE DATABASE "{POSTGRES_TEMPLATE}"'
        )
    except OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error.orig}")
    engine = create_engine(_database_url(POSTGRES_TEMPLATE), future=True)
    _fill(engine)
    engine.dispose()
    return POSTGRES_TEMPLATE


@pytest.fixture
def postgres_url(postgres_template, monkeypatch):
    """A fresh copy of the template under a name of its own, so nothing cached for an earlier test's
    database (engines, the assistant's snapshot) can answer for this one."""
    name = f"{POSTGRES_DATABASE}_{uuid.uuid4().hex[:8]}"
    _on_server(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')
    url = _database_url(name)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    get_engine(url).dispose()
    _on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def catalogue_url(request) -> str:
    """The same test on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(catalogue_url):
    return get_engine(catalogue_url)


@pytest.fixture
def admin_env(monkeypatch):
    monkeypatch.setenv("ADMIN_SECRET_KEY", "test secret key, not for production")
    monkeypatch.setenv("ADMIN_SECURE_COOKIES", "0")


@pytest.fixture
def app(sqlite_url, admin_env):
    from services_catalogue.web import create_app

    return create_app()


def csrf_token(client, url: str) -> str:
    """The token a real browser would have from the page holding the form."""
    response = client.get(url)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({response.status_code})"
    return match.group(1)


def sign_in(client, who: str, password: str = PASSWORD):
    token = csrf_token(client, "/admin/signin/")
    return client.post("/admin/signin/", data={"csrf_token": token, "email": STAFF.get(who, who), "password": password})


@pytest.fixture
def client_for(app):
    """client_for('editor') is a test client signed in as that person."""

    def make(who: str):
        client = app.test_client()
        response = sign_in(client, who)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make
