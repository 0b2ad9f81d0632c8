"""Renders the domain's responses inside the action server, picking the variation for the person's language
and channel the way Rasa does, so the action's words are translated in the domain like every other reply."""
from __future__ import annotations

from typing import Any


def _matches(variation: dict[str, Any], slots: dict[str, Any], channel: str | None) -> bool:
    if variation.get("channel") not in (None, channel):
        return False
    return all(slots.get(c.get("name")) == c.get("value") for c in variation.get("condition") or [])


def render(domain: dict[str, Any], response: str, slots: dict[str, Any], channel: str | None = None,
           **values: Any) -> str:
    variations = domain.get("responses", {}).get(response) or []
    matching = [v for v in variations if _matches(v, slots, channel)]
    # Most specific first: a variation for this language and channel beats a general one.
    matching.sort(key=lambda v: -(len(v.get("condition") or []) + (1 if v.get("channel") else 0)))
    if not matching:
        raise KeyError(f"No variation of response '{response}' fits")
    return matching[0]["text"].format(**values)
