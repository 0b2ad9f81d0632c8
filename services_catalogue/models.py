"""The catalogue's tables, aligned with Open Referral UK (HSDS 3.0 UK profile).

Our additions to the standard: a publication `status`, a `version` for optimistic locking, `last_modified`,
and for every contact detail (phone, address, website) the source it was read from, the date it was verified
and who verified it. Only published services reach the assistant.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

# SQLAlchemy 1.4 builds the base class at run time, which a type checker cannot follow: declared Any.
Base: Any = declarative_base()

STATUSES = ("draft", "published", "archived")
PHONE_TYPES = ("voice", "text", "textphone", "video")
AREA_KINDS = ("national", "county", "town")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# Stable uuid5 namespace: a record's ORUK id is derived from its human-readable key, so re-seeding and
# re-importing the same key always lands on the same row.
ID_NAMESPACE = uuid.UUID("5b0f6d3e-2b0c-4f55-9d59-8e1b0c6f4a21")


def id_for(kind: str, key: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{key}"))


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Verified:
    """Where a contact detail came from and when someone last checked it."""

    source = Column(Text, nullable=True)
    verified_on = Column(Date, nullable=True)
    verified_by = Column(String(200), nullable=True)

    @property
    def is_verified(self) -> bool:
        return bool(self.source and self.source.strip() and self.verified_on)


class Organization(Base):
    __tablename__ = "organization"

    id = Column(String(36), primary_key=True)
    key = Column(String(120), nullable=False, unique=True)
    name = Column(String(300), nullable=False)
    description = Column(Text, nullable=False, default="")
    website = Column(String(500), nullable=True)
    website_source = Column(Text, nullable=True)
    website_verified_on = Column(Date, nullable=True)
    website_verified_by = Column(String(200), nullable=True)
    last_modified = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    version = Column(Integer, nullable=False, default=1)

    services = relationship("Service", back_populates="organization")

    __mapper_args__ = {"version_id_col": version}


service_taxonomy = Table(
    "service_taxonomy",
    Base.metadata,
    Column("service_id", String(36), ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("taxonomy_term_id", String(36), ForeignKey("taxonomy_term.id"), primary_key=True),
    Index("ix_service_taxonomy_term", "taxonomy_term_id", "service_id"),
)


class Service(Base):
    __tablename__ = "service"

    id = Column(String(36), primary_key=True)
    key = Column(String(120), nullable=False, unique=True)
    organization_id = Column(String(36), ForeignKey("organization.id"), nullable=True)
    name = Column(String(300), nullable=False)
    description = Column(Text, nullable=False, default="")
    status = Column(String(20), nullable=False, default="draft", index=True)
    url = Column(String(500), nullable=True)
    url_source = Column(Text, nullable=True)
    url_verified_on = Column(Date, nullable=True)
    url_verified_by = Column(String(200), nullable=True)
    minimum_age = Column(Integer, nullable=True)
    maximum_age = Column(Integer, nullable=True)
    eligibility_note = Column(Text, nullable=True)
    hours_note = Column(Text, nullable=True)
    staff_note = Column(Text, nullable=True)
    last_modified = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    version = Column(Integer, nullable=False, default=1)

    organization = relationship("Organization", back_populates="services")
    needs = relationship("TaxonomyTerm", secondary=service_taxonomy, order_by="TaxonomyTerm.code")
    phones = relationship("Phone", back_populates="service", cascade="all, delete-orphan", order_by="Phone.position")
    schedules = relationship(
        "Schedule", back_populates="service", cascade="all, delete-orphan", order_by="Schedule.position"
    )
    areas = relationship(
        "ServiceArea", back_populates="service", cascade="all, delete-orphan", order_by="ServiceArea.area_code"
    )
    languages = relationship(
        "Language", back_populates="service", cascade="all, delete-orphan", order_by="Language.code"
    )
    translations = relationship(
        "ServiceTranslation",
        back_populates="service",
        cascade="all, delete-orphan",
        order_by="ServiceTranslation.language",
    )
    locations = relationship("ServiceAtLocation", back_populates="service", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def need_codes(self) -> list[str]:
        return [term.code for term in self.needs]


class ServiceTranslation(Base):
    """A service's description in another language; English lives on the service itself."""

    __tablename__ = "service_translation"
    __table_args__ = (UniqueConstraint("service_id", "language"),)

    id = Column(Integer, primary_key=True)
    service_id = Column(String(36), ForeignKey("service.id", ondelete="CASCADE"), nullable=False)
    language = Column(String(8), nullable=False)
    description = Column(Text, nullable=False)

    service = relationship("Service", back_populates="translations")


