"""Fixtures for the fuzz tests, and the summary `make fuzz` prints: cases run per endpoint, and failures."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
import requests
from admin.conftest import PASSWORD, csrf_token, sign_in
from sqlalchemy import select, text

from services_catalogue.admin.accounts import create_account
from services_catalogue.db import get_engine, session_scope
from services_catalogue.models import Area, Organization, Service, TaxonomyTerm
from services_catalogue.schema import migrate
from services_catalogue.seeding import seed
from services_catalogue.staff_models import StaffAccount

from . import harness

FUZZING_ADMIN = "fuzzing.admin@example.org"


@pytest.fixture(scope="session")
def rasa(rasa_stack):
    """Rasa's base URL in the shared test stack (limits raised: tests/conftest.py), and a keep-alive session."""
    with requests.Session() as session:
        yield rasa_stack.rest_url.split("/webhooks/")[0], session


@dataclass
class Catalogue:
    database: str
    app: object
    service_keys: list[str]
    service_ids: list[str]
    organisation_keys: list[str]
    need_codes: list[str]
    area_codes: list[str]
    fuzzing_admin_id: int
    other_account_id: int


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def catalogue(request, tmp_path_factory):
    """The staff admin and catalogue API app on a seeded catalogue of its own, with two staff accounts, on SQLite
    and on PostgreSQL (which refuses some text SQLite takes)."""
    from services_catalogue.web import create_app

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz-catalogue') / 'catalogue.db'}"
    else:
        url = request.getfixturevalue("postgres_server_url")
        with get_engine(url).begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine = get_engine(url)
    migrate(engine)
    with session_scope(engine) as db:
        seed(db)
        create_account(db, FUZZING_ADMIN, "Fuzzing admin", "admin", PASSWORD, "tests")
        create_account(db, "fuzzing.editor@example.org", "Fuzzing editor", "editor", PASSWORD, "tests")
    with session_scope(engine) as db:
        accounts = dict(db.execute(select(StaffAccount.email, StaffAccount.id)).all())
        found = Catalogue(
            request.param,
            None,
            list(db.scalars(select(Service.key))),
            list(db.scalars(select(Service.id))),
            list(db.scalars(select(Organization.key))),
            list(db.scalars(select(TaxonomyTerm.code))),
            list(db.scalars(select(Area.code))),
            accounts[FUZZING_ADMIN],
            accounts["fuzzing.editor@example.org"],
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        patch.setenv("ADMIN_SECRET_KEY", "fuzzing secret key, not for production")
        patch.setenv("ADMIN_SECURE_COOKIES", "0")
        found.app = create_app()
        yield found


class SignedIn:
    """A test client signed in as the fuzzing admin, with the CSRF token its forms carry; it signs in again if a
    case signed it out."""

    def __init__(self, app) -> None:
        self.client = app.test_client()
        self.sign_in()

    def sign_in(self) -> None:
        response = sign_in(self.client, FUZZING_ADMIN)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        self.token = csrf_token(self.client, "/admin/password/")

    def after(self, response) -> None:
        if response.status_code == 302 and "/admin/signin" in response.headers.get("Location", ""):
            self.sign_in()


@pytest.fixture(scope="module")
def signed_in(catalogue):
    return SignedIn(catalogue.app)


def pytest_terminal_summary(terminalreporter):
    if not harness.cases_run:
        return
    failed = [report.nodeid for report in terminalreporter.stats.get("failed", []) if "tests/fuzz/" in report.nodeid]
    write = terminalreporter.write_line
    terminalreporter.section("fuzzing")
    for endpoint, count in sorted(harness.cases_run.items()):
        answers = ", ".join(f"{status}: {n}" for status, n in sorted(harness.statuses[endpoint].items()))
        write(f"{count:>7,}  {endpoint} ({answers})")
    seconds = time.monotonic() - harness.started_at[0]
    write(
        f"{sum(harness.cases_run.values()):>7,}  cases in all ({'make fuzz, random' if harness.FUZZ else 'seeded'}),"
        f" {seconds:.0f} s; {len(failed)} failing test(s)"
    )
    for nodeid in failed:
        write(f"         failed: {nodeid}")
