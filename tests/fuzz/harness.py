"""How the fuzz tests run and what they check.

Every pytest run gives each test its `everyday` count of cases, derandomised (the same cases every time), with no
example database. `make fuzz` sets HYPOTHESIS_PROFILE=fuzz: each test gets its `fuzz` count of fresh random cases,
and failing examples are kept under var/hypothesis (git-ignored) to be tried first next time.

The property, for every response: no 5xx, and no traceback text in the body.
"""

from __future__ import annotations

import collections
import os
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis.database import DirectoryBasedExampleDatabase

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
EXAMPLE_DATABASE = Path(__file__).resolve().parents[2] / "var" / "hypothesis"
TRACEBACK_MARKERS = ("Traceback", 'File "', "Exception")
# Requests are slow next to hypothesis's expectations, and one fixture (a client, a stack) serves every case.
RELAXED = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
    HealthCheck.filter_too_much,
    HealthCheck.function_scoped_fixture,
]

# No shrinking: a request per try makes it take minutes, and the failing example is printed as it was found.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate]

cases_run: collections.Counter[str] = collections.Counter()
statuses: collections.defaultdict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
started_at: list[float] = []


def cases(everyday: int, fuzz: int) -> settings:
    if FUZZ:
        return settings(
            max_examples=fuzz,
            deadline=None,
            phases=PHASES,
            suppress_health_check=RELAXED,
            database=DirectoryBasedExampleDatabase(str(EXAMPLE_DATABASE)),
        )
    return settings(
        max_examples=everyday,
        deadline=None,
        phases=PHASES,
        suppress_health_check=RELAXED,
        derandomize=True,
        database=None,
    )


def check(endpoint: str, status: int, body: bytes, sent: str = "") -> None:
    """No 5xx and no traceback text, except text the request itself put there (forms show what was typed)."""
    if not started_at:
        started_at.append(time.monotonic())
    cases_run[endpoint] += 1
    statuses[endpoint][status] += 1
    assert status < 500, f"{endpoint}: HTTP {status}: {body[:300]!r}"
    text = body.decode("utf-8", "replace")
    leaked = [marker for marker in TRACEBACK_MARKERS if marker in text and marker not in sent]
    assert not leaked, f"{endpoint}: HTTP {status} shows {leaked}: {text[:300]!r}"
