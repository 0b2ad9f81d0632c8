"""Service records as staff and seed files write them, and their validation.

A record is a plain dict in the seed YAML's shape. CSV rows (one row per phone number; rows with the same key
are one service) become the same records, so both formats share one validator and one writer. Every problem is
reported in plain words with the row and field, and nothing is written unless every row passes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO
from urllib.parse import urlparse

import phonenumbers
import yaml
from phonenumbers import shortnumberinfo

from .models import DAYS, PHONE_TYPES, STATUSES

CSV_SERVICE_FIELDS = (
    "key",
    "organization",
    "name",
    "description",
    "status",
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
)
CSV_PHONE_FIELDS = (
    "phone",
    "phone_type",
    "phone_description",
    "phone_languages",
    "phone_source",
    "phone_verified_on",
    "phone_verified_by",
)
CSV_FIELDS = CSV_SERVICE_FIELDS + CSV_PHONE_FIELDS

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,118}$")
TIME_PATTERN = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")
HOURS_PART = re.compile(r"^(?P<days>[A-Z,\-]+)\s+(?P<opens>\d\d:\d\d)-(?P<closes>\d\d:\d\d)$")


@dataclass(frozen=True)
class RecordError:
    row: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.row}, {self.field}: {self.message}"


class ImportRejected(ValueError):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, errors: list[RecordError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) found; nothing was written.")


# --- reading files -------------------------------------------------------------------------------------------


def read_yaml(text: str) -> tuple[list[dict], list[dict], list[RecordError]]:
    """Organisations and services from a seed-format YAML document."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "the file"
        return [], [], [RecordError(where, "file", "is not valid YAML")]
    if isinstance(document, list):
        document = {"services": document}
    if not isinstance(document, dict) or not isinstance(document.get("services", []), list):
        return [], [], [RecordError("the file", "services", "must be a list of services")]
    organizations = document.get("organizations") or []
    services = document.get("services") or []
    errors = [
        RecordError(f"service {n}", "row", "must be a mapping of fields")
        for n, item in enumerate(services, 1)
        if not isinstance(item, dict)
    ]
    for number, service in enumerate(services, 1):
        if isinstance(service, dict):
            service["_row"] = f"service {number}" + (f" ({service['key']})" if service.get("key") else "")
    return [o for o in organizations if isinstance(o, dict)], [s for s in services if isinstance(s, dict)], errors


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", value or "") if part.strip()]


def parse_opening_hours(text: str) -> tuple[bool, list[dict]]:
    """'24/7' or 'MO-FR 09:00-17:00; SA 10:00-14:00' into (always_open, schedules)."""
    text = (text or "").strip()
    if not text:
        return False, []
    if text.replace(" ", "").lower() in {"24/7", "24x7"}:
        return True, []
    schedules = []
    for part in text.split(";"):
        match = HOURS_PART.match(part.strip().upper())
        if not match:
            raise ValueError(f"'{part.strip()}' should look like 'MO-FR 09:00-17:00'")
        schedules.append({"days": _expand_days(match["days"]), "opens": match["opens"], "closes": match["closes"]})
    return False, schedules


def _expand_days(text: str) -> list[str]:
    days: list[str] = []
    for piece in text.split(","):
        if "-" in piece:
            first, last = piece.split("-", 1)
            if first not in DAYS or last not in DAYS:
                raise ValueError(f"'{piece}' is not a range of days such as MO-FR")
            days.extend(DAYS[DAYS.index(first) : DAYS.index(last) + 1])
        elif piece in DAYS:
            days.append(piece)
        else:
            raise ValueError(f"'{piece}' is not a day (MO, TU, WE, TH, FR, SA, SU)")
    return days


def format_opening_hours(always_open: bool, schedules: list[dict]) -> str:
    if always_open:
        return "24/7"
    return "; ".join(f"{','.join(s['days'])} {s['opens']}-{s['closes']}" for s in schedules)


