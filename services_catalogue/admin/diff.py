"""Records side by side, field by field, in staff words: the approval screen and the audit log both use it."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import format_opening_hours

LABELS = {
    "key": "Key",
    "code": "Code",
    "organization": "Organisation",
    "name": "Name",
    "description": "Description",
    "status": "Status",
    "needs": "Needs",
    "areas": "Areas",
    "languages": "Languages",
    "minimum_age": "Minimum age",
    "maximum_age": "Maximum age",
    "eligibility_note": "Who can use it",
    "hours_note": "Note on opening hours",
    "staff_note": "Note for staff",
    "website": "Website",
    "url": "address",
    "source": "source",
    "verified_on": "verified on",
    "verified_by": "verified by",
    "phones": "Phone",
    "number": "number",
    "type": "type",
    "translations": "Description in",
    "opening_hours": "Opening hours",
    "postcodes": "Postcode districts",
    "aliases": "Other names",
    "kind": "Kind",
    "parent": "Part of",
    "active": "In use",
    "email": "Email",
    "role": "Role",
}


@dataclass(frozen=True)
class DiffRow:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    return str(value)


def _flatten(record: dict, prefix: str = "") -> dict[str, str]:
    rows: dict[str, str] = {}
    for field, value in record.items():
        label = f"{prefix} {LABELS.get(field, field)}".strip()
        if isinstance(value, dict):
            rows.update(_flatten(value, label))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for number, item in enumerate(value, 1):
                rows.update(_flatten(item, f"{label} {number}"))
        else:
            rows[label[0].upper() + label[1:]] = _text(value)
    return rows


def field_rows(record: dict | None) -> dict[str, str]:
    """Label -> text; a service's schedules and always_open read as one 'Opening hours' line."""
    if not record:
        return {}
    record = dict(record)
    if "schedules" in record:
        record["opening_hours"] = format_opening_hours(record.pop("always_open", False), record.pop("schedules"))
    return _flatten(record)


def side_by_side(before: dict | None, after: dict | None) -> list[DiffRow]:
    old, new = field_rows(before), field_rows(after)
    labels = list(old) + [label for label in new if label not in old]
    return [DiffRow(label, old.get(label, ""), new.get(label, "")) for label in labels]
