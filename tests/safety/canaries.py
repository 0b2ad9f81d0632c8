"""Canaries: unique strings a test sends to the assistant, then looks for wherever the assistant could have kept
them: files, SQL tables, Redis. Each search says where it found which canary; the tests decide what is allowed.

Searches ignore case, and read files as bytes, so a canary is found inside binary files (SQLite pages, free
space included) and in any text encoding that keeps ASCII as it is (UTF-8, JSON, form encoding).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import redis
from sqlalchemy import MetaData, Table, create_engine, inspect, select

CHUNK_BYTES = 4 * 1024 * 1024
SYSTEM_SCHEMAS = {"information_schema", "pg_catalog", "pg_toast"}


def drama_number() -> str:
    """A mobile number in Ofcom's range for drama (07700 900000 to 900999): nobody's real number."""
    return f"+447700900{random.randrange(1000):03d}"


@dataclass(frozen=True)
class Canaries:
    words: tuple[str, ...]  # one per message, so a find says which message leaked
    phone: str  # the SMS sender's number

    @classmethod
    def new(cls, count: int) -> Canaries:
        # Digits, not hex: random letters in a short message can sway the language detector (seen: "hello <hex>"
        # taken for Portuguese), and the conversations must go as the test expects.
        return cls(tuple(f"{uuid.uuid4().int % 10**20:020d}" for _ in range(count)), drama_number())

    @property
    def phone_forms(self) -> tuple[str, ...]:
        """The number as people and systems write it: +447700900123, 07700900123, 447700900123, spaced."""
        subscriber = self.phone[3:]  # 7700900123
        return (
            self.phone,
            "0" + subscriber,
            "44" + subscriber,
            f"0{subscriber[:4]} {subscriber[4:]}",
            f"+44 {subscriber[:4]} {subscriber[4:]}",
        )

    @property
    def every_form(self) -> tuple[str, ...]:
        return self.words + self.phone_forms


@dataclass
class Finds:
    """Which canaries were found where, and how many files, rows or keys were read: a search of nothing finds
    nothing, so tests check it read what they expect."""

    places: dict[str, set[str]] = field(default_factory=dict)
    searched: int = 0
    seconds_left: dict[str, int] = field(default_factory=dict)  # Redis only: each key's expiry (-1: none)

    def note(self, place: str, text: bytes, needles: tuple[str, ...]) -> None:
        lowered = text.lower()
        hits = {needle for needle in needles if needle.lower().encode() in lowered}
        if hits:
            self.places.setdefault(place, set()).update(hits)


def files_changed_since(folders: Iterable[Path], since: float) -> list[Path]:
    """Regular files under the folders (at any depth) modified at or after `since` (a time.time())."""
    changed = []
    for folder in folders:
        for path in Path(folder).rglob("*"):
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime >= since:
                    changed.append(path)
            except OSError:  # gone or unreadable since the listing: another process's temporary file
                continue
    return changed


def search_files(paths: Iterable[Path], needles: Iterable[str]) -> Finds:
    """Each file's bytes, read in chunks that overlap by a canary's length."""
    needles = tuple(needles)
    overlap = max(len(needle) for needle in needles)
    finds = Finds()
    for path in paths:
        try:
            with open(path, "rb") as content:
                tail = b""
                while chunk := content.read(CHUNK_BYTES):
                    finds.note(str(path), tail + chunk, needles)
                    tail = (tail + chunk)[-overlap:]
        except OSError:  # removed since it was listed
            continue
        finds.searched += 1
    return finds


def _as_bytes(value: object) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return str(value).encode("utf-8", "replace")


def search_sql(url: str, needles: Iterable[str]) -> Finds:
    """Every row of every table in every schema that is not the database's own, each row in full."""
    needles = tuple(needles)
    engine = create_engine(url, future=True)
    finds = Finds()
    try:
        with engine.connect() as connection:
            schemas = [name for name in inspect(connection).get_schema_names() if name not in SYSTEM_SCHEMAS]
            for schema in schemas:
                for name in inspect(connection).get_table_names(schema=schema):
                    table = Table(name, MetaData(), autoload_with=connection, schema=schema)
                    for row in connection.execute(select(table)):
                        finds.searched += 1
                        finds.note(f"{schema}.{name}", b"\x00".join(_as_bytes(value) for value in row), needles)
    finally:
        engine.dispose()
    return finds


def _redis_values(client: redis.Redis, key: bytes) -> list[bytes]:
    kind = client.type(key).decode()
    if kind == "string":
        return [client.get(key) or b""]
    if kind == "hash":
        return [part for item in client.hgetall(key).items() for part in item]
    if kind == "list":
        return client.lrange(key, 0, -1)
    if kind == "set":
        return list(client.smembers(key))
    if kind == "zset":
        return client.zrange(key, 0, -1)
    if kind == "stream":
        return [_as_bytes(entry) for entry in client.xrange(key)]
    return []  # expired since the scan


def search_redis(client: redis.Redis, needles: Iterable[str]) -> Finds:
    """Every key's name and value, read by its type; `client` must return bytes."""
    needles = tuple(needles)
    finds = Finds()
    for key in client.scan_iter(count=1000):
        name = key.decode("utf-8", "replace")
        finds.searched += 1
        finds.note(name, b"\x00".join([key, *_redis_values(client, key)]), needles)
        if name in finds.places:
            finds.seconds_left[name] = client.ttl(key)
    return finds
