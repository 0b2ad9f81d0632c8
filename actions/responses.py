"""Renders the domain's responses inside the action server, choosing the variation for the person's language
and channel exactly as the Rasa server does, so the action's words are translated in the domain like every
other reply."""
from __future__ import annotations

from typing import Any

from bot.response_variations import choose_variation


def render(domain: dict[str, Any], response: str, slots: dict[str, Any], channel: str | None = None,
           **values: Any) -> str:
    variation = choose_variation(domain.get("responses", {}).get(response) or [], slots, channel)
    if variation is None:
        raise KeyError(f"No variation of response '{response}' fits")
    return variation["text"].format(**values)
