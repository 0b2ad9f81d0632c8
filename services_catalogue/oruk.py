"""Open Referral UK (HSDS 3.0 UK profile) records, as GET /services/{id} returns them."""

from __future__ import annotations

from .models import Service, TaxonomyTerm, id_for

ORUK_STATUS = {"published": "active", "draft": "inactive", "archived": "defunct"}


def taxonomy_term_record(term: TaxonomyTerm) -> dict:
    return {
        "id": term.id,
        "name": term.name,
        "description": term.description or term.name,
        "taxonomy": term.taxonomy,
        "term": term.code,
    }


def _time(value: str) -> str:
    return "23:59:59" if value == "24:00" else f"{value}:00"


def service_record(service: Service) -> dict:
    record = {
        "id": service.id,
        "name": service.name,
        "description": service.description,
        "status": ORUK_STATUS[service.status],
        "last_modified": service.last_modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "schedules": [
            {
                "id": schedule.id,
                "service_id": service.id,
                "freq": "WEEKLY",
                "byday": schedule.byday,
                "opens_at": _time(schedule.opens_at),
                "closes_at": _time(schedule.closes_at),
                "description": schedule.description or "",
            }
            for schedule in service.schedules
        ],
        "service_areas": [
            {
                "id": id_for("service_area", f"{service.key}:{area.area_code}"),
                "service_id": service.id,
                "name": area.area.name if area.area else area.area_code,
                "service_area": area.area_code,
            }
            for area in service.areas
        ],
        "service_at_locations": [],
        "languages": [{"id": language.id, "service_id": service.id} for language in service.languages],
        "phones": [
            {
                "id": phone.id,
                "service_id": service.id,
                "number": phone.number,
                "type": phone.type,
                "description": phone.description or "",
            }
            for phone in service.phones
        ],
        "attributes": [
            {
                "id": id_for("attribute", f"{service.key}:{term.code}"),
                "link_id": service.id,
                "taxonomy_term_id": term.id,
                "link_type": "need",
                "taxonomy_term": taxonomy_term_record(term),
            }
            for term in service.needs
        ],
    }
    if service.url:
        record["url"] = service.url
    if service.minimum_age is not None:
        record["minimum_age"] = service.minimum_age
    if service.maximum_age is not None:
        record["maximum_age"] = service.maximum_age
    if service.organization is not None:
        org = service.organization
        record["organization_id"] = org.id
        record["organization"] = {"id": org.id, "name": org.name, "description": org.description or org.name}
        if org.website:
            record["organization"]["website"] = org.website
    return record
