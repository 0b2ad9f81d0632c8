"""Drafts, approval, archive and the audit log, against SQLite and (marked `postgres`) PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services_catalogue.admin import workflow
from services_catalogue.admin.accounts import find
from services_catalogue.admin.workflow import ChangeRefused, EditBase, StaleEdit
from services_catalogue.db import session_scope
from services_catalogue.query import find_services
from services_catalogue.staff_models import AuditEntry, AuditLogIsPermanent, PendingChange

from .conftest import STAFF

KEY = "mens-advice-line"
NEW_DESCRIPTION = "Helpline for men experiencing abuse, checked again by the admin tests."


def account(engine, who: str):
    with session_scope(engine) as session:
        return find(session, STAFF[who])


def propose_edit(engine, who: str = "editor", **changes) -> int:
    with session_scope(engine) as session:
        record, base = workflow.working_record(session, KEY)
        record.update(changes or {"description": NEW_DESCRIPTION})
        return workflow.propose(session, account(engine, who), record, base).id


def men_line(engine):
    return next(view for view in find_services(["male_victim"], engine=engine) if view.key == KEY)


def audit_actions(engine, key: str = KEY) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        return [
            (e.actor, e.action)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.subject_key == key).order_by(AuditEntry.id))
        ]


def test_a_draft_is_not_seen_by_the_assistant_until_an_approver_publishes_it(engine):
    change_id = propose_edit(engine)
    assert men_line(engine).description != NEW_DESCRIPTION

    with session_scope(engine) as session:
        workflow.publish(session, account(engine, "approver"), change_id)

    assert men_line(engine).description == NEW_DESCRIPTION
    assert audit_actions(engine) == [(STAFF["editor"], "proposed change"), (STAFF["approver"], "published")]
    with session_scope(engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "published")).one()
        assert "Confidential helpline for men" in entry.before and NEW_DESCRIPTION in entry.after
        assert session.get(PendingChange, change_id).state == "published"


def test_nobody_publishes_their_own_change(engine):
    change_id = propose_edit(engine, "approver")
    with pytest.raises(ChangeRefused, match="someone else must approve"):
        with session_scope(engine) as session:
            workflow.publish(session, account(engine, "approver"), change_id)
    assert men_line(engine).description != NEW_DESCRIPTION


def test_the_second_of_two_editors_working_from_the_same_version_is_refused(engine):
    with session_scope(engine) as session:
        first, base = workflow.working_record(session, KEY)
        second = dict(first)
    first["description"], second["description"] = "First editor's words.", "Second editor's words."
    with session_scope(engine) as session:
        workflow.propose(session, account(engine, "editor"), first, base)
    with pytest.raises(StaleEdit, match="Someone else changed this service since you opened it"):
        with session_scope(engine) as session:
            workflow.propose(session, account(engine, "editor2"), second, base)
    with session_scope(engine) as session:
        waiting = workflow.waiting_change(session, KEY)
        assert '"First editor\'s words."' in waiting.record


def test_a_later_edit_builds_on_the_waiting_draft_and_replaces_it(engine):
    first = propose_edit(engine, description="First draft.")
    with session_scope(engine) as session:
        record, base = workflow.working_record(session, KEY)
    assert record["description"] == "First draft." and base.draft_id == first
    second = propose_edit(engine, "editor2", description="Second draft.")
    with session_scope(engine) as session:
        assert session.get(PendingChange, first).state == "superseded"
        assert workflow.waiting_change(session, KEY).id == second


def test_a_draft_made_before_the_service_changed_cannot_be_published(engine):
    change_id = propose_edit(engine)
    with session_scope(engine) as session:
        service = workflow.find_service(session, KEY)
        workflow.set_status(session, account(engine, "approver"), KEY, service.version, "archived")
    with pytest.raises(StaleEdit, match="has changed since this draft was made"):
        with session_scope(engine) as session:
            workflow.publish(session, account(engine, "approver"), change_id)


def test_rejecting_leaves_the_published_service_alone(engine):
    change_id = propose_edit(engine)
    with session_scope(engine) as session:
        workflow.reject(session, account(engine, "approver"), change_id)
    assert men_line(engine).description != NEW_DESCRIPTION
    with pytest.raises(ChangeRefused, match="no longer waiting"):
        with session_scope(engine) as session:
            workflow.publish(session, account(engine, "approver"), change_id)


def test_a_new_service_appears_once_published(engine):
    record = {
        "key": "test-local-line",
        "organization": None,
        "name": "Test local line",
        "description": "A test line.",
        "status": "published",
        "needs": ["male_victim"],
        "areas": ["aylesbury"],
        "phones": [
            {
                "number": "01296 123456",
                "type": "voice",
                "source": "test letter",
                "verified_on": "2026-01-05",
                "verified_by": "tests",
            }
        ],
    }
    with session_scope(engine) as session:
        change = workflow.propose(session, account(engine, "editor"), record, EditBase(0, 0))
    assert "test-local-line" not in [v.key for v in find_services(["male_victim"], "aylesbury", engine=engine)]
    with session_scope(engine) as session:
        workflow.publish(session, account(engine, "approver"), change.id)
    assert "test-local-line" in [v.key for v in find_services(["male_victim"], "aylesbury", engine=engine)]


def test_archive_hides_a_service_and_restore_brings_it_back(engine):
    approver = account(engine, "approver")
    with session_scope(engine) as session:
        version = workflow.find_service(session, KEY).version
        workflow.set_status(session, approver, KEY, version, "archived")
    assert KEY not in [view.key for view in find_services(["male_victim"], engine=engine)]
    with pytest.raises(StaleEdit):
        with session_scope(engine) as session:
            workflow.set_status(session, approver, KEY, version, "published")
    with session_scope(engine) as session:
        workflow.set_status(session, approver, KEY, workflow.find_service(session, KEY).version, "published")
    assert men_line(engine)
    assert [action for _, action in audit_actions(engine)] == ["archived", "restored"]


def test_restoring_a_service_without_verified_contact_details_is_refused_in_plain_words(engine):
    key = "signhealth-domestic-abuse"  # a seed draft with no confirmed contact details
    approver = account(engine, "approver")
    with session_scope(engine) as session:
        workflow.set_status(session, approver, key, workflow.find_service(session, key).version, "archived")
    with pytest.raises(ChangeRefused, match="cannot be published: it has no phone number or website"):
        with session_scope(engine) as session:
            workflow.set_status(session, approver, key, workflow.find_service(session, key).version, "published")
    with session_scope(engine) as session:
        assert workflow.find_service(session, key).status == "archived"


def test_audit_entries_can_be_neither_changed_nor_deleted(engine):
    propose_edit(engine)
    with pytest.raises(AuditLogIsPermanent):
        with session_scope(engine) as session:
            session.scalars(select(AuditEntry)).first().note = "rewritten"
    with pytest.raises(AuditLogIsPermanent):
        with session_scope(engine) as session:
            session.delete(session.scalars(select(AuditEntry)).first())
    assert audit_actions(engine) == [(STAFF["editor"], "proposed change")]
