"""Drafts and publishing: editors propose, a different person approves, and only then does the assistant see it.

An editor's save never touches the published service. It becomes a PendingChange holding the whole service
record (records.py shape) and the versions it was made from, so a save or an approval based on something that
has since changed is refused instead of silently overwriting it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..models import Service, utcnow
from ..publication import UnverifiedContactDetail
from ..records import RecordError, validate_records
from ..staff_models import PendingChange
from ..store import full_load, known_codes, record_from_service, write_records
from . import audit
from .accounts import Actor

STALE = "Someone else changed this service since you opened it; reload and try again."
STALE_CHANGE = (
    "The published service has changed since this draft was made, so publishing it would undo "
    "someone else's work. Ask the editor to open the service again and redo the change."
)


class StaleEdit(Exception):
    def __init__(self, message: str = STALE):
        super().__init__(message)
        self.message = message


class ChangeRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class EditBase:
    """What an edit form was opened from: the service's version (0 if new) and the waiting draft (0 if none)."""

    version: int
    draft_id: int


def find_service(session: Session, key: str) -> Service | None:
    return session.scalars(select(Service).options(*full_load()).where(Service.key == key)).first()


def waiting_change(session: Session, key: str) -> PendingChange | None:
    return session.scalars(select(PendingChange).where(PendingChange.waiting_key == key)).first()


def current_base(session: Session, key: str) -> EditBase:
    service = find_service(session, key)
    draft = waiting_change(session, key)
    return EditBase(service.version if service else 0, draft.id if draft else 0)


def plain_record(service: Service | None) -> dict | None:
    """The service as a JSON-safe record, or None for one that does not exist yet."""
    return None if service is None else audit.from_json(audit.to_json(record_from_service(service)))


def working_record(session: Session, key: str) -> tuple[dict | None, EditBase]:
    """What an editor should start from: the waiting draft if there is one, else the service as it stands."""
    base = current_base(session, key)
    draft = waiting_change(session, key)
    return (json.loads(draft.record) if draft else plain_record(find_service(session, key))), base


def check(session: Session, record: dict) -> list[RecordError]:
    return validate_records([record], *known_codes(session))


def propose(session: Session, account: Actor, record: dict, base: EditBase) -> PendingChange:
    """Save an editor's version of a service as the one draft waiting for it, replacing any earlier draft."""
    key = record["key"]
    if current_base(session, key) != base:
        raise StaleEdit()
    record = {**{k: v for k, v in record.items() if k != "_row"}, "status": "published"}
    previous = waiting_change(session, key)
    try:
        if previous:
            previous.state, previous.waiting_key = "superseded", None
            session.flush()
        change = PendingChange(
            service_key=key,
            waiting_key=key,
            base_version=base.version or None,
            record=audit.to_json(record),
            proposed_by_id=account.id,
            state="waiting",
        )
        session.add(change)
        session.flush()
    except (StaleDataError, IntegrityError) as error:
        raise StaleEdit() from error
    audit.record(
        session,
        account.email,
        "proposed change",
        "service",
        key,
        plain_record(find_service(session, key)),
        record,
        note=f"draft {change.id}",
    )
    return change


def _decidable(session: Session, change_id: int) -> PendingChange:
    change = session.get(PendingChange, change_id)
    if change is None or change.state != "waiting":
        raise ChangeRefused("This draft is no longer waiting: it has been published, rejected or replaced.")
    return change


def _close(change: PendingChange, account: Actor, state: str) -> None:
    change.state, change.waiting_key = state, None
    change.decided_by_id, change.decided_at = account.id, utcnow()


def publish(session: Session, account: Actor, change_id: int) -> Service:
    change = _decidable(session, change_id)
    if change.proposed_by_id == account.id:
        raise ChangeRefused("You made this change, so someone else must approve it.")
    service = find_service(session, change.service_key)
    if (service.version if service else None) != change.base_version:
        raise StaleEdit(STALE_CHANGE)
    before = plain_record(service)
    record = json.loads(change.record)
    errors = check(session, record)
    if errors:
        raise ChangeRefused(
            "This draft cannot be published: " + "; ".join(f"{error.field} {error.message}" for error in errors) + "."
        )
    try:
        write_records(session, [record])
        _close(change, account, "published")
        session.flush()
    except UnverifiedContactDetail as error:
        raise ChangeRefused(str(error)) from error
    except StaleDataError as error:
        raise StaleEdit(STALE_CHANGE) from error
    published = find_service(session, change.service_key)
    assert published is not None, "written in this transaction"
    audit.record(
        session,
        account.email,
        "published",
        "service",
        change.service_key,
        before,
        plain_record(published),
        note=f"draft {change.id}, proposed by {change.proposed_by.email}",
    )
    return published


def reject(session: Session, account: Actor, change_id: int) -> None:
    change = _decidable(session, change_id)
    _close(change, account, "rejected")
    try:
        session.flush()
    except StaleDataError as error:
        raise ChangeRefused(
            "Someone else decided on this draft at the same moment; reload to see what happened."
        ) from error
    audit.record(
        session,
        account.email,
        "rejected draft",
        "service",
        change.service_key,
        after=json.loads(change.record),
        note=f"draft {change.id}, proposed by {change.proposed_by.email}",
    )


def set_status(session: Session, account: Actor, key: str, version: int, status: str) -> Service:
    """Archive (status 'archived') or restore (status 'published') a service the form showed at `version`."""
    service = find_service(session, key)
    if service is None:
        raise ChangeRefused("There is no service with that key.")
    if service.version != version:
        raise StaleEdit()
    before = plain_record(service)
    service.status = status
    try:
        session.flush()
    except UnverifiedContactDetail as error:
        raise ChangeRefused(str(error)) from error
    except StaleDataError as error:
        raise StaleEdit() from error
    audit.record(
        session,
        account.email,
        "archived" if status == "archived" else "restored",
        "service",
        key,
        before,
        plain_record(service),
    )
    return service
