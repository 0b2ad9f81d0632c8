"""`python -m services_catalogue init` brings a catalogue made before the admin existed up to date."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from services_catalogue.__main__ import main
from services_catalogue.db import get_engine
from services_catalogue.schema import _config

STAFF_TABLES = {"staff_account", "login_failure", "audit_entry", "pending_change"}


def test_init_adds_the_staff_tables_to_an_existing_catalogue(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'before-admin.db'}"
    engine = get_engine(url)
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO taxonomy_term (id, code, name, description, taxonomy, active) "
                "VALUES ('t1', 'general', 'Anyone', '', 'bucks-dva-needs', true)"
            )
        )
    assert not STAFF_TABLES & set(inspect(engine).get_table_names())

    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["init"]) == 0

    assert STAFF_TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        head = ScriptDirectory.from_config(_config(connection)).get_current_head()
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT name FROM taxonomy_term WHERE code = 'general'")) == "Anyone"
