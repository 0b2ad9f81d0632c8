"""Renders the domain's responses inside the action server, choosing the variation for the person's language
and channel exactly as the Rasa server does, so the action's words are translated in the domain like every
other reply. The action server reads the domain files itself once: Rasa is told not to send the whole domain
(about 230 KB with eight languages) with every action call."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from rasa.shared.core.domain import Domain

from common.response_variations import choose_variation

DOMAIN_PATH = Path(__file__).resolve().parent.parent / "bot" / "domain"


@functools.lru_cache(maxsize=1)
def responses() -> dict[str, list[dict[str, Any]]]:
    return Domain.load(str(DOMAIN_PATH)).responses


def render(response: str, slots: dict[str, Any], channel: str | None = None, **values: Any) -> str:
    variation = choose_variation(responses().get(response) or [], slots, channel)
    if variation is None:
        raise KeyError(f"No variation of response '{response}' fits")
    return variation["text"].format(**values)
