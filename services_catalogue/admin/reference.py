"""Organisations, needs and areas: edited directly by approvers (no draft step), every save audited.

Each kind turns its rows into the item dicts the seed files use, and writes them back with store.py's
writers, so the admin, the seed and imports share one way of saving. A hidden fingerprint of the item as the
form showed it refuses a save when someone else saved the same entry in the meantime.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AREA_KINDS, Area, Organization, TaxonomyTerm
from ..records import KEY_PATTERN, is_web_address, parse_date
from ..store import write_areas, write_needs, write_organizations
from . import audit
from .forms import AreaForm, NeedForm, OrganisationForm

NEED_CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$")
HYPHENS = "lower-case letters, digits and hyphens"


def fingerprint(item: dict | None) -> str:
    return hashlib.sha256((audit.to_json(item) or "").encode()).hexdigest()


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _contact_problems(label: str, url: str, source: str, verified_on: str) -> list[str]:
    if not url:
        return []
    problems = [] if is_web_address(url) else [f"{label}: '{url}' is not a web address starting https://"]
    if not source.strip():
        problems.append(f"{label} source is missing: say where this detail was read")
    date = parse_date(verified_on) if verified_on else None
    if date is None:
        problems.append(f"{label} verified date is missing or not a date like 2026-01-31")
    elif date > dt.date.today():
        problems.append(f"{label} verified date is in the future")
    return problems


class StaleEntry(Exception):
    """Someone else saved this entry after the form was opened."""


@dataclass(frozen=True)
class Kind:
    noun: str
    plural: str
    model: type
    key_field: str  # the model's column and the item's field that names an entry
    key_pattern: re.Pattern
    key_hint: str
    form: type[FlaskForm]
    columns: tuple[tuple[str, str], ...]  # (heading, item field) on the list page
    order_by: tuple
    to_item: Callable[[Any], dict]
    from_form: Callable[[FlaskForm, str], dict]
    problems: Callable[[Session, dict], list[str]]
    write: Callable[[Session, dict], None]
    set_choices: Callable[[FlaskForm, Session], None] = lambda form, session: None

    def load_all(self, session: Session) -> list:
        return list(session.scalars(select(self.model).order_by(*self.order_by)))

    def find(self, session: Session, key: str):
        return session.scalars(select(self.model).where(getattr(self.model, self.key_field) == key)).first()

    def form_data(self, item: dict) -> dict:
        return {field: ", ".join(value) if isinstance(value, list) else value for field, value in _flat(item).items()}

    def save(self, session: Session, actor: str, key: str, is_new: bool, form: FlaskForm) -> list[str]:
        """Problems in plain words, or [] once written and audited; StaleEntry if it changed meanwhile."""
        existing = self.find(session, key)
        before = self.to_item(existing) if existing is not None else None
        if not is_new and (before is None or fingerprint(before) != form.fingerprint.data):
            raise StaleEntry(f"Someone else changed this {self.noun} since you opened it; reload and try again.")
        item = self.from_form(form, key)
        problems = self.problems(session, item)
        if is_new and not self.key_pattern.match(key):
            problems.insert(0, f"'{key}' is not a valid {self.key_field}: {self.key_hint}.")
        elif is_new and existing is not None:
            problems.insert(0, f"There is already {self.noun} '{key}'.")
        if problems:
            return problems
        self.write(session, item)
        session.flush()
        audit.record(session, actor, "created" if before is None else "edited", self.noun, key, before, item)
        return []


def _flat(item: dict) -> dict:
    """Nested website details as the form's website_* fields."""
    flat = {k: v for k, v in item.items() if k != "website"}
    if "website" in item:
        website = item["website"] or {}
        flat.update(
            {
                "website": website.get("url") or "",
                "website_source": website.get("source") or "",
                "website_verified_on": str(website.get("verified_on") or ""),
                "website_verified_by": website.get("verified_by") or "",
            }
        )
    return flat


# --- organisations ---------------------------------------------------------------------------------------------


def _organisation_item(org: Organization) -> dict:
    return {
        "key": org.key,
        "name": org.name,
        "description": org.description or "",
        "website": {
            "url": org.website,
            "source": org.website_source or "",
            "verified_on": str(org.website_verified_on or ""),
            "verified_by": org.website_verified_by or "",
        }
        if org.website
        else None,
    }


