"""CSV import (preview, then all or nothing), the exports, and direct edits of needs, areas and organisations."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from services_catalogue.admin import reference, transfer
from services_catalogue.admin.forms import AreaForm
from services_catalogue.db import session_scope
from services_catalogue.models import Service
from services_catalogue.query import find_services, resolve_place
from services_catalogue.records import ImportRejected, read_csv
from services_catalogue.staff_models import AuditEntry

HEADER = "key,name,status,needs,areas,phone,phone_source,phone_verified_on\n"
GOOD_ROW = "csv-test-line,CSV test line,published,male_victim,aylesbury,01296 123456,council letter,2026-01-05\n"
BAD_ROW = "csv-bad-line,CSV bad line,published,no_such_need,aylesbury,12345,,\n"


def test_the_preview_lists_each_rows_problems(engine):
    with session_scope(engine) as session:
        preview = transfer.preview(session, HEADER + GOOD_ROW + BAD_ROW)
    assert not preview.ready
    good, bad = preview.rows
    assert (good.row, good.problems) == ("row 2", [])
    assert bad.row == "row 3"
    assert "needs: 'no_such_need' is not a need code we know" in bad.problems
    assert "phone 1: '12345' is not a valid UK phone number" in bad.problems
    assert any("phone 1 source" in problem for problem in bad.problems)


def test_an_import_with_any_bad_row_writes_nothing(engine):
    with pytest.raises(ImportRejected):
        with session_scope(engine) as session:
            transfer.import_csv(session, HEADER + GOOD_ROW + BAD_ROW, "approver@example.org")
    with session_scope(engine) as session:
        assert session.scalars(select(Service).where(Service.key == "csv-test-line")).first() is None
        assert session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "service")).first() is None


def test_a_clean_import_is_written_audited_and_offered_at_once(engine):
    with session_scope(engine) as session:
        assert transfer.preview(session, HEADER + GOOD_ROW).ready
        assert transfer.import_csv(session, HEADER + GOOD_ROW, "approver@example.org") == 1
    assert "csv-test-line" in [view.key for view in find_services(["male_victim"], "aylesbury", engine=engine)]
    with session_scope(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "service")).one()
        assert (entry.action, entry.subject_key, entry.before) == ("imported", "csv-test-line", None)


def test_the_csv_export_reads_back_as_the_same_services(engine):
    with session_scope(engine) as session:
        text = transfer.services_csv(session)
        keys = set(session.scalars(select(Service.key)))
    records, errors = read_csv(text)
    assert errors == [] and {record["key"] for record in records} == keys


def test_the_open_referral_export_holds_published_services_only(engine):
    with session_scope(engine) as session:
        records = json.loads(transfer.services_oruk_json(session))
        published = set(session.scalars(select(Service.id).where(Service.status == "published")))
    assert {record["id"] for record in records} == published
    assert all(record["status"] == "active" for record in records)


def area_form(**fields) -> AreaForm:
    from werkzeug.datastructures import MultiDict

    form = AreaForm(formdata=MultiDict(fields), meta={"csrf": False})
    form.parent.choices = [("", "(none)"), ("buckinghamshire", "Buckinghamshire")]
    return form


@pytest.fixture
def request_context(admin_env):
    from services_catalogue.web import create_app

    with create_app().test_request_context("/admin/areas/", method="POST"):
        yield


def test_an_area_saved_directly_is_audited_and_used_by_the_assistant_at_once(engine, request_context):
    with session_scope(engine) as session:
        before = reference.AREAS.to_item(reference.AREAS.find(session, "marlow"))
        form = area_form(
            name="Marlow",
            kind="town",
            parent="buckinghamshire",
            aliases="Marlow Bottom",
            postcodes="SL7, SL6",
            fingerprint=reference.fingerprint(before),
        )
        assert reference.AREAS.save(session, "approver@example.org", "marlow", False, form) == []
    assert resolve_place("I live in SL6 2AB", engine=engine).area_codes == ("marlow",)
    assert resolve_place("near Marlow Bottom", engine=engine).area_codes == ("marlow",)
    with session_scope(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "area")).one()
        assert (entry.action, entry.actor, entry.subject_key) == ("edited", "approver@example.org", "marlow")
        assert '"SL6"' in entry.after and '"SL6"' not in entry.before


def test_a_direct_edit_made_from_an_old_copy_is_refused(engine, request_context):
    with session_scope(engine) as session:
        old = reference.fingerprint(reference.AREAS.to_item(reference.AREAS.find(session, "marlow")))
        first = area_form(name="Marlow town", kind="town", parent="buckinghamshire", postcodes="SL7", fingerprint=old)
        assert reference.AREAS.save(session, "approver@example.org", "marlow", False, first) == []
    with pytest.raises(reference.StaleEntry, match="Someone else changed this area"):
        with session_scope(engine) as session:
            second = area_form(
                name="Great Marlow", kind="town", parent="buckinghamshire", postcodes="SL7", fingerprint=old
            )
            reference.AREAS.save(session, "admin@example.org", "marlow", False, second)


def test_bad_area_details_are_explained(engine, request_context):
    with session_scope(engine) as session:
        form = area_form(name="Nowhere", kind="town", parent="", postcodes="HP19, 12X")
        problems = reference.AREAS.save(session, "approver@example.org", "Not A Code", True, form)
    assert problems[0].startswith("'Not A Code' is not a valid code")
    assert "'12X' is not a postcode district like HP19." in problems
