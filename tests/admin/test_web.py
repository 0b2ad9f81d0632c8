"""The admin over HTTP: who may reach what, CSRF, cookies and headers, and the workflow through its forms."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from services_catalogue.admin import signin
from services_catalogue.admin.service_form import form_data
from services_catalogue.admin.workflow import working_record
from services_catalogue.db import get_engine, session_scope
from services_catalogue.query import find_services
from services_catalogue.staff_models import AuditEntry, PendingChange

from .conftest import PASSWORD, STAFF, csrf_token, sign_in

KEY = "mens-advice-line"
EDIT_URL = f"/admin/services/{KEY}/"
PUBLIC_ENDPOINTS = {"signin.index", "admin.static", "staff_assets.static"}


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)


def service_post(client, url: str = EDIT_URL, **changes) -> MultiDict:
    """What a browser would send after someone changes these fields on the edit page."""
    page = client.get(url).get_data(as_text=True)
    with session_scope() as session:
        record, _ = working_record(session, KEY)
    data = form_data(record)
    data.update(changes)
    fields = MultiDict(
        {
            "csrf_token": hidden(page, "csrf_token"),
            "base_version": hidden(page, "base_version"),
            "draft_id": hidden(page, "draft_id"),
        }
    )
    for name, value in data.items():
        if name in ("needs", "areas"):
            for code in value:
                fields.add(name, code)
        elif name in ("phones", "translations"):
            for number, row in enumerate(value):
                for field, text in row.items():
                    fields.add(f"{name}-{number}-{field}", text)
        elif name != "key":
            fields.add(name, value)
    return fields


def session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("catalogue_admin="))


def waiting_changes() -> list[PendingChange]:
    with session_scope() as session:
        return list(session.scalars(select(PendingChange).where(PendingChange.state == "waiting")))


def men_line_description() -> str:
    return next(v for v in find_services(["male_victim"]) if v.key == KEY).description


def test_every_admin_address_sends_a_signed_out_visitor_to_sign_in(app):
    client = app.test_client()
    token = csrf_token(client, "/admin/signin/")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: "1" if m.group(0).startswith("<int:") else KEY, rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code in (302, 401), (method, url, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/admin/signin/"), (method, url)
            checked += 1
    assert checked >= 30


def test_a_form_without_its_csrf_token_is_refused(app, client_for):
    anonymous = app.test_client()
    response = anonymous.post("/admin/signin/", data={"email": STAFF["editor"], "password": PASSWORD})
    assert response.status_code == 400 and "did not come from this site" in response.get_data(as_text=True)
    assert anonymous.get("/admin/").status_code == 302

    editor = client_for("editor")
    fields = service_post(editor, description="Sent without a token.")
    del fields["csrf_token"]
    assert editor.post(EDIT_URL, data=fields).status_code == 400
    fields = service_post(editor, description="Sent with another session's token.")
    fields["csrf_token"] = csrf_token(client_for("editor2"), "/admin/services/new")
    assert editor.post(EDIT_URL, data=fields).status_code == 400
    assert waiting_changes() == []


def test_an_editor_cannot_publish_or_manage_accounts(client_for):
    editor = client_for("editor")
    assert editor.post(EDIT_URL, data=service_post(editor, description="Edited by the editor.")).status_code == 302
    [change] = waiting_changes()

    other_editor = client_for("editor2")
    page = other_editor.get(f"/admin/changes/{change.id}").get_data(as_text=True)
    assert "Edited by the editor." in page and f"/admin/changes/{change.id}/publish" not in page
    response = other_editor.post(
        f"/admin/changes/{change.id}/publish", data={"csrf_token": csrf_token(other_editor, "/admin/services/new")}
    )
    assert response.status_code == 403
    assert other_editor.get("/admin/accounts/").status_code == 403
    assert "/admin/accounts/" not in other_editor.get("/admin/").get_data(as_text=True)
    assert [c.id for c in waiting_changes()] == [change.id]
    assert men_line_description() != "Edited by the editor."


def test_edit_then_approve_through_the_pages(client_for):
    editor = client_for("editor")
    bad = service_post(editor, description="Men's line, new words.")
    bad["phones-0-number"] = "0808 801"
    page = editor.post(EDIT_URL, data=bad).get_data(as_text=True)
    assert "Nothing was saved" in page and "Phone 1: &#39;0808 801&#39; is not a valid UK phone number." in page

    response = editor.post(EDIT_URL, data=service_post(editor, description="Men's line, new words."))
    assert response.status_code == 302
    [change] = waiting_changes()

    approver = client_for("approver")
    page = approver.get(f"/admin/changes/{change.id}").get_data(as_text=True)
    assert re.search(r'<tr class="changed">\s*<th scope="row">Description</th>', page)
    assert re.search(r'<tr class="same">\s*<th scope="row">Phone 1 number</th>', page)
    response = approver.post(f"/admin/changes/{change.id}/publish", data={"csrf_token": hidden(page, "csrf_token")})
    assert response.status_code == 302
    assert men_line_description() == "Men's line, new words."

    log = approver.get("/admin/audit/audit-log.csv").get_data(as_text=True)
    assert f"{STAFF['editor']},proposed change,service,{KEY}" in log
    assert f"{STAFF['approver']},published,service,{KEY}" in log


def test_a_stale_edit_is_refused_with_a_clear_message(client_for):
    first, second = client_for("editor"), client_for("editor2")
    first_fields = service_post(first, description="First save wins.")
    second_fields = service_post(second, description="Second save loses.")
    assert first.post(EDIT_URL, data=first_fields).status_code == 302
    response = second.post(EDIT_URL, data=second_fields)
    assert response.status_code == 409
    assert "Someone else changed this service since you opened it; reload and try again." in response.get_data(
        as_text=True
    )
    [change] = waiting_changes()
    assert "First save wins." in change.record


def test_the_lock_after_wrong_passwords_shows_in_the_audit_log(app, client_for):
    client = app.test_client()
    for _ in range(signin.LOCK_AFTER):
        response = sign_in(client, "editor", "not the password")
        assert response.status_code == 401
    assert signin.LOCKED in response.get_data(as_text=True)
    assert sign_in(client, "editor").status_code == 401
    page = client_for("admin").get("/admin/audit/?q=locked").get_data(as_text=True)
    assert "locked account" in page and STAFF["editor"] in page


def test_headers_and_cookie_flags(app, monkeypatch):
    client = app.test_client()
    response = client.get("/admin/signin/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.get_data(as_text=True) and " style=" not in response.get_data(as_text=True)
    cookie = session_cookie(sign_in(client, "editor"))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie

    monkeypatch.delenv("ADMIN_SECURE_COOKIES")
    from services_catalogue.web import create_app

    secure = create_app().test_client()
    token = csrf_token(secure, "/admin/signin/")
    assert "Secure" in session_cookie(secure.post("/admin/signin/", data={"csrf_token": token}))


def test_sessions_expire_when_idle(app, client_for):
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(seconds=1)
    client = client_for("editor")
    assert client.get("/admin/").status_code == 200
    time.sleep(2.1)
    assert client.get("/admin/").headers["Location"].startswith("/admin/signin/")


def test_changing_a_password_signs_out_other_sessions(client_for):
    here, elsewhere = client_for("editor"), client_for("editor")
    token = csrf_token(here, "/admin/password/")
    response = here.post(
        "/admin/password/",
        data={
            "csrf_token": token,
            "current": PASSWORD,
            "password": "a brand new password",
            "repeat": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").headers["Location"].startswith("/admin/signin/")


def test_staff_text_is_escaped(client_for):
    approver = client_for("approver")
    url = "/admin/organisations/respect/"
    page = approver.get(url).get_data(as_text=True)
    response = approver.post(
        url,
        data={
            "csrf_token": hidden(page, "csrf_token"),
            "fingerprint": hidden(page, "fingerprint"),
            "name": "<script>alert(1)</script>",
            "description": "x",
        },
    )
    assert response.status_code == 302
    listing = approver.get("/admin/organisations/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in listing and "&lt;script&gt;alert(1)&lt;/script&gt;" in listing


def test_bad_addresses_and_files_get_calm_answers(client_for):
    approver = client_for("approver")
    assert approver.get("/admin/changes/99999").status_code == 404
    assert "There is no service with that key" in approver.get("/admin/services/no-such-service/").get_data(
        as_text=True
    )
    assert approver.get("/admin/services/?page=abc&status=nonsense").status_code == 200
    token = csrf_token(approver, "/admin/transfer/")
    response = approver.post(
        "/admin/transfer/preview",
        data={"csrf_token": token, "file": (io.BytesIO("key,name\n\xff\xfe".encode("latin-1")), "bad.csv")},
    )
    assert response.status_code == 400 and "not UTF-8" in response.get_data(as_text=True)


def test_csv_import_through_the_pages(client_for):
    approver = client_for("approver")
    header = "key,name,status,needs,areas,phone,phone_source,phone_verified_on\n"
    good = "web-import-line,Web import line,published,male_victim,aylesbury,01296 123456,council letter,2026-01-05\n"
    bad = "web-bad-line,Web bad line,published,male_victim,aylesbury,999999,,\n"
    token = csrf_token(approver, "/admin/transfer/")
    page = approver.post(
        "/admin/transfer/preview",
        data={"csrf_token": token, "file": (io.BytesIO((header + good + bad).encode()), "services.csv")},
    ).get_data(as_text=True)
    assert "cannot be imported until every row passes" in page and "confirm-import" not in page
    assert "row 3" in page and "phone 1: &#39;999999&#39; is not a valid UK phone number" in page

    page = approver.post(
        "/admin/transfer/preview",
        data={"csrf_token": token, "file": (io.BytesIO((header + good).encode()), "services.csv")},
    ).get_data(as_text=True)
    response = approver.post("/admin/transfer/import", data={"csrf_token": token, "csv_text": header + good})
    assert "confirm-import" in page and response.status_code == 302
    assert "web-import-line" in [v.key for v in find_services(["male_victim"], "aylesbury")]


def test_an_admin_adds_an_account_and_the_log_records_it(client_for):
    admin = client_for("admin")
    token = csrf_token(admin, "/admin/accounts/new")
    response = admin.post(
        "/admin/accounts/new",
        data={
            "csrf_token": token,
            "email": "New.Person@example.org",
            "name": "New Person",
            "role": "editor",
            "password": "their first password",
        },
    )
    assert response.status_code == 302
    with session_scope(get_engine()) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.subject_key == "new.person@example.org")).one()
        assert (entry.actor, entry.action) == (STAFF["admin"], "created account")
        assert "password" not in (entry.after or "")


def test_an_organisation_website_needs_a_source_and_a_date(client_for):
    approver = client_for("approver")
    url = "/admin/organisations/respect/"
    page = approver.get(url).get_data(as_text=True)
    response = approver.post(
        url,
        data={
            "csrf_token": hidden(page, "csrf_token"),
            "fingerprint": hidden(page, "fingerprint"),
            "name": "Respect",
            "website": "https://www.respect.uk.net/",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing was saved" in text
    assert "Website source is missing" in text and "Website verified date is missing" in text
    assert client_for("editor").get(url).status_code == 403


def test_a_method_an_admin_page_does_not_take_is_a_405_that_says_what_it_takes(app):
    response = app.test_client().open("/admin/signin/", method="TRACE")  # PUT and DELETE meet the CSRF check first
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert "TRACE" not in response.headers["Allow"]
