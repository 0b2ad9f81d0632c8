"""Where the catalogue lives: SQLite in var/ by default, PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

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


def get_engine(url: str | None = None) -> Engine:
    """The engine for this URL, or for DATABASE_URL as it is now."""
    return _engine_for(url or database_url())


@functools.cache
def _engine_for(url: str) -> Engine:
    """One engine (and connection pool) per URL for the life of the process."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A pool, not SQLAlchemy 1.4's default of a new connection (and its PRAGMAs) for every query.
        engine = create_engine(
            url, future=True, poolclass=QueuePool, pool_size=5, connect_args={"check_same_thread": False}
        )
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True, connect_args={"connect_timeout": 3})


def describe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def unreachable(engine: Engine) -> CatalogueUnavailable:
    return CatalogueUnavailable(f"The catalogue database at {describe(engine)} cannot be reached.")


@contextlib.contextmanager
def connection_scope(engine: Engine | None = None) -> Iterator[Connection]:
    """A plain connection for quick reads, with an unreachable database as CatalogueUnavailable."""
    engine = engine or get_engine()
    try:
        with engine.connect() as connection:
            yield connection
    except OperationalError as error:
        raise unreachable(engine) from error


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
            raise unreachable(engine) from error
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
