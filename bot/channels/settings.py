"""Whole-number settings of the channels, read from the environment when a channel is created: a wrong value
stops Rasa at start-up with a clear message rather than failing on someone's message later."""

from __future__ import annotations

import os


def whole_number(variable: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ValueError(f"{variable} must be a whole number of {minimum} or more (it is {raw!r}).")
    return value