def read_csv(text: str) -> tuple[list[dict], list[RecordError]]:
    """Service records from CSV; rows sharing a key add phone numbers to one service."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [field for field in ("key", "name", "status") if field not in header]
    if missing:
        return [], [RecordError("row 1", field, "column is missing from the header") for field in missing]
    unknown = [field for field in header if field not in CSV_FIELDS]
    if unknown:
        return [], [RecordError("row 1", field, "is not a column we know") for field in unknown]
    records: dict[str, dict] = {}
    errors: list[RecordError] = []
    for line, row in enumerate(reader, 2):
        if None in row:
            errors.append(RecordError(f"row {line}", "row", "has more values than the header has columns"))
            continue
        row = {name: (value or "").strip() for name, value in row.items()}
        where = f"row {line}"
        record = _service_from_row(row, where, errors)
        key = record["key"]
        if key in records:
            if _service_part(records[key]) != _service_part(record):
                errors.append(RecordError(where, "key", f"'{key}' is used again with different service details"))
                continue
            records[key]["phones"].extend(record["phones"])
        else:
            records[key or f"_blank_{line}"] = record
    return list(records.values()), errors


def _service_part(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("phones", "_row")}


def _service_from_row(row: dict, where: str, errors: list[RecordError]) -> dict:
    try:
        always_open, schedules = parse_opening_hours(row.get("opening_hours", ""))
    except ValueError as error:
        errors.append(RecordError(where, "opening_hours", str(error)))
        always_open, schedules = False, []
    record = {
        "_row": where,
        "key": row.get("key", ""),
        "organization": row.get("organization") or None,
        "name": row.get("name", ""),
        "description": row.get("description", ""),
        "status": row.get("status", ""),
        "needs": _split_list(row.get("needs", "")),
        "areas": _split_list(row.get("areas", "")),
        "languages": _split_list(row.get("languages", "")),
        "minimum_age": row.get("minimum_age") or None,
        "maximum_age": row.get("maximum_age") or None,
        "eligibility_note": row.get("eligibility_note") or None,
        "hours_note": row.get("hours_note") or None,
        "staff_note": row.get("staff_note") or None,
        "always_open": always_open,
        "schedules": schedules,
        "website": None,
        "phones": [],
    }
    if row.get("website"):
        record["website"] = {
            "url": row["website"],
            "source": row.get("website_source", ""),
            "verified_on": row.get("website_verified_on", ""),
            "verified_by": row.get("website_verified_by", ""),
        }
    if row.get("phone"):
        record["phones"].append(
            {
                "number": row["phone"],
                "type": row.get("phone_type") or "voice",
                "description": row.get("phone_description") or None,
                "languages": _split_list(row.get("phone_languages", "")),
                "source": row.get("phone_source", ""),
                "verified_on": row.get("phone_verified_on", ""),
                "verified_by": row.get("phone_verified_by", ""),
            }
        )
    return record


def write_csv(records: Iterable[dict], out: TextIO) -> int:
    """The inverse of read_csv: one row per phone number (or one row for a service without any)."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    rows = 0
    for record in records:
        website = record.get("website") or {}
        base = {
            "key": record["key"],
            "organization": record.get("organization") or "",
            "name": record["name"],
            "description": record.get("description") or "",
            "status": record["status"],
            "needs": ";".join(record.get("needs", [])),
            "areas": ";".join(record.get("areas", [])),
            "languages": ";".join(record.get("languages", [])),
            "minimum_age": record.get("minimum_age") or "",
            "maximum_age": record.get("maximum_age") or "",
            "eligibility_note": record.get("eligibility_note") or "",
            "opening_hours": format_opening_hours(record.get("always_open", False), record.get("schedules", [])),
            "hours_note": record.get("hours_note") or "",
            "staff_note": record.get("staff_note") or "",
            "website": website.get("url", ""),
            "website_source": website.get("source", ""),
            "website_verified_on": str(website.get("verified_on") or ""),
            "website_verified_by": website.get("verified_by", ""),
        }
        for phone in record.get("phones") or [None]:
            row = dict(base)
            if phone:
                row.update(
                    {
                        "phone": phone["number"],
                        "phone_type": phone.get("type", "voice"),
                        "phone_description": phone.get("description") or "",
                        "phone_languages": ";".join(phone.get("languages") or []),
                        "phone_source": phone.get("source", ""),
                        "phone_verified_on": str(phone.get("verified_on") or ""),
                        "phone_verified_by": phone.get("verified_by", ""),
                    }
                )
            writer.writerow(row)
            rows += 1
    return rows


# --- validation ----------------------------------------------------------------------------------------------