def _organisation_from_form(form: OrganisationForm, key: str) -> dict:
    url = (form.website.data or "").strip()
    return {
        "key": key,
        "name": form.name.data.strip(),
        "description": (form.description.data or "").strip(),
        "website": {
            "url": url,
            "source": (form.website_source.data or "").strip(),
            "verified_on": (form.website_verified_on.data or "").strip(),
            "verified_by": (form.website_verified_by.data or "").strip(),
        }
        if url
        else None,
    }


def _organisation_problems(_session: Session, item: dict) -> list[str]:
    website = item["website"] or {}
    return _contact_problems(
        "Website", website.get("url", ""), website.get("source", ""), website.get("verified_on", "")
    )


ORGANISATIONS = Kind(
    noun="organisation",
    plural="Organisations",
    model=Organization,
    key_field="key",
    key_pattern=KEY_PATTERN,
    key_hint=HYPHENS,
    form=OrganisationForm,
    columns=(("Name", "name"), ("Key", "key")),
    order_by=(Organization.name,),
    to_item=_organisation_item,
    from_form=_organisation_from_form,
    problems=_organisation_problems,
    write=lambda session, item: write_organizations(session, [item]),
)


# --- needs -----------------------------------------------------------------------------------------------------


def _need_item(term: TaxonomyTerm) -> dict:
    return {"code": term.code, "name": term.name, "description": term.description or "", "active": term.active}


def _need_from_form(form: NeedForm, key: str) -> dict:
    return {
        "code": key,
        "name": form.name.data.strip(),
        "description": (form.description.data or "").strip(),
        "active": bool(form.active.data),
    }


def _write_need(session: Session, item: dict) -> None:
    write_needs(session, [item])
    session.flush()
    session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == item["code"])).one().active = item["active"]


NEEDS = Kind(
    noun="need",
    plural="Needs",
    model=TaxonomyTerm,
    key_field="code",
    key_pattern=NEED_CODE,
    key_hint="lower-case letters, digits and underscores",
    form=NeedForm,
    columns=(("Name", "name"), ("Code", "code"), ("In use", "active")),
    order_by=(TaxonomyTerm.name,),
    to_item=_need_item,
    from_form=_need_from_form,
    problems=lambda session, item: [],
    write=_write_need,
)


# --- areas -----------------------------------------------------------------------------------------------------


def _area_item(area: Area) -> dict:
    return {
        "code": area.code,
        "name": area.name,
        "kind": area.kind,
        "parent": area.parent_code or "",
        "aliases": _split(area.aliases or ""),
        "postcodes": [p.outward_code for p in area.postcodes],
    }


def _area_from_form(form: AreaForm, key: str) -> dict:
    return {
        "code": key,
        "name": form.name.data.strip(),
        "kind": form.kind.data,
        "parent": form.parent.data or "",
        "aliases": _split(form.aliases.data),
        "postcodes": [code.upper() for code in _split(form.postcodes.data)],
    }


def _area_problems(session: Session, item: dict) -> list[str]:
    problems = []
    if item["kind"] not in AREA_KINDS:
        problems.append(f"The kind must be one of {', '.join(AREA_KINDS)}.")
    if item["parent"] == item["code"]:
        problems.append("An area cannot be part of itself.")
    elif item["parent"] and session.get(Area, item["parent"]) is None:
        problems.append(f"'{item['parent']}' is not an area we know.")
    problems += [
        f"'{code}' is not a postcode district like HP19." for code in item["postcodes"] if not OUTWARD_CODE.match(code)
    ]
    return problems


def _write_area(session: Session, item: dict) -> None:
    write_areas(session, [{**item, "parent": item["parent"] or None}])


def _set_parent_choices(form: AreaForm, session: Session) -> None:
    form.parent.choices = [("", "(none)")] + [
        (code, name)
        for code, name in session.execute(select(Area.code, Area.name).where(Area.kind != "town").order_by(Area.name))
    ]


AREAS = Kind(
    noun="area",
    plural="Areas",
    model=Area,
    key_field="code",
    key_pattern=KEY_PATTERN,
    key_hint=HYPHENS,
    form=AreaForm,
    columns=(("Name", "name"), ("Code", "code"), ("Kind", "kind"), ("Postcode districts", "postcodes")),
    order_by=(Area.kind.desc(), Area.name),
    to_item=_area_item,
    from_form=_area_from_form,
    problems=_area_problems,
    write=_write_area,
    set_choices=_set_parent_choices,
)
