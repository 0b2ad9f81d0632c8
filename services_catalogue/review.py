"""What staff should look at: stale details, drafts waiting, and needs or towns with no local service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Area, TaxonomyTerm
from .store import all_services

STALE_AFTER_DAYS = 180
NOT_LOCAL_NEEDS = {"immediate_danger"}  # 999 is national by nature


@dataclass(frozen=True)
class Review:
    stale: list[tuple[str, str, dt.date | None]]  # (service key, detail, verified_on)
    drafts: list[tuple[str, str]]  # (service key, staff note)
    needs_without_local_service: list[str]
    towns_without_local_service: list[str]


def review(session: Session, today: dt.date | None = None) -> Review:
    today = today or dt.date.today()
    cutoff = today - dt.timedelta(days=STALE_AFTER_DAYS)
    services = all_services(session)
    stale = []
    for service in services:
        if service.status != "published":
            continue
        details = [(f"phone {p.number}", p.verified_on) for p in service.phones]
        if service.url:
            details.append((f"website {service.url}", service.url_verified_on))
        stale += [(service.key, label, when) for label, when in details if when is None or when < cutoff]
    drafts = [(s.key, s.staff_note or "") for s in services if s.status == "draft"]
    published = [s for s in services if s.status == "published"]
    local_needs = {code for s in published for a in s.areas if a.area_code != "national" for code in s.need_codes}
    all_needs = list(session.scalars(select(TaxonomyTerm.code).order_by(TaxonomyTerm.code)))
    served_towns = {a.area_code for s in published for a in s.areas}
    towns = list(session.scalars(select(Area.code).where(Area.kind == "town").order_by(Area.code)))
    return Review(
        stale=stale,
        drafts=drafts,
        needs_without_local_service=[n for n in all_needs if n not in local_needs and n not in NOT_LOCAL_NEEDS],
        towns_without_local_service=[t for t in towns if t not in served_towns],
    )
