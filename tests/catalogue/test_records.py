"""Importing, validating and exporting records: every problem named by row and field, nothing half-written."""

import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from services_catalogue.db import session_scope
from services_catalogue.models import Service
from services_catalogue.publication import UnverifiedContactDetail
from services_catalogue.records import ImportRejected, read_csv, read_yaml, write_csv
from services_catalogue.store import all_services, import_records, record_from_service

HEADER = "key,name,status,needs,areas,opening_hours,phone,phone_type,phone_source,phone_verified_on,phone_verified_by\n"
GOOD_ROW = (
    "new-line,New Line,published,stalking,aylesbury,MO-FR 09:00-17:00,01296 383000,voice,council page,2026-11-01,Sam\n"
)


def service_count(engine):
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Service))


def import_csv(engine, text):
    records, errors = read_csv(text)
    if errors:
        raise ImportRejected(errors)
    with session_scope(engine) as session:
        return import_records(session, records)


def problems(engine, text):
    with pytest.raises(ImportRejected) as rejected:
        import_csv(engine, text)
    return [str(e) for e in rejected.value.errors]


def test_a_good_row_is_imported(engine):
    before = service_count(engine)
    assert import_csv(engine, HEADER + GOOD_ROW) == 1
    assert service_count(engine) == before + 1


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            "bad-phone,Bad,published,stalking,aylesbury,,01234,voice,page,2026-11-01,Sam\n",
            "row 3, phone 1: '01234' is not a valid UK phone number",
        ),
        ("bad-need,Bad,draft,hugs,aylesbury,,,,,,\n", "row 3, needs: 'hugs' is not a need code we know"),
        ("bad-area,Bad,draft,stalking,atlantis,,,,,,\n", "row 3, areas: 'atlantis' is not an area we know"),
        (
            "no-source,Bad,published,stalking,aylesbury,,01296 383000,voice,,2026-11-01,Sam\n",
            "row 3, phone 1 source: is missing: say where this detail was read",
        ),
        (
            "bad-date,Bad,published,stalking,aylesbury,,01296 383000,voice,page,31/12/2025,Sam\n",
            "row 3, phone 1 verified date: '31/12/2025' is not a date like 2026-01-31",
        ),
        (
            "bad-hours,Bad,draft,stalking,aylesbury,weekdays,,,,,\n",
            "row 3, opening_hours: 'weekdays' should look like 'MO-FR 09:00-17:00'",
        ),
        (
            "Bad Key,Bad,draft,stalking,aylesbury,,,,,,\n",
            "row 3, key: 'Bad Key' must be lower-case letters, digits and hyphens",
        ),
        ("no-status,Bad,,stalking,aylesbury,,,,,,\n", "row 3, status: '' must be one of draft, published, archived"),
    ],
)
def test_each_problem_is_named_and_nothing_is_written(engine, row, expected):
    before = service_count(engine)
    assert expected in problems(engine, HEADER + GOOD_ROW + row)
    assert service_count(engine) == before


def test_duplicate_key_with_different_details(engine):
    text = HEADER + GOOD_ROW + GOOD_ROW.replace("New Line", "Other Name")
    assert problems(engine, text) == ["row 3, key: 'new-line' is used again with different service details"]


def test_rows_with_the_same_key_add_phone_numbers(engine):
    text = HEADER + GOOD_ROW + GOOD_ROW.replace("01296 383000,voice", "07911 123456,text")
    import_csv(engine, text)
    with session_scope(engine) as session:
        service = session.scalars(select(Service).where(Service.key == "new-line")).one()
        assert [(p.number, p.type) for p in service.phones] == [("01296 383000", "voice"), ("07911 123456", "text")]


def test_malformed_csv(engine):
    assert problems(engine, "key,name,status\nx,y,draft,extra\n") == [
        "row 2, row: has more values than the header has columns"
    ]
    assert problems(engine, "name\nx\n")[0] == "row 1, key: column is missing from the header"


def test_malformed_yaml():
    _, _, errors = read_yaml("services: [unclosed")
    assert [str(e) for e in errors] == ["line 1, file: is not valid YAML"]


def test_duplicate_keys_in_yaml(engine):
    _, services, _ = read_yaml(
        "services:\n  - {key: twin, name: A, status: draft, needs: [general], areas: [national]}\n"
        "  - {key: twin, name: B, status: draft, needs: [general], areas: [national]}\n"
    )
    with session_scope(engine) as session, pytest.raises(ImportRejected) as rejected:
        import_records(session, services)
    assert [str(e) for e in rejected.value.errors] == ["service 2 (twin), key: 'twin' appears more than once"]


def test_csv_export_imports_back_unchanged(engine, sqlite_engine, tmp_path):
    with session_scope(engine) as session:
        original = [record_from_service(s) for s in all_services(session)]
    out = io.StringIO()
    write_csv(original, out)
    records, errors = read_csv(out.getvalue())
    assert errors == []
    fresh = sqlite_engine
    with session_scope(fresh) as session:
        import_records(session, records)
    with session_scope(fresh) as session:
        again = [record_from_service(s) for s in all_services(session)]
    assert [(r["key"], r["status"], r["phones"], r["needs"], r["always_open"]) for r in again] == [
        (r["key"], r["status"], r["phones"], r["needs"], r["always_open"]) for r in original
    ]


def test_an_unverified_detail_can_never_be_published(engine):
    with pytest.raises(UnverifiedContactDetail, match="has no source or verified date"):
        with session_scope(engine) as session:
            service = session.scalars(select(Service).where(Service.key == "mens-advice-line")).one()
            service.phones[0].verified_on = None
    with session_scope(engine) as session:
        service = session.scalars(select(Service).where(Service.key == "mens-advice-line")).one()
        assert service.phones[0].verified_on is not None


def test_a_draft_without_contact_details_cannot_be_published(engine):
    with pytest.raises(UnverifiedContactDetail, match="no phone number or website"):
        with session_scope(engine) as session:
            session.scalars(select(Service).where(Service.key == "aylesbury-womens-aid")).one().status = "published"


def test_concurrent_edits_the_second_is_refused(engine):
    with Session(engine, future=True) as first, Session(engine, future=True) as second:
        mine = first.scalars(select(Service).where(Service.key == "galop-lgbt-helpline")).one()
        theirs = second.scalars(select(Service).where(Service.key == "galop-lgbt-helpline")).one()
        mine.description = "First edit"
        first.commit()
        theirs.description = "Second edit"
        with pytest.raises(StaleDataError):
            second.commit()
    with session_scope(engine) as session:
        assert (
            session.scalars(select(Service.description).where(Service.key == "galop-lgbt-helpline")).one()
            == "First edit"
        )
