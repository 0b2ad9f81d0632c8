"""The Rasa names we depend on that Rasa does not promise to keep: checked before Rasa starts.

Rasa Open Source 3.6 is in maintenance mode and pinned exactly (pyproject.toml). A release that renamed one of
these would make a patch do nothing, or make every message fail after a clean start; so a different version,
or a missing name, stops the server at once with a message saying which.
"""

from __future__ import annotations

import inspect

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import Event
from rasa.utils.endpoints import EndpointConfig

RASA_VERSION = "3.6.21"

# (class, name, who relies on it) for names defined on the class.
CLASS_NAMES = [
    (RemoteAction, "_validate_action_result", "bot/rasa_speedups.py replaces it"),
    (RemoteAction, "action_response_format_spec", "bot/rasa_speedups.py reads the schema from it"),
    (Event, "resolve_by_type", "bot/rasa_speedups.py replaces it"),
    (EndpointConfig, "session", "bot/rasa_speedups.py replaces it"),
    (DaskGraphRunner, "run", "bot/rasa_speedups.py replaces it"),
    (LockStore, "_acquire_lock", "bot/lock_store.py waits for a lock through it"),
    (TemplatedNaturalLanguageGenerator, "_random_response_for", "bot/nlg.py overrides it"),
]
# Attributes an instance gets in __init__, so they are looked for there.
INSTANCE_NAMES = [
    (DaskGraphRunner, "_graph_schema", "bot/rasa_speedups.py runs the graph from it"),
    (DaskGraphRunner, "_instantiated_nodes", "bot/rasa_speedups.py calls its nodes"),
    (AwaitableTrackerStore, "_tracker_store", "bot/tracker_store.py finds our store inside Rasa's wrappers"),
    (FailSafeTrackerStore, "_tracker_store", "bot/tracker_store.py finds our store inside Rasa's wrappers"),
    (FailSafeTrackerStore, "_fallback_tracker_store", "bot/tracker_store.py deletes the fallback copy too"),
    (RedisLockStore, "red", "bot/lock_store.py changes locks in one Redis transaction"),
    (RedisLockStore, "key_prefix", "bot/lock_store.py names the lock keys"),
]


def _set_in_init(cls: type, name: str) -> bool:
    try:
        return f"self.{name}" in inspect.getsource(vars(cls)["__init__"])
    except (KeyError, OSError, TypeError):  # no __init__ of its own, or no source to read
        return False


def problems() -> list[str]:
    """What differs from the Rasa this code was written against; empty when all is as expected."""
    found = []
    if rasa.__version__ != RASA_VERSION:
        found.append(f"Rasa {rasa.__version__} is installed; this code is written against Rasa {RASA_VERSION}")
    found += [f"{cls.__name__}.{name} is missing ({why})" for cls, name, why in CLASS_NAMES if not hasattr(cls, name)]
    found += [
        f"{cls.__name__}().{name} is no longer set ({why})"
        for cls, name, why in INSTANCE_NAMES
        if not _set_in_init(cls, name)
    ]
    return found


def require_known_rasa() -> None:
    """Refuse to start, saying why, unless Rasa is the version and shape our patches expect."""
    found = problems()
    if found:
        raise SystemExit(
            "Refusing to start: "
            + "; ".join(found)
            + ". Check bot/rasa_internals.py and the modules it names before changing the Rasa pin."
        )
