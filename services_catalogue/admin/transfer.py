"""CSV import in two steps (a preview listing each row's problems, then an all-or-nothing write) and exports."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from .. import oruk
from ..records import ImportRejected, read_csv, validate_records, write_csv
from ..store import all_services, import_records, known_codes, record_from_service
from . import audit
from .workflow import find_service, plain_record


@dataclass(frozen=True)
class PreviewRow:
    row: str
    key: str
    name: str
    status: str
    problems: list[str]


@dataclass(frozen=True)
class Preview:
    rows: list[PreviewRow]
    file_problems: list[str]  # about the file as a whole, such as a missing column

    @property
    def ready(self) -> bool:
        return bool(self.rows) and not self.file_problems and not any(row.problems for row in self.rows)


def preview(session: Session, text: str) -> Preview:
    records, errors = read_csv(text)
    errors = errors + validate_records(records, *known_codes(session))
    by_row: dict[str, list[str]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(f"{error.field}: {error.message}")
    rows = [
        PreviewRow(record["_row"], record["key"], record["name"], record["status"], by_row.pop(record["_row"], []))
        for record in records
    ]
    file_problems = [f"{row}, {problem}" for row, problems in by_row.items() for problem in problems]
    return Preview(rows, file_problems)


def import_csv(session: Session, text: str, actor: str) -> int:
    """Write every record or none (store.import_records raises ImportRejected); one audit entry per service."""
    records, errors = read_csv(text)
    if errors:
        raise ImportRejected(errors)
    before = {record["key"]: plain_record(find_service(session, record["key"])) for record in records}
    count = import_records(session, records)
    for record in records:
        audit.record(
            session,
            actor,
            "imported",
            "service",
            record["key"],
            before[record["key"]],
            plain_record(find_service(session, record["key"])),
        )
    return count


def services_csv(session: Session) -> str:
    out = io.StringIO()
    write_csv((record_from_service(service) for service in all_services(session)), out)
    return out.getvalue()


def services_oruk_json(session: Session) -> str:
    records = [oruk.service_record(service) for service in all_services(session, ["published"])]
    return json.dumps(records, indent=2, ensure_ascii=False)
