"""Where the catalogue lives: SQLite in var/ by default, PostgreSQL when DATABASE_URL is set."""
from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///var/catalogue.db"


class CatalogueUnavailable(RuntimeError):
    """The catalogue database could not be reached; the message says which one, never with a password."""


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@functools.lru_cache(maxsize=None)
def get_engine(url: str | None = None) -> Engine:
    """One engine (and connection pool) per URL for the life of the process."""
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True, connect_args={"connect_timeout": 3})


def describe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


@contextlib.contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and turns an unreachable database into CatalogueUnavailable."""
    engine = engine or get_engine()
    session = sessionmaker(bind=engine, future=True, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except (OperationalError, DBAPIError) as error:
        session.rollback()
        if getattr(error, "connection_invalidated", False) or isinstance(error, OperationalError):
            raise CatalogueUnavailable(f"The catalogue database at {describe(engine)} cannot be reached.") from error
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
