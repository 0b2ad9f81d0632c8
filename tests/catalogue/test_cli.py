"""The catalogue command line, run as staff run it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

SCHEMA = json.loads((Path(__file__).parents[3] / "shared/reference/openreferral-uk/service.json").read_text())


def cli(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "services_catalogue", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert cli("seed", database_url=url).returncode == 0
    return url


def test_export_oruk_records_match_the_official_schema(url, tmp_path):
    out = tmp_path / "out.json"
    result = cli("export-oruk", str(out), database_url=url)
    assert result.returncode == 0, result.stderr
    records = json.loads(out.read_text())
    validator = Draft7Validator(SCHEMA)
    for record in records:
        assert list(validator.iter_errors(record)) == [], record["name"]
    names = {r["name"] for r in records}
    assert {
        "National Domestic Abuse Helpline",
        "Men's Advice Line",
        "Galop National LGBT+ Domestic Abuse Helpline",
    } <= names
    assert all(r["status"] == "active" for r in records)


def test_seed_is_idempotent_and_keeps_staff_changes(url, tmp_path):
    assert "0 new service(s)" in cli("seed", database_url=url).stdout


def test_validate_and_review(url):
    assert cli("validate", database_url=url).returncode == 0
    review = cli("review", database_url=url)
    assert review.returncode == 0
    assert "aylesbury-womens-aid" in review.stdout and "Needs with no published local service" in review.stdout


def test_import_rejects_a_bad_file_and_names_the_row(url, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("key,name,status,needs,areas\nok-line,OK,draft,general,national\nbad-line,Bad,draft,nope,national\n")
    result = cli("import", str(bad), database_url=url)
    assert result.returncode == 1
    assert "row 3, needs: 'nope' is not a need code we know" in result.stderr
    assert "nothing was written" in result.stderr
    export = cli("export", "-", database_url=url)
    assert "ok-line" not in export.stdout


def test_import_then_export_csv(url, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("key,name,status,needs,areas\nok-line,OK,draft,general,national\n")
    assert cli("import", str(good), database_url=url).returncode == 0
    assert "ok-line,,OK" in cli("export", "-", database_url=url).stdout


def test_an_unreachable_database_gives_a_clear_error(tmp_path):
    result = cli("review", database_url="postgresql://nobody@127.0.0.1:9/none")
    assert result.returncode == 2
    assert "cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_file_type_is_refused(url, tmp_path):
    other = tmp_path / "services.txt"
    other.write_text("hello")
    result = cli("import", str(other), database_url=url)
    assert result.returncode == 2 and "only .csv, .yml and .yaml" in result.stderr
