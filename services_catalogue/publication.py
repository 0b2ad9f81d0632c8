"""The rule that no unverified contact detail is ever published, enforced on every flush.

Whatever writes to the catalogue (seed, import, the staff admin, a script), a published service whose phone
numbers, address or website lack a source or verified date cannot be saved.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from .models import Phone, Service


class UnverifiedContactDetail(ValueError):
    """A published service would show a contact detail nobody has verified."""


def publication_problems(service: Service) -> list[str]:
    problems = []
    for number, phone in enumerate(service.phones, 1):
        if not phone.is_verified:
            problems.append(f"phone {number} ({phone.number}) has no source or verified date")
    if service.url and not (service.url_source and service.url_verified_on):
        problems.append(f"website {service.url} has no source or verified date")
    for place in service.locations:
        for address in place.location.addresses if place.location else []:
            if not address.is_verified:
                problems.append(f"address {address.address_1} has no source or verified date")
    if not service.phones and not service.url:
        problems.append("it has no phone number or website to contact")
    return problems


def _services_touched(session: Session) -> set[Service]:
    touched = set()
    for item in list(session.new) + list(session.dirty):
        if isinstance(item, Service):
            touched.add(item)
        elif isinstance(item, Phone) and item.service is not None:
            touched.add(item.service)
    return touched


@event.listens_for(Session, "before_flush")
def _refuse_unverified_publication(session: Session, _context, _instances) -> None:
    for service in _services_touched(session):
        if service.status == "published":
            problems = publication_problems(service)
            if problems:
                raise UnverifiedContactDetail(f"'{service.name}' cannot be published: {'; '.join(problems)}.")
