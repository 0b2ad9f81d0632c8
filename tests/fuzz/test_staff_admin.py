"""Fuzzing the staff admin (services_catalogue/admin) through Flask's test client: every page signed out and signed
in as an admin, with odd keys and numbers in the path, odd queries, and every form posted with random fields, most
with a valid CSRF token so they get past it to the form's own checks."""

from __future__ import annotations

import io
from urllib.parse import quote

from admin.conftest import csrf_token
from hypothesis import given
from hypothesis import strategies as st

from . import strategies as fuzz
from .harness import cases, check

PAGES = [
    "/admin",
    "/admin/",
    "/admin/gaps.csv",
    "/admin/services/",
    "/admin/services/new",
    "/admin/changes/",
    "/admin/organisations/",
    "/admin/organisations/new",
    "/admin/needs/",
    "/admin/needs/new",
    "/admin/areas/",
    "/admin/areas/new",
    "/admin/transfer/",
    "/admin/transfer/services.csv",
    "/admin/transfer/services-oruk.json",
    "/admin/audit/",
    "/admin/audit/audit-log.csv",
    "/admin/accounts/",
    "/admin/accounts/new",
    "/admin/password/",
    "/admin/signin/",
    "/admin/assets/",
    "/admin/assets/admin.css",
]
FORMS = [
    "/admin/services/new",
    "/admin/organisations/new",
    "/admin/needs/new",
    "/admin/areas/new",
    "/admin/transfer/preview",
    "/admin/transfer/import",
    "/admin/accounts/new",
    "/admin/password/",
]
FIELDS = [
    "key",
    "name",
    "organization",
    "description",
    "needs",
    "areas",
    "languages",
    "minimum_age",
    "maximum_age",
    "eligibility_note",
    "opening_hours",
    "hours_note",
    "staff_note",
    "website",
    "website_source",
    "website_verified_on",
    "website_verified_by",
    "base_version",
    "draft_id",
    "phones-0-number",
    "phones-0-line_type",
    "phones-0-description",
    "phones-0-languages",
    "phones-0-source",
    "phones-0-verified_on",
    "phones-0-verified_by",
    "phones-0-remove",
    "phones-99-number",
    "translations-0-language",
    "translations-0-description",
    "translations-x-language",
    "code",
    "active",
    "kind",
    "parent",
    "aliases",
    "postcodes",
    "fingerprint",
    "email",
    "role",
    "password",
    "current",
    "repeat",
    "version",
    "csv_text",
]
VALUES = [
    "",
    " ",
    "2024-01-31",
    "9999-99-99",
    "31/01/2024",
    "https://example.org",
    "javascript:alert(1)",
    "-1",
    "0",
    "999999999999999999999",
    "1e9",
    "published",
    "draft",
    "archived",
    "admin",
    "approver",
    "editor",
    "y",
    "on",
    "town",
    "county",
    "HP19, HP20",
    "24/7",
    "MO-FR 09:00-17:00; SA 10:00-14:00",
    "MO-XX 25:00-99:00",
    "0808 2000 247",
    "en, pl",
    "a long test password",
    "<b>bold</b>",
    "%",
    "_",
    "\x00",
]


def escaped(text: str) -> str:
    return quote(fuzz.as_bytes(text), safe="")


def numbers(*known: int):
    return st.sampled_from(known) | st.integers(-5, 30) | st.integers(2**31, 2**80)


def pages(catalogue):
    service = st.sampled_from(catalogue.service_keys) | fuzz.any_text.map(escaped)
    reference = st.tuples(
        st.sampled_from(["organisations", "needs", "areas"]),
        st.sampled_from(catalogue.organisation_keys + catalogue.need_codes + catalogue.area_codes)
        | fuzz.any_text.map(escaped),
    )
    number = numbers(catalogue.fuzzing_admin_id, catalogue.other_account_id, 1)
    return st.one_of(
        st.sampled_from(PAGES),
        service.map("/admin/services/{}/".format),
        reference.map(lambda kind_key: "/admin/{}/{}/".format(*kind_key)),
        st.tuples(st.sampled_from(["changes", "audit", "accounts"]), number).map(lambda p: "/admin/{}/{}".format(*p)),
        fuzz.paths.map(lambda path: "/admin" + path),
    )


