"""Between the service form and a service record (the records.py shape that drafts, CSV and seeds share)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Area, Organization, TaxonomyTerm
from ..records import KEY_PATTERN, LANGUAGE_PATTERN, RecordError, format_opening_hours, parse_opening_hours
from .forms import ServiceForm

BLANK_PHONES = 2
BLANK_TRANSLATIONS = 1


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", text or "") if part.strip()]


def set_choices(form: ServiceForm, session: Session) -> None:
    form.organization.choices = [("", "(none)")] + [
        (key, name)
        for key, name in session.execute(select(Organization.key, Organization.name).order_by(Organization.name))
    ]
    form.needs.choices = [
        (code, f"{name} ({code})")
        for code, name in session.execute(
            select(TaxonomyTerm.code, TaxonomyTerm.name).where(TaxonomyTerm.active).order_by(TaxonomyTerm.name)
        )
    ]
    form.areas.choices = [
        (code, name)
        for code, name in session.execute(select(Area.code, Area.name).order_by(Area.kind.desc(), Area.name))
    ]


def form_data(record: dict) -> dict:
    website = record.get("website") or {}
    return {
        "key": record["key"],
        "name": record["name"],
        "organization": record.get("organization") or "",
        "description": record.get("description") or "",
        "needs": record.get("needs") or [],
        "areas": record.get("areas") or [],
        "languages": ", ".join(record.get("languages") or []),
        "minimum_age": "" if record.get("minimum_age") is None else str(record["minimum_age"]),
        "maximum_age": "" if record.get("maximum_age") is None else str(record["maximum_age"]),
        "eligibility_note": record.get("eligibility_note") or "",
        "opening_hours": format_opening_hours(record.get("always_open", False), record.get("schedules") or []),
        "hours_note": record.get("hours_note") or "",
        "staff_note": record.get("staff_note") or "",
        "website": website.get("url") or "",
        "website_source": website.get("source") or "",
        "website_verified_on": website.get("verified_on") or "",
        "website_verified_by": website.get("verified_by") or "",
        "phones": [
            {
                **{field: phone.get(field) or "" for field in ("number", "description", "source", "verified_by")},
                "line_type": phone.get("type") or "voice",
                "languages": ", ".join(phone.get("languages") or []),
                "verified_on": str(phone.get("verified_on") or ""),
            }
            for phone in record.get("phones") or []
        ],
        "translations": [
            {"language": language, "description": text}
            for language, text in sorted((record.get("translations") or {}).items())
        ],
    }


def add_blank_rows(form: ServiceForm) -> None:
    """Room for new phone numbers and translations without any script on the page."""
    for rows, blanks in ((form.phones, BLANK_PHONES), (form.translations, BLANK_TRANSLATIONS)):
        for _ in range(min(blanks, rows.max_entries - len(rows))):
            rows.append_entry()


def _phone_is_blank(phone: dict) -> bool:
    return not any(
        (phone[field] or "").strip()
        for field in ("number", "description", "languages", "source", "verified_on", "verified_by")
    )


def record_from_form(form: ServiceForm, key: str) -> tuple[dict, list[RecordError]]:
    """The record the form describes, and the problems records.validate_records does not look for."""
    where = "This service"
    errors: list[RecordError] = []
    if not KEY_PATTERN.match(key):
        errors.append(RecordError(where, "key", f"'{key}' must be lower-case letters, digits and hyphens"))
    try:
        always_open, schedules = parse_opening_hours(form.opening_hours.data)
    except ValueError as error:
        errors.append(RecordError(where, "opening hours", str(error)))
        always_open, schedules = False, []
    translations = {}
    for number, entry in enumerate(form.translations.data, 1):
        language, text = (entry["language"] or "").strip().lower(), (entry["description"] or "").strip()
        if not language and not text:
            continue
        if not LANGUAGE_PATTERN.match(language) or language == "en":
            errors.append(
                RecordError(
                    where,
                    f"translation {number}",
                    f"'{language}' is not a language code like 'pl' (English is the main description)",
                )
            )
        elif language in translations:
            errors.append(RecordError(where, f"translation {number}", f"'{language}' is given twice"))
        elif not text:
            errors.append(RecordError(where, f"translation {number}", "the description is missing"))
        translations[language] = text
    website = (form.website.data or "").strip()
    record = {
        "_row": where,
        "key": key,
        "organization": form.organization.data or None,
        "name": form.name.data.strip(),
        "description": (form.description.data or "").strip(),
        "status": "published",
        "needs": list(form.needs.data or []),
        "areas": list(form.areas.data or []),
        "languages": [code.lower() for code in _split(form.languages.data)],
        "minimum_age": (form.minimum_age.data or "").strip() or None,
        "maximum_age": (form.maximum_age.data or "").strip() or None,
        "eligibility_note": (form.eligibility_note.data or "").strip() or None,
        "hours_note": (form.hours_note.data or "").strip() or None,
        "staff_note": (form.staff_note.data or "").strip() or None,
        "always_open": always_open,
        "schedules": schedules,
        "website": {
            "url": website,
            "source": (form.website_source.data or "").strip(),
            "verified_on": (form.website_verified_on.data or "").strip(),
            "verified_by": (form.website_verified_by.data or "").strip(),
        }
        if website
        else None,
        "phones": [
            {
                "number": (phone["number"] or "").strip(),
                "type": phone["line_type"],
                "description": (phone["description"] or "").strip() or None,
                "languages": [code.lower() for code in _split(phone["languages"])],
                "source": (phone["source"] or "").strip(),
                "verified_on": (phone["verified_on"] or "").strip(),
                "verified_by": (phone["verified_by"] or "").strip(),
            }
            for phone in form.phones.data
            if not phone["remove"] and not _phone_is_blank(phone)
        ],
        "translations": translations,
    }
    return record, errors
