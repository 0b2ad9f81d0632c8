"""The assistant's only way into the catalogue: find services for a person's needs and place.

Results are plain frozen dataclasses, detached from any database session, and only ever published services.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.engine import Engine

from .db import get_engine, session_scope
from .models import (
    DAYS,
    Area,
    Phone,
    PostcodeDistrict,
    Schedule,
    Service,
    ServiceArea,
    ServiceTranslation,
    TaxonomyTerm,
    service_taxonomy,
)

LONDON = ZoneInfo("Europe/London")
GENERAL = "general"
NATIONAL = "national"
COUNTY = "buckinghamshire"
DEFAULT_LIMIT = 5

FULL_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*\d[A-Z]{2}\b", re.IGNORECASE)
OUTWARD_CODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PhoneView:
    number: str
    type: str
    description: str | None


@dataclass(frozen=True)
class ServiceView:
    key: str
    name: str
    description: str
    description_language: str
    phones: tuple[PhoneView, ...]
    url: str | None
    always_open: bool
    hours: str | None
    open_now: bool | None
    needs: tuple[str, ...]
    locality: str


@dataclass(frozen=True)
class Place:
    """Where a person said they are: town area codes inside the county, or outside it."""

    area_codes: tuple[str, ...]
    inside_county: bool
    name: str


def _day_and_time(at: dt.datetime | None) -> tuple[str, str]:
    moment = (at or dt.datetime.now(LONDON))
    if moment.tzinfo is not None:
        moment = moment.astimezone(LONDON)
    return DAYS[moment.weekday()], moment.strftime("%H:%M")


def _allowed_areas(session, area: str | Sequence[str] | None) -> tuple[list[str], list[str]]:
    """(towns, allowed area codes). Unknown or no place: county and national; outside: national only."""
    codes = [area] if isinstance(area, str) else list(area or [])
    if codes == [NATIONAL]:
        return [], [NATIONAL]
    towns = list(session.scalars(select(Area.code).where(Area.code.in_(codes), Area.kind == "town"))) if codes else []
    return towns, towns + [COUNTY, NATIONAL]


def _open_rank(day: str, time: str):
    """0 open at that moment, 1 hours unknown, 2 closed."""
    opens_today = and_(Schedule.byday.contains(day), Schedule.opens_at <= time, or_(
        Schedule.closes_at > time, Schedule.closes_at < Schedule.opens_at))
    previous_day = DAYS[DAYS.index(day) - 1]
    overnight_from_yesterday = and_(Schedule.byday.contains(previous_day), Schedule.closes_at < Schedule.opens_at,
                                    Schedule.closes_at > time)
    is_open = exists().where(Schedule.service_id == Service.id, or_(opens_today, overnight_from_yesterday))
    has_hours = exists().where(Schedule.service_id == Service.id)
    return case((is_open, 0), (has_hours, 2), else_=1)


def _ranked_ids(session, needs: list[str], towns: list[str], allowed: list[str], day: str, time: str,
                language: str | None, limit: int) -> list[tuple[str, int]]:
    matched = (
        select(service_taxonomy.c.service_id, func.count().label("matched"))
        .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy.c.taxonomy_term_id)
        .where(TaxonomyTerm.code.in_(needs))
        .group_by(service_taxonomy.c.service_id)
        .subquery()
    )
    locality = (
        select(func.min(case(
            (ServiceArea.area_code.in_(towns or [""]), 0), (ServiceArea.area_code == COUNTY, 1), else_=2)))
        .where(ServiceArea.service_id == Service.id, ServiceArea.area_code.in_(allowed))
        .scalar_subquery()
    )
    order = [matched.c.matched.desc(), locality, _open_rank(day, time)]
    if language and language != "en":
        order.append(exists().where(Phone.service_id == Service.id, Phone.languages.contains(language)).desc())
    rows = session.execute(
        select(Service.id, locality.label("locality"))
        .join(matched, matched.c.service_id == Service.id)
        .where(Service.status == "published", locality.is_not(None))
        .order_by(*order, Service.name, Service.id)
        .limit(limit)
    ).all()
    return [(row.id, row.locality) for row in rows]


LOCALITY_NAMES = {0: "local", 1: "county", 2: "national"}


def find_services(needs: Iterable[str], area: str | Sequence[str] | None = None, language: str | None = None,
                  at: dt.datetime | None = None, limit: int = DEFAULT_LIMIT,
                  engine: Engine | None = None) -> list[ServiceView]:
    """Published services for these needs: specialists for the most needs first, then local to the area, then
    county-wide, then national; open ones before closed; the general helpline when nothing specific matches."""
    specific = sorted({need for need in needs if need and need != GENERAL})
    day, time = _day_and_time(at)
    with session_scope(engine or get_engine()) as session:
        towns, allowed = _allowed_areas(session, area)
        ranked = _ranked_ids(session, specific, towns, allowed, day, time, language, limit) if specific else []
        if not ranked:
            ranked = _ranked_ids(session, [GENERAL], towns, allowed, day, time, language, limit)
        return _views(session, ranked, day, time, language)


def _views(session, ranked: list[tuple[str, int]], day: str, time: str, language: str | None) -> list[ServiceView]:
    if not ranked:
        return []
    ids = [service_id for service_id, _ in ranked]
    services = {s.id: s for s in session.scalars(select(Service).where(Service.id.in_(ids)))}
    phones = _grouped(session.scalars(select(Phone).where(Phone.service_id.in_(ids)).order_by(Phone.position)))
    schedules = _grouped(session.scalars(
        select(Schedule).where(Schedule.service_id.in_(ids)).order_by(Schedule.position)))
    needs = _grouped_pairs(session.execute(
        select(service_taxonomy.c.service_id, TaxonomyTerm.code)
        .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy.c.taxonomy_term_id)
        .where(service_taxonomy.c.service_id.in_(ids))
        .order_by(TaxonomyTerm.code)))
    translations = {}
    if language and language != "en":
        translations = dict(session.execute(
            select(ServiceTranslation.service_id, ServiceTranslation.description)
            .where(ServiceTranslation.service_id.in_(ids), ServiceTranslation.language == language)).all())
    views = []
    for service_id, locality in ranked:
        service = services[service_id]
        service_schedules = schedules.get(service_id, [])
        always = _always_open(service_schedules)
        views.append(ServiceView(
            key=service.key,
            name=service.name,
            description=translations.get(service_id, service.description),
            description_language=language if service_id in translations else "en",
            phones=tuple(PhoneView(p.number, p.type, p.description) for p in phones.get(service_id, [])),
            url=service.url,
            always_open=always,
            hours=service.hours_note or describe_hours(service_schedules),
            open_now=_is_open(service_schedules, day, time) if service_schedules else None,
            needs=tuple(needs.get(service_id, [])),
            locality=LOCALITY_NAMES[locality],
        ))
    return views


def _grouped(items) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for item in items:
        grouped.setdefault(item.service_id, []).append(item)
    return grouped


def _grouped_pairs(rows) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for key, value in rows:
        grouped.setdefault(key, []).append(value)
    return grouped


def _always_open(schedules: list[Schedule]) -> bool:
    return any(s.opens_at == "00:00" and s.closes_at == "24:00" and set(s.days) == set(DAYS) for s in schedules)


def _is_open(schedules: list[Schedule], day: str, time: str) -> bool:
    previous_day = DAYS[DAYS.index(day) - 1]
    for s in schedules:
        overnight = s.closes_at < s.opens_at
        if day in s.days and s.opens_at <= time and (time < s.closes_at or overnight):
            return True
        if overnight and previous_day in s.days and time < s.closes_at:
            return True
    return False


DAY_NAMES = dict(zip(DAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")))


def describe_hours(schedules: list[Schedule]) -> str | None:
    """'Open 24 hours' or 'Mon-Fri 09:00-17:00; Sat 10:00-14:00', in the catalogue's own words."""
    if not schedules:
        return None
    if _always_open(schedules):
        return "Open 24 hours, every day"
    parts = []
    for s in schedules:
        days = s.days
        indexes = [DAYS.index(d) for d in days]
        if len(days) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
            label = f"{DAY_NAMES[days[0]]}-{DAY_NAMES[days[-1]]}"
        else:
            label = ", ".join(DAY_NAMES[d] for d in days)
        parts.append(f"{label} {s.opens_at}-{s.closes_at}")
    return "; ".join(parts)


