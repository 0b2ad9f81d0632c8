"""Fuzzing the read-only Open Referral UK API (services_catalogue/api.py) through Flask's test client: any path,
method, query string and body."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from . import strategies as fuzz
from .harness import cases, check


def routes(catalogue):
    ids = st.sampled_from(catalogue.service_ids) | fuzz.any_text.map(lambda text: quote(fuzz.as_bytes(text), safe=""))
    return st.one_of(
        st.sampled_from(["/", "/services", "/services/", "/taxonomy_terms", "/openapi.json", "/services/x/y"]),
        ids.map(lambda service_id: f"/services/{service_id}"),
        fuzz.paths.map(lambda path: "/" + path.lstrip("/")),  # the test client reads "//x" as a host name
    )


@cases(everyday=40, fuzz=1000)
@given(
    data=st.data(),
    method=st.just("GET") | fuzz.methods,
    query=fuzz.query_strings,
    body=st.just(b"") | fuzz.bodies,
    content_type=st.none() | fuzz.content_types,
)
def test_api_requests(catalogue, data, method, query, body, content_type):
    path = data.draw(routes(catalogue), label="path")
    response = catalogue.app.test_client().open(
        path, method=method, query_string=query, data=body, content_type=content_type
    )
    check(f"catalogue API, {catalogue.database}", response.status_code, response.get_data(), sent=path + query)
