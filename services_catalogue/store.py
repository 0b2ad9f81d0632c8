"""Writing records into the catalogue and reading them back out, in the one record shape."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import (
    DAYS,
    Area,
    Language,
    Organization,
    Phone,
    PostcodeDistrict,
    Schedule,
    Service,
    ServiceArea,
    ServiceTranslation,
    TaxonomyTerm,
    id_for,
)
from .records import ImportRejected, parse_date, validate_records

LANGUAGE_NAMES = {
    "en": "English",
    "pl": "Polish",
    "ur": "Urdu",
    "pa": "Punjabi",
    "ro": "Romanian",
    "pt": "Portuguese",
    "ar": "Arabic",
    "bn": "Bengali",
    "bsl": "British Sign Language",
}

Progress = Callable[[int, int], None]


def stderr_progress(label: str) -> Progress:
    """Prints 'label: done/total' about twenty times over a long run, and nothing for short ones."""

    def report(done: int, total: int) -> None:
        if total >= 500 and (done == total or done % max(1, total // 20) == 0):
            print(f"{label}: {done}/{total}", file=sys.stderr, flush=True)

    return report


def known_codes(session: Session) -> tuple[set[str], set[str], set[str]]:
    needs = set(session.scalars(select(TaxonomyTerm.code)))
    areas = set(session.scalars(select(Area.code)))
    organizations = set(session.scalars(select(Organization.key)))
    return needs, areas, organizations


def write_needs(session: Session, needs: Iterable[dict]) -> None:
    existing = {term.code: term for term in session.scalars(select(TaxonomyTerm))}
    for need in needs:
        term = existing.get(need["code"]) or TaxonomyTerm(id=id_for("need", need["code"]), code=need["code"])
        term.name, term.description = need["name"], need.get("description", "")
        session.add(term)


def write_areas(session: Session, areas: Iterable[dict]) -> None:
    existing = {area.code: area for area in session.scalars(select(Area).options(selectinload(Area.postcodes)))}
    for item in areas:
        area = existing.get(item["code"]) or Area(code=item["code"])
        area.name, area.kind, area.parent_code = item["name"], item["kind"], item.get("parent")
        area.aliases = ", ".join(item.get("aliases") or []) or None
        wanted = {code.upper() for code in item.get("postcodes") or []}
        area.postcodes = [p for p in area.postcodes if p.outward_code in wanted] + [
            PostcodeDistrict(outward_code=code) for code in sorted(wanted - {p.outward_code for p in area.postcodes})
        ]
        session.add(area)
        session.flush()


def write_organizations(session: Session, organizations: Iterable[dict]) -> None:
    existing = {org.key: org for org in session.scalars(select(Organization))}
    for item in organizations:
        org = existing.get(item["key"]) or Organization(id=id_for("organization", item["key"]), key=item["key"])
        org.name, org.description = item["name"], item.get("description") or ""
        website = item.get("website") or {}
        org.website = website.get("url")
        org.website_source = website.get("source")
        org.website_verified_on = parse_date(website["verified_on"]) if website.get("verified_on") else None
        org.website_verified_by = website.get("verified_by")
        session.add(org)
    session.flush()


def import_records(
    session: Session, records: list[dict], organizations: list[dict] | None = None, progress: Progress | None = None
) -> int:
    """Validate every record first, then write them all, or raise ImportRejected and write nothing."""
    needs, areas, orgs = known_codes(session)
    orgs |= {key for org in organizations or [] if (key := org.get("key"))}
    errors = validate_records(records, needs, areas, orgs)
    if errors:
        raise ImportRejected(errors)
    write_organizations(session, organizations or [])
    write_records(session, records, progress)
    return len(records)


def write_records(session: Session, records: list[dict], progress: Progress | None = None) -> None:
    terms = {term.code: term for term in session.scalars(select(TaxonomyTerm))}
    org_ids = dict(session.execute(select(Organization.key, Organization.id)).all())
    existing = {
        service.key: service
        for service in session.scalars(
            select(Service).where(Service.key.in_([r["key"] for r in records])).options(*full_load())
        )
    }
    for done, record in enumerate(records, 1):
        service = existing.get(record["key"]) or Service(id=id_for("service", record["key"]), key=record["key"])
        _apply(service, record, terms, org_ids)
        session.add(service)
        if progress:
            progress(done, len(records))
    session.flush()


def _apply(service: Service, record: dict, terms: dict, org_ids: dict) -> None:
    website = record.get("website") or {}
    service.organization_id = org_ids.get(record.get("organization"))
    service.name = record["name"].strip()
    service.description = (record.get("description") or "").strip()
    service.status = record["status"]
    service.url = website.get("url")
    service.url_source = website.get("source")
    service.url_verified_on = parse_date(website["verified_on"]) if website.get("verified_on") else None
    service.url_verified_by = website.get("verified_by")
    service.minimum_age = int(record["minimum_age"]) if record.get("minimum_age") not in (None, "") else None
    service.maximum_age = int(record["maximum_age"]) if record.get("maximum_age") not in (None, "") else None
    service.eligibility_note = record.get("eligibility_note")
    service.hours_note = record.get("hours_note")
    service.staff_note = record.get("staff_note")
    service.needs = [terms[code] for code in sorted(set(record.get("needs") or []))]
    service.areas = [ServiceArea(area_code=code) for code in sorted(set(record.get("areas") or []))]
    service.phones = [
        Phone(
            position=position,
            number=str(phone["number"]),
            type=phone.get("type", "voice"),
            description=phone.get("description"),
            languages=",".join(phone.get("languages") or []) or None,
            source=phone.get("source"),
            verified_on=parse_date(phone.get("verified_on")),
            verified_by=phone.get("verified_by"),
        )
        for position, phone in enumerate(record.get("phones") or [])
    ]
    schedules = (
        [{"days": list(DAYS), "opens": "00:00", "closes": "24:00"}]
        if record.get("always_open")
        else record.get("schedules") or []
    )
    service.schedules = [
        Schedule(
            position=position,
            byday=",".join(item["days"]),
            opens_at=item["opens"],
            closes_at=item["closes"],
            description=item.get("description"),
        )
        for position, item in enumerate(schedules)
    ]
    # Rows unique per service are kept and updated, not replaced: the unit of work would insert the new row
    # before deleting the old one and break the unique constraint.
    languages = {language.code: language for language in service.languages}
    service.languages = [
        languages.get(code) or Language(code=code, name=LANGUAGE_NAMES.get(code, code))
        for code in sorted(set(record.get("languages") or []))
    ]
    translations = {translation.language: translation for translation in service.translations}
    service.translations = [
        _translation(translations.get(language), language, text)
        for language, text in sorted((record.get("translations") or {}).items())
    ]


def _translation(existing: ServiceTranslation | None, language: str, text: str) -> ServiceTranslation:
    translation = existing or ServiceTranslation(language=language)
    translation.description = text
    return translation


def full_load():
    return (
        selectinload(Service.needs),
        selectinload(Service.phones),
        selectinload(Service.schedules),
        selectinload(Service.areas),
        selectinload(Service.languages),
        selectinload(Service.translations),
        selectinload(Service.organization),
    )


def is_always_open(schedules: list[Schedule]) -> bool:
    return any(s.opens_at == "00:00" and s.closes_at == "24:00" and set(s.days) == set(DAYS) for s in schedules)


def record_from_service(service: Service) -> dict:
    always_open = is_always_open(service.schedules)
    return {
        "key": service.key,
        "organization": service.organization.key if service.organization else None,
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "needs": service.need_codes,
        "areas": [area.area_code for area in service.areas],
        "languages": [language.code for language in service.languages],
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "eligibility_note": service.eligibility_note,
        "hours_note": service.hours_note,
        "staff_note": service.staff_note,
        "always_open": always_open,
        "schedules": []
        if always_open
        else [{"days": s.days, "opens": s.opens_at, "closes": s.closes_at} for s in service.schedules],
        "website": {
            "url": service.url,
            "source": service.url_source,
            "verified_on": service.url_verified_on,
            "verified_by": service.url_verified_by,
        }
        if service.url
        else None,
        "phones": [
            {
                "number": p.number,
                "type": p.type,
                "description": p.description,
                "languages": [code for code in (p.languages or "").split(",") if code],
                "source": p.source,
                "verified_on": p.verified_on,
                "verified_by": p.verified_by,
            }
            for p in service.phones
        ],
        "translations": {t.language: t.description for t in service.translations},
    }


def all_services(session: Session, statuses: Iterable[str] | None = None) -> list[Service]:
    query = select(Service).options(*full_load()).order_by(Service.key)
    if statuses:
        query = query.where(Service.status.in_(list(statuses)))
    return list(session.scalars(query))