def form_targets(catalogue):
    service = st.sampled_from(catalogue.service_keys) | fuzz.any_text.map(escaped)
    # Never the fuzzing admin's own password: setting it would sign the client out everywhere.
    other_account = numbers(catalogue.other_account_id)
    return st.one_of(
        st.sampled_from(FORMS),
        st.tuples(service, st.sampled_from(["", "archive", "restore"])).map(
            lambda p: "/admin/services/{}/{}".format(*p)
        ),
        st.tuples(numbers(1, 2), st.sampled_from(["publish", "reject"])).map(
            lambda p: "/admin/changes/{}/{}".format(*p)
        ),
        pages(catalogue).filter(lambda path: "/accounts/" not in path),
        numbers(catalogue.fuzzing_admin_id, catalogue.other_account_id).map("/admin/accounts/{}".format),
        st.tuples(other_account, st.sampled_from(["password", "unlock"])).map(
            lambda p: "/admin/accounts/{}/{}".format(*p)
        ),
    )


# Mostly text without NUL (a NUL anywhere is refused before any form reads it) under the forms' own field names.
field_values = st.lists(
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=60)
    | st.sampled_from(VALUES)
    | fuzz.encodable_text,
    min_size=1,
    max_size=3,
)
forms = st.builds(
    lambda known, other: {**other, **known},
    st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=12),
    st.dictionaries(fuzz.encodable_text, field_values, max_size=1),
)


@cases(everyday=30, fuzz=700)
@given(data=st.data(), method=st.sampled_from(["GET", "GET", "HEAD"]) | fuzz.methods, query=fuzz.query_strings)
def test_signed_in_pages(catalogue, signed_in, data, method, query):
    path = data.draw(pages(catalogue), label="path")
    response = signed_in.client.open(path, method=method, query_string=query)
    check(
        f"staff admin, signed in, pages, {catalogue.database}",
        response.status_code,
        response.get_data(),
        sent=path + query,
    )
    signed_in.after(response)


@cases(everyday=40, fuzz=1000)
@given(
    data=st.data(),
    form=forms,
    with_token=st.booleans() | st.just(True),
    upload=st.none() | st.binary(max_size=600),
    csv_edit=st.none() | st.tuples(st.integers(0, 20_000), fuzz.encodable_text),
)
def test_signed_in_forms(catalogue, signed_in, data, form, with_token, upload, csv_edit):
    path = data.draw(form_targets(catalogue), label="path")
    fields = {**form, **({"csrf_token": signed_in.token} if with_token else {})}
    if csv_edit is not None:
        at, text = csv_edit
        exported = signed_in.client.get("/admin/transfer/services.csv").get_data(as_text=True)
        fields["csv_text"] = exported[:at] + text + exported[at:]
    if upload is not None:
        fields["file"] = (io.BytesIO(upload), "services.csv")
    response = signed_in.client.post(path, data=fields)
    check(
        f"staff admin, signed in, forms, {catalogue.database}",
        response.status_code,
        response.get_data(),
        sent=path + "".join(str(value) for value in fields.values()),
    )
    signed_in.after(response)


@cases(everyday=25, fuzz=400)
@given(
    data=st.data(),
    method=fuzz.methods,
    query=fuzz.query_strings,
    form=forms,
    with_token=st.booleans(),
    body=st.none() | fuzz.bodies,
    content_type=fuzz.content_types,
)
def test_signed_out(catalogue, data, method, query, form, with_token, body, content_type):
    path = data.draw(
        st.sampled_from(["/admin/signin/", "/admin/signin/out"]) | pages(catalogue) | form_targets(catalogue),
        label="path",
    )
    client = catalogue.app.test_client()
    if with_token:
        form = {**form, "csrf_token": csrf_token(client, "/admin/signin/")}
    if body is None:
        response = client.open(path, method=method, query_string=query, data=form)
    else:
        response = client.open(path, method=method, query_string=query, data=body, content_type=content_type)
    check(
        f"staff admin, signed out, {catalogue.database}",
        response.status_code,
        response.get_data(),
        sent=path + query + str(form) + (body or b"").decode("utf-8", "replace"),
    )