def resolve_place(text: str, engine: Engine | None = None) -> Place | None:
    """A town, alias or postcode in free text. A full postcode we do not know is outside the county."""
    if not text:
        return None
    with session_scope(engine or get_engine()) as session:
        areas = list(session.execute(select(Area.code, Area.name, Area.aliases, Area.kind)))
        lowered = f" {re.sub(r'[^a-z0-9 ]+', ' ', text.lower())} "
        for code, name, aliases, kind in sorted(areas, key=lambda a: -len(a.name)):
            if kind == NATIONAL:
                continue
            for spelling in [name] + [a.strip() for a in (aliases or "").split(",") if a.strip()]:
                if f" {re.sub(r'[^a-z0-9 ]+', ' ', spelling.lower()).strip()} " in lowered:
                    return Place((code,) if kind == "town" else (), True, name)
        outward = _outward_code(text)
        if outward:
            towns = list(session.execute(
                select(Area.code, Area.name).join(PostcodeDistrict).where(PostcodeDistrict.outward_code == outward)
                .order_by(Area.name)))
            if towns:
                return Place(tuple(code for code, _ in towns), True, " / ".join(name for _, name in towns))
            if FULL_POSTCODE.search(text):
                return Place((), False, outward)
    return None


def _outward_code(text: str) -> str | None:
    full = FULL_POSTCODE.search(text)
    if full:
        return full.group(1).upper()
    for match in OUTWARD_CODE.finditer(text):
        candidate = match.group(1).upper()
        if re.match(r"^[A-Z]{1,2}\d", candidate):
            return candidate
    return None


def area_for_place(place: Place | None) -> str | Sequence[str] | None:
    """The `area` argument find_services wants for a resolved place."""
    if place is None:
        return None
    return place.area_codes if place.inside_county else NATIONAL


def place_spellings(engine: Engine | None = None) -> dict[str, list[str]]:
    """Every town and county spelling people may write, and every known outward code, by area code."""
    with session_scope(engine or get_engine()) as session:
        spellings: dict[str, list[str]] = {}
        for code, name, aliases, kind in session.execute(select(Area.code, Area.name, Area.aliases, Area.kind)):
            if kind != NATIONAL:
                spellings[code] = [name] + [a.strip() for a in (aliases or "").split(",") if a.strip()]
        for outward, code in session.execute(select(PostcodeDistrict.outward_code, PostcodeDistrict.area_code)):
            spellings.setdefault(code, []).append(outward)
        return spellings
