"""The canary searches find what was planted, wherever it was planted, and nothing else."""

from __future__ import annotations

import os
import time
import uuid

from sqlalchemy import create_engine, text

from . import canaries as canary_search
from .canaries import Canaries, files_changed_since, search_files, search_redis, search_sql


def test_the_phone_number_is_looked_for_as_people_write_it():
    forms = Canaries(("x",), "+447700900123").phone_forms
    assert set(forms) == {"+447700900123", "07700900123", "447700900123", "07700 900123", "+44 7700 900123"}


def test_files_are_searched_as_bytes_across_chunks_and_whatever_the_case(tmp_path, monkeypatch):
    monkeypatch.setattr(canary_search, "CHUNK_BYTES", 16)
    planted, absent = Canaries.new(2).words
    binary = tmp_path / "pages.db"
    binary.write_bytes(b"\x00\x01" * 7 + planted.upper().encode() + b"\xff" * 40)  # across three chunks
    clean = tmp_path / "clean.log"
    clean.write_text("nothing here\n")
    finds = search_files([binary, clean], [planted, absent])
    assert finds.places == {str(binary): {planted}} and finds.searched == 2


def test_only_files_changed_since_a_time_are_listed(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "deeper" / "new.txt"
    new.parent.mkdir()
    old.write_text("old")
    new.write_text("new")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    assert files_changed_since([tmp_path], time.time() - 60) == [new]


def test_every_row_of_every_table_is_searched(tmp_path):
    planted = uuid.uuid4().hex
    url = f"sqlite:///{tmp_path / 'rows.db'}"
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, blob BLOB)"))
        connection.execute(
            text("INSERT INTO notes (body, blob) VALUES ('plain', :blob), ('also plain', NULL)"),
            {"blob": f"in a blob {planted}".encode()},
        )
    engine.dispose()
    finds = search_sql(url, [planted])
    assert finds.places == {"main.notes": {planted}} and finds.searched == 2


def test_redis_keys_and_values_of_every_type_are_searched_with_their_expiry(own_redis):
    in_value, in_hash, in_name = Canaries.new(3).words
    client = own_redis.client()
    string_key, hash_key, list_key = "test:string", "test:hash", f"test:{in_name}"
    try:
        client.set(string_key, f"value {in_value}", ex=60)
        client.hset(hash_key, mapping={"field": in_hash})
        client.rpush(list_key, "nothing")
        finds = search_redis(client, [in_value, in_hash, in_name])
        assert finds.places == {string_key: {in_value}, hash_key: {in_hash}, list_key: {in_name}}
        assert 0 < finds.seconds_left[string_key] <= 60 and finds.seconds_left[hash_key] == -1
    finally:
        client.delete(string_key, hash_key, list_key)
