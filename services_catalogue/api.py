"""Read-only Open Referral UK API over the published catalogue (GET /, /services, /services/{id}, /taxonomy_terms)."""

from __future__ import annotations

import math

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import func, or_, select

from . import oruk
from .db import session_scope
from .models import Service, TaxonomyTerm, service_taxonomy
from .store import full_load

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000  # far past any last page; larger would overflow the database's OFFSET
api = Blueprint("oruk_api", __name__)


def _positive_int(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        abort(400, description=f"'{name}' must be a whole number.")
    if value < 1:
        abort(400, description=f"'{name}' must be 1 or more.")
    return min(value, maximum) if maximum else value


def _page(contents: list, total: int, page: int, per_page: int) -> dict:
    pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


@api.get("/")
def about():
    return jsonify(
        {
            "version": "3.0",
            "profile": "https://openreferraluk.org/",
            "openapi_url": url_for("oruk_api.about", _external=True) + "openapi.json",
        }
    )


@api.get("/services")
def list_services():
    page = _positive_int("page", 1, MAX_PAGE)
    per_page = _positive_int("per_page", 20, MAX_PER_PAGE)
    query = select(Service).where(Service.status == "published")
    search = (request.args.get("search") or "").strip()
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(Service.name).like(pattern), func.lower(Service.description).like(pattern)))
    term_id = (request.args.get("taxonomy_term_id") or "").strip()
    if term_id:
        query = query.where(
            Service.id.in_(
                select(service_taxonomy.c.service_id)
                .join(TaxonomyTerm)
                .where(or_(TaxonomyTerm.id == term_id, TaxonomyTerm.code == term_id))
            )
        )
    with session_scope() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        services = session.scalars(
            query.options(*full_load()).order_by(Service.name, Service.id).offset((page - 1) * per_page).limit(per_page)
        )
        contents = [oruk.service_record(service) for service in services]
    return jsonify(_page(contents, total, page, per_page))


@api.get("/services/<service_id>")
def get_service(service_id: str):
    with session_scope() as session:
        service = session.scalars(
            select(Service).options(*full_load()).where(Service.id == service_id, Service.status == "published")
        ).first()
        if service is None:
            abort(404, description="No published service has that id.")
        return jsonify(oruk.service_record(service))


@api.get("/taxonomy_terms")
def list_taxonomy_terms():
    page = _positive_int("page", 1, MAX_PAGE)
    per_page = _positive_int("per_page", 50, MAX_PER_PAGE)
    with session_scope() as session:
        terms = list(session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.active).order_by(TaxonomyTerm.code)))
    chunk = terms[(page - 1) * per_page : page * per_page]
    return jsonify(_page([oruk.taxonomy_term_record(t) for t in chunk], len(terms), page, per_page))