def is_uk_phone_number(number: str) -> bool:
    """Full UK numbers, and the short numbers people really use (999, 101, 18000, 116 123)."""
    try:
        parsed = phonenumbers.parse(str(number), "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) or shortnumberinfo.is_valid_short_number(parsed)


def is_web_address(url: str) -> bool:
    parsed = urlparse(str(url))
    return parsed.scheme in ("http", "https") and "." in parsed.netloc and " " not in url


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _check_verification(detail: dict, field: str, where: str, errors: list[RecordError]) -> None:
    if not str(detail.get("source") or "").strip():
        errors.append(RecordError(where, f"{field} source", "is missing: say where this detail was read"))
    verified_on = detail.get("verified_on")
    if not verified_on:
        errors.append(RecordError(where, f"{field} verified date", "is missing: give the date it was checked"))
    else:
        date = parse_date(verified_on)
        if date is None:
            errors.append(
                RecordError(where, f"{field} verified date", f"'{verified_on}' is not a date like 2026-01-31")
            )
        elif date > dt.date.today():
            errors.append(RecordError(where, f"{field} verified date", f"'{verified_on}' is in the future"))


def _check_age(record: dict, field: str, where: str, errors: list[RecordError]) -> None:
    value = record.get(field)
    if value in (None, ""):
        return
    try:
        age = int(value)
    except (TypeError, ValueError):
        errors.append(RecordError(where, field, f"'{value}' is not a whole number of years"))
        return
    if not 0 <= age <= 120:
        errors.append(RecordError(where, field, f"{age} is not an age between 0 and 120"))


def validate_records(
    records: list[dict], known_needs: set[str], known_areas: set[str], known_organizations: set[str]
) -> list[RecordError]:
    errors: list[RecordError] = []
    seen: set[str] = set()
    for record in records:
        where = record.get("_row", "a service")
        key = str(record.get("key") or "")
        if not key:
            errors.append(RecordError(where, "key", "is required"))
        elif not KEY_PATTERN.match(key):
            errors.append(RecordError(where, "key", f"'{key}' must be lower-case letters, digits and hyphens"))
        elif key in seen:
            errors.append(RecordError(where, "key", f"'{key}' appears more than once"))
        seen.add(key)
        if not str(record.get("name") or "").strip():
            errors.append(RecordError(where, "name", "is required"))
        status = record.get("status")
        if status not in STATUSES:
            errors.append(RecordError(where, "status", f"'{status}' must be one of {', '.join(STATUSES)}"))
        organization = record.get("organization")
        if organization and organization not in known_organizations:
            errors.append(RecordError(where, "organization", f"'{organization}' is not an organisation we know"))
        needs = record.get("needs") or []
        if not needs:
            errors.append(RecordError(where, "needs", "at least one need is required"))
        for need in needs:
            if need not in known_needs:
                errors.append(RecordError(where, "needs", f"'{need}' is not a need code we know"))
        areas = record.get("areas") or []
        if not areas:
            errors.append(RecordError(where, "areas", "at least one area is required"))
        for area in areas:
            if area not in known_areas:
                errors.append(RecordError(where, "areas", f"'{area}' is not an area we know"))
        for language in record.get("languages") or []:
            if not LANGUAGE_PATTERN.match(str(language)):
                errors.append(RecordError(where, "languages", f"'{language}' is not a language code like 'pl'"))
        for language, text in (record.get("translations") or {}).items():
            if not LANGUAGE_PATTERN.match(str(language)) or not str(text or "").strip():
                errors.append(
                    RecordError(where, "translations", f"'{language}' needs a language code and a description")
                )
        _check_age(record, "minimum_age", where, errors)
        _check_age(record, "maximum_age", where, errors)
        for schedule in record.get("schedules") or []:
            for field in ("opens", "closes"):
                if not TIME_PATTERN.match(str(schedule.get(field, ""))):
                    errors.append(
                        RecordError(where, "opening hours", f"'{schedule.get(field)}' is not a time like 09:00")
                    )
            for day in schedule.get("days") or []:
                if day not in DAYS:
                    errors.append(RecordError(where, "opening hours", f"'{day}' is not a day"))
        for number, phone in enumerate(record.get("phones") or [], 1):
            field = f"phone {number}"
            if not is_uk_phone_number(phone.get("number", "")):
                errors.append(RecordError(where, field, f"'{phone.get('number')}' is not a valid UK phone number"))
            if phone.get("type", "voice") not in PHONE_TYPES:
                errors.append(
                    RecordError(
                        where, f"{field} type", f"'{phone.get('type')}' must be one of {', '.join(PHONE_TYPES)}"
                    )
                )
            _check_verification(phone, field, where, errors)
        website = record.get("website")
        if website:
            if not is_web_address(website.get("url", "")):
                errors.append(
                    RecordError(where, "website", f"'{website.get('url')}' is not a web address starting https://")
                )
            _check_verification(website, "website", where, errors)
        if status == "published" and not (record.get("phones") or website):
            errors.append(
                RecordError(where, "status", "a published service needs at least one phone number or website")
            )
    return errors
