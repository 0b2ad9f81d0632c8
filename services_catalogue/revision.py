"""A counter that moves whenever the catalogue changes, so readers can cache it and still see changes at once.

Every ORM flush that adds, changes or deletes catalogue rows bumps the single row of `catalogue_revision` in
the same transaction. Readers compare that row per query instead of reloading the catalogue. The row also holds
a random generation made with the database, so a database recreated or restored under the same URL never
passes for the one a reader cached.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, event, select, update
from sqlalchemy.orm import Session

from .models import Base

CATALOGUE_TABLES = {
    "organization",
    "service",
    "service_translation",
    "phone",
    "language",
    "schedule",
    "area",
    "postcode_district",
    "service_area",
    "location",
    "address",
    "service_at_location",
    "taxonomy_term",
}


class CatalogueRevision(Base):
    __tablename__ = "catalogue_revision"

    id = Column(Integer, primary_key=True)
    revision = Column(Integer, nullable=False, default=0)
    generation = Column(String(36), nullable=False)


def current_revision(connection) -> tuple[str, int] | None:
    row = connection.execute(
        select(CatalogueRevision.generation, CatalogueRevision.revision).where(CatalogueRevision.id == 1)
    ).first()
    return tuple(row) if row else None


def _touches_catalogue(session: Session) -> bool:
    changed = list(session.new) + list(session.dirty) + list(session.deleted)
    return any(getattr(type(item), "__tablename__", None) in CATALOGUE_TABLES for item in changed)


@event.listens_for(Session, "before_flush")
def _bump_revision(session: Session, _context, _instances) -> None:
    if _touches_catalogue(session):
        session.execute(
            update(CatalogueRevision).where(CatalogueRevision.id == 1).values(revision=CatalogueRevision.revision + 1)
        )
