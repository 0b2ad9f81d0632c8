"""The action server's client for the services catalogue, kept apart from the actions that use it.

Catalogue calls are blocking database work, so they run in a worker thread and never stall the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from services_catalogue.db import CatalogueUnavailable
from services_catalogue.query import Place, ServiceView, area_for_place, find_services, resolve_place


@dataclass(frozen=True)
class Lookup:
    services: list[ServiceView]
    place: Place | None


async def look_up(
    needs: list[str], place_text: str | None, known_area: list[str] | None, language: str
) -> Lookup | None:
    """Services for these needs near the place; None when the catalogue cannot be reached."""

    def run() -> Lookup:
        place = resolve_place(place_text) if place_text else None
        area = area_for_place(place) if place else known_area
        return Lookup(find_services(needs, area=area, language=language), place)

    try:
        return await asyncio.to_thread(run)
    except CatalogueUnavailable:
        return None
