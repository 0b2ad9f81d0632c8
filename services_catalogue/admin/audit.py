"""The audit log: who changed what and when, with the record before and after. Entries are only ever added."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..staff_models import AuditEntry

CSV_FIELDS = ("id", "at", "actor", "action", "subject_type", "subject_key", "note", "before", "after")


def to_json(data: dict | None) -> str | None:
    """Dates become ISO strings, so a record reads back the same as the records module writes it."""
    return None if data is None else json.dumps(data, default=str, sort_keys=True, ensure_ascii=False)


def from_json(text: str | None) -> dict | None:
    return None if text is None else json.loads(text)


def record(
    session: Session,
    actor: str,
    action: str,
    subject_type: str,
    subject_key: str,
    before: dict | None = None,
    after: dict | None = None,
    note: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_key=subject_key,
        before=to_json(before),
        after=to_json(after),
        note=note,
    )
    session.add(entry)
    return entry


def _matching(search: str):
    query = select(AuditEntry)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                func.lower(AuditEntry.subject_key).like(pattern),
                func.lower(AuditEntry.actor).like(pattern),
                func.lower(AuditEntry.action).like(pattern),
            )
        )
    return query


def page_of_entries(session: Session, search: str, page: int, per_page: int) -> tuple[list[AuditEntry], int]:
    query = _matching(search)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    entries = session.scalars(query.order_by(AuditEntry.id.desc()).offset((page - 1) * per_page).limit(per_page))
    return list(entries), total


def all_entries(session: Session, search: str = "") -> list[AuditEntry]:
    return list(session.scalars(_matching(search).order_by(AuditEntry.id)))


def write_csv(entries: Iterable[AuditEntry], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow({field: getattr(entry, field) or "" for field in CSV_FIELDS})
