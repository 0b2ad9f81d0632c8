"""Which variation of a response a person gets: the one for their language first, then for their channel.

Rasa prefers a channel variation over a language one, so a Polish texter would get the English SMS text. Here
conditions (the language, an abuse type) count first and the channel second; the response generator and the
action server both choose through this one function.
"""

from __future__ import annotations

from typing import Any


def _fits(variation: dict[str, Any], slots: dict[str, Any], channel: str | None) -> bool:
    if variation.get("channel") not in (None, channel):
        return False
    return all(
        str(slots.get(c.get("name"))).casefold() == str(c.get("value")).casefold()
        for c in variation.get("condition") or []
    )


def choose_variation(
    variations: list[dict[str, Any]], slots: dict[str, Any], channel: str | None
) -> dict[str, Any] | None:
    fitting = [v for v in variations if _fits(v, slots, channel)]
    if not fitting:
        return None
    return max(fitting, key=lambda v: (len(v.get("condition") or []), v.get("channel") is not None))