class Phone(Verified, Base):
    __tablename__ = "phone"

    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    service_id = Column(String(36), ForeignKey("service.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    number = Column(String(40), nullable=False)
    type = Column(String(20), nullable=False, default="voice")
    description = Column(Text, nullable=True)
    languages = Column(String(200), nullable=True)  # comma-separated ISO 639-1 codes spoken on this line

    service = relationship("Service", back_populates="phones")


class Language(Base):
    __tablename__ = "language"
    __table_args__ = (UniqueConstraint("service_id", "code"),)

    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    service_id = Column(String(36), ForeignKey("service.id", ondelete="CASCADE"), nullable=False)
    code = Column(String(8), nullable=False)
    name = Column(String(100), nullable=False)

    service = relationship("Service", back_populates="languages")


class Schedule(Base):
    """Weekly opening hours. Times are 'HH:MM' strings; '24:00' closes at midnight and a closing time before
    the opening time runs past midnight. Seven days 00:00-24:00 is open all the time."""

    __tablename__ = "schedule"

    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    service_id = Column(String(36), ForeignKey("service.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    byday = Column(String(30), nullable=False)
    opens_at = Column(String(5), nullable=False)
    closes_at = Column(String(5), nullable=False)
    description = Column(Text, nullable=True)

    service = relationship("Service", back_populates="schedules")

    @property
    def days(self) -> list[str]:
        return [day for day in self.byday.split(",") if day]


class Area(Base):
    """National, the county, or one of its towns. Staff edit the towns and their postcode districts."""

    __tablename__ = "area"

    code = Column(String(60), primary_key=True)
    name = Column(String(200), nullable=False)
    kind = Column(String(20), nullable=False)
    parent_code = Column(String(60), ForeignKey("area.code"), nullable=True)
    aliases = Column(Text, nullable=True)  # other spellings people use, comma-separated

    postcodes = relationship(
        "PostcodeDistrict",
        back_populates="area",
        cascade="all, delete-orphan",
        order_by="PostcodeDistrict.outward_code",
    )


class PostcodeDistrict(Base):
    __tablename__ = "postcode_district"

    outward_code = Column(String(8), primary_key=True)
    area_code = Column(String(60), ForeignKey("area.code", ondelete="CASCADE"), primary_key=True)

    area = relationship("Area", back_populates="postcodes")


class ServiceArea(Base):
    __tablename__ = "service_area"
    __table_args__ = (Index("ix_service_area_lookup", "service_id", "area_code"),)

    id = Column(Integer, primary_key=True)
    service_id = Column(String(36), ForeignKey("service.id", ondelete="CASCADE"), nullable=False)
    area_code = Column(String(60), ForeignKey("area.code"), nullable=False, index=True)

    service = relationship("Service", back_populates="areas")
    area = relationship("Area")


class Location(Base):
    __tablename__ = "location"

    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    name = Column(String(300), nullable=True)
    location_type = Column(String(20), nullable=False, default="physical")
    description = Column(Text, nullable=True)
    latitude = Column(String(20), nullable=True)
    longitude = Column(String(20), nullable=True)

    addresses = relationship("Address", back_populates="location", cascade="all, delete-orphan")


class Address(Verified, Base):
    __tablename__ = "address"

    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    location_id = Column(String(36), ForeignKey("location.id", ondelete="CASCADE"), nullable=False)
    address_1 = Column(String(300), nullable=False)
    city = Column(String(120), nullable=False)
    region = Column(String(120), nullable=True)
    state_province = Column(String(120), nullable=False, default="Buckinghamshire")
    postal_code = Column(String(12), nullable=False)
    country = Column(String(2), nullable=False, default="GB")
    address_type = Column(String(20), nullable=False, default="physical")

    location = relationship("Location", back_populates="addresses")


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"

    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    service_id = Column(String(36), ForeignKey("service.id", ondelete="CASCADE"), nullable=False)
    location_id = Column(String(36), ForeignKey("location.id"), nullable=False)

    service = relationship("Service", back_populates="locations")
    location = relationship("Location")


class TaxonomyTerm(Base):
    """One of our needs. `code` is the stable name the assistant uses."""

    __tablename__ = "taxonomy_term"

    id = Column(String(36), primary_key=True)
    code = Column(String(60), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    description = Column(Text, nullable=False, default="")
    taxonomy = Column(String(100), nullable=False, default="bucks-dva-needs")
    active = Column(Boolean, nullable=False, default=True)


# The staff admin's tables share Base, so Alembic and create_all see them with the catalogue's.
from . import staff_models  # noqa: E402,F401
