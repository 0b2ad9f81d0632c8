"""The read-only Open Referral UK API on :8081."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from services_catalogue.web import create_app

SCHEMA = json.loads((Path(__file__).parents[3] / "shared/reference/openreferral-uk/service.json").read_text())


@pytest.fixture
def client(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", str(engine.url.render_as_string(hide_password=False)))
    return create_app().test_client()


def test_about(client):
    body = client.get("/").get_json()
    assert body["version"] == "3.0"


def test_services_are_paged_and_published_only(client):
    first = client.get("/services?per_page=5").get_json()
    assert first["size"] == 5 and first["first_page"] and not first["last_page"]
    everything = client.get("/services?per_page=100").get_json()
    assert everything["total_items"] == 13
    assert all(item["status"] == "active" for item in everything["contents"])


def test_search_and_taxonomy_filter(client):
    found = client.get("/services?search=stalking").get_json()
    assert [s["name"] for s in found["contents"]] == ["National Stalking Helpline"]
    terms = client.get("/taxonomy_terms?per_page=100").get_json()["contents"]
    lgbt = next(t for t in terms if t["term"] == "lgbt")
    by_term = client.get(f"/services?taxonomy_term_id={lgbt['id']}").get_json()
    assert [s["name"] for s in by_term["contents"]] == ["Galop National LGBT+ Domestic Abuse Helpline"]


def test_a_service_record_matches_the_official_schema(client):
    listing = client.get("/services?per_page=100").get_json()["contents"]
    for item in listing:
        record = client.get(f"/services/{item['id']}").get_json()
        assert list(Draft7Validator(SCHEMA).iter_errors(record)) == []


def test_drafts_and_unknown_ids_are_not_found(client):
    response = client.get("/services/not-an-id")
    assert response.status_code == 404 and response.get_json()["error"] == "Not Found"


@pytest.mark.parametrize("query", ["page=0", "page=abc", "per_page=-1"])
def test_bad_paging_is_a_clear_400(client, query):
    response = client.get(f"/services?{query}")
    assert response.status_code == 400
    assert "must be" in response.get_json()["message"]


def test_security_headers(client):
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_a_method_the_api_does_not_take_is_a_405_that_says_what_it_takes(client):
    response = client.delete("/services")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}
    assert "DELETE" not in response.headers["Allow"]
    assert response.get_json()["error"] == "Method Not Allowed"
