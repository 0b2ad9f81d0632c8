"""The assistant's only way into the catalogue: find services for a person's needs and place.

Queries run against an in-memory snapshot of the published catalogue. Each call first reads the catalogue's
revision (one indexed row) and reloads the snapshot when staff have changed anything, so a change is seen on
the very next query without a restart. Results are frozen dataclasses, only ever published services.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload

from common.postcodes import FULL_POSTCODE, OUTWARD_CODE
from common.text import normalise

from .db import connection_scope, get_engine, session_scope
from .models import DAYS, Area, Service
from .revision import current_revision

LONDON = ZoneInfo("Europe/London")
GENERAL = "general"
NATIONAL = "national"
COUNTY = "buckinghamshire"
DEFAULT_LIMIT = 5
LOCALITY_NAMES = {0: "local", 1: "county", 2: "national"}
DAY_NAMES = dict(zip(DAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")))


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


@dataclass(frozen=True)
class Hours:
    days: frozenset[str]
    opens: str
    closes: str

    def open_at(self, day: str, time: str) -> bool:
        overnight = self.closes < self.opens
        if day in self.days and self.opens <= time and (time < self.closes or overnight):
            return True
        return overnight and DAYS[DAYS.index(day) - 1] in self.days and time < self.closes


@dataclass(frozen=True)
class _Entry:
    """One published service as the ranking needs it."""

    id: str
    key: str
    name: str
    description: str
    translations: dict
    phones: tuple[PhoneView, ...]
    phone_languages: frozenset[str]
    url: str | None
    hours: tuple[Hours, ...]
    hours_text: str | None
    always_open: bool
    needs: frozenset[str]
    areas: frozenset[str]


@dataclass
class _Snapshot:
    revision: tuple[str, int] | None
    entries: dict[str, _Entry]
    by_need_and_area: dict[tuple[str, str], list[str]]
    areas: list[tuple[str, str, list[str], str]]  # code, name, spellings, kind
    postcodes: dict[str, list[tuple[str, str]]]  # outward code -> [(area code, name)]
    towns: frozenset[str]
    open_ranks: dict = field(default_factory=dict)  # (day, time) -> {service id: rank}


_snapshots: dict[str, _Snapshot] = {}
_lock = threading.Lock()


def _load(engine: Engine, revision: tuple[str, int] | None) -> _Snapshot:
    with session_scope(engine) as session:
        services = session.scalars(
            select(Service)
            .where(Service.status == "published")
            .options(
                selectinload(Service.needs),
                selectinload(Service.phones),
                selectinload(Service.schedules),
                selectinload(Service.areas),
                selectinload(Service.translations),
            )
        )
        entries = {s.id: _entry(s) for s in services}
        areas = session.scalars(select(Area).options(selectinload(Area.postcodes)).order_by(Area.code)).all()
        spellings = [
            (a.code, a.name, [a.name] + [x.strip() for x in (a.aliases or "").split(",") if x.strip()], a.kind)
            for a in areas
        ]
        postcodes: dict[str, list[tuple[str, str]]] = {}
        for area in sorted(areas, key=lambda a: a.name):
            for postcode in area.postcodes:
                postcodes.setdefault(postcode.outward_code, []).append((area.code, area.name))
    by_need_and_area: dict[tuple[str, str], list[str]] = {}
    for entry in entries.values():
        for need in entry.needs:
            for area in entry.areas:
                by_need_and_area.setdefault((need, area), []).append(entry.id)
    return _Snapshot(
        revision, entries, by_need_and_area, spellings, postcodes, frozenset(a[0] for a in spellings if a[3] == "town")
    )


def _entry(service: Service) -> _Entry:
    hours = tuple(Hours(frozenset(s.days), s.opens_at, s.closes_at) for s in service.schedules)
    always = any(h.opens == "00:00" and h.closes == "24:00" and h.days == frozenset(DAYS) for h in hours)
    return _Entry(
        id=service.id,
        key=service.key,
        name=service.name,
        description=service.description,
        translations={t.language: t.description for t in service.translations},
        phones=tuple(PhoneView(p.number, p.type, p.description) for p in service.phones),
        phone_languages=frozenset(code for p in service.phones for code in (p.languages or "").split(",") if code),
        url=service.url,
        hours=hours,
        hours_text=service.hours_note or describe_hours(service.schedules),
        always_open=always,
        needs=frozenset(service.need_codes),
        areas=frozenset(a.area_code for a in service.areas),
    )


def _snapshot(engine: Engine) -> _Snapshot:
    with connection_scope(engine) as connection:
        revision = current_revision(connection)
    key = str(engine.url)
    snapshot = _snapshots.get(key)
    if snapshot is None or snapshot.revision != revision:
        with _lock:
            snapshot = _snapshots.get(key)
            if snapshot is None or snapshot.revision != revision:
                snapshot = _snapshots[key] = _load(engine, revision)
    return snapshot


def _day_and_time(at: dt.datetime | None) -> tuple[str, str]:
    moment = at or dt.datetime.now(LONDON)
    if moment.tzinfo is not None:
        moment = moment.astimezone(LONDON)
    return DAYS[moment.weekday()], moment.strftime("%H:%M")


def _allowed_areas(snapshot: _Snapshot, area: str | Sequence[str] | None) -> dict[str, int]:
    """Area code -> locality rank. Unknown or no place: county and national; outside: national only."""
    codes = [area] if isinstance(area, str) else list(area or [])
    if codes == [NATIONAL]:
        return {NATIONAL: 2}
    allowed = {code: 0 for code in codes if code in snapshot.towns}
    allowed.update({COUNTY: 1, NATIONAL: 2})
    return allowed


def _open_rank(snapshot: _Snapshot, entry: _Entry, day: str, time: str) -> int:
    """0 open at that moment, 1 hours unknown, 2 closed; remembered per minute, since the hours rarely change."""
    ranks = snapshot.open_ranks.get((day, time))
    if ranks is None:
        snapshot.open_ranks = {(day, time): {}}  # keep only the current minute
        ranks = snapshot.open_ranks[(day, time)]
    rank = ranks.get(entry.id)
    if rank is None:
        rank = ranks[entry.id] = 1 if not entry.hours else 0 if any(h.open_at(day, time) for h in entry.hours) else 2
    return rank


def _rank(
    snapshot: _Snapshot, needs: set[str], allowed: dict[str, int], day: str, time: str, language: str | None, limit: int
) -> list[tuple[_Entry, int]]:
    candidates = {
        service_id
        for need in needs
        for area in allowed
        for service_id in snapshot.by_need_and_area.get((need, area), ())
    }
    scored = []
    for service_id in candidates:
        entry = snapshot.entries[service_id]
        locality = min(allowed[code] for code in entry.areas if code in allowed)
        speaks = 0 if language and language != "en" and language in entry.phone_languages else 1
        key = (
            -len(needs & entry.needs),
            locality,
            _open_rank(snapshot, entry, day, time),
            speaks,
            entry.name,
            entry.id,
        )
        scored.append((key, locality, entry))
    return [(entry, locality) for _, locality, entry in heapq.nsmallest(limit, scored, key=lambda item: item[0])]


def find_services(
    needs: Iterable[str],
    area: str | Sequence[str] | None = None,
    language: str | None = None,
    at: dt.datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    engine: Engine | None = None,
) -> list[ServiceView]:
    """Published services for these needs: specialists for the most needs first, then local to the area, then
    county-wide, then national; open ones before closed; the general helpline when nothing specific matches."""
    snapshot = _snapshot(engine or get_engine())
    specific = {need for need in needs if need and need != GENERAL}
    day, time = _day_and_time(at)
    allowed = _allowed_areas(snapshot, area)
    ranked = _rank(snapshot, specific, allowed, day, time, language, limit) if specific else []
    if not ranked:
        ranked = _rank(snapshot, {GENERAL}, allowed, day, time, language, limit)
    return [_view(snapshot, entry, locality, day, time, language) for entry, locality in ranked]


def _view(snapshot: _Snapshot, entry: _Entry, locality: int, day: str, time: str, language: str | None) -> ServiceView:
    translated = language if language and language != "en" and language in entry.translations else None
    open_rank = _open_rank(snapshot, entry, day, time)
    return ServiceView(
        key=entry.key,
        name=entry.name,
        description=entry.translations[language] if translated else entry.description,
        description_language=translated or "en",
        phones=entry.phones,
        url=entry.url,
        always_open=entry.always_open,
        hours=entry.hours_text,
        open_now=None if open_rank == 1 else open_rank == 0,
        needs=tuple(sorted(entry.needs)),
        locality=LOCALITY_NAMES[locality],
    )


def describe_hours(schedules) -> str | None:
    """'Open 24 hours, every day' or 'Mon-Fri 09:00-17:00; Sat 10:00-14:00', in the catalogue's own words."""
    if not schedules:
        return None
    if any(s.opens_at == "00:00" and s.closes_at == "24:00" and set(s.days) == set(DAYS) for s in schedules):
        return "Open 24 hours, every day"
    parts = []
    for s in schedules:
        indexes = [DAYS.index(d) for d in s.days]
        if len(indexes) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
            label = f"{DAY_NAMES[s.days[0]]}-{DAY_NAMES[s.days[-1]]}"
        else:
            label = ", ".join(DAY_NAMES[d] for d in s.days)
        parts.append(f"{label} {s.opens_at}-{s.closes_at}")
    return "; ".join(parts)


def _words(text: str) -> str:
    # The assistant's own normalisation: town names in Urdu, Arabic, Gurmukhi or Bengali script compare too.
    return f" {normalise(text)} "


def resolve_place(text: str, engine: Engine | None = None) -> Place | None:
    """A town, alias or postcode in free text. A full postcode we do not know is outside the county."""
    if not text:
        return None
    snapshot = _snapshot(engine or get_engine())
    words = _words(text)
    for code, name, spellings, kind in sorted(snapshot.areas, key=lambda a: -len(a[1])):
        if kind != NATIONAL and any(_words(spelling) in words for spelling in spellings):
            return Place((code,) if kind == "town" else (), True, name)
    outward = _outward_code(text)
    if outward:
        towns = snapshot.postcodes.get(outward)
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
    snapshot = _snapshot(engine or get_engine())
    spellings = {code: list(names) for code, _, names, kind in snapshot.areas if kind != NATIONAL}
    for outward, towns in snapshot.postcodes.items():
        for code, _ in towns:
            spellings.setdefault(code, []).append(outward)
    return spellings
