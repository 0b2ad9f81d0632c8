"""Fixes to Rasa 3.6 internals that profiling (bench/profile_turns.py) showed to dominate a turn.

- Rasa validates each action server response with `jsonschema.validate`, which first checks the schema itself
  against the 2020-12 meta-schema: about 50 ms of CPU per custom action call here. The schema never changes, so
  it is checked once; each response is still checked against it, and an invalid one still raises
  jsonschema's ValidationError with Rasa's advice appended.
- Rebuilding a stored tracker looks up each event's class by walking every subclass of Event, about 1 ms per
  ten events. The lookup is remembered per event name once found; unknown names still go to Rasa's own lookup.
- Each call to the action server opened a new aiohttp session and a new connection (and looked up "localhost"
  in a thread) and closed them afterwards. An endpoint now keeps the session Rasa makes, one per event loop, and
  its idle connections are reused. aiohttp drops an idle connection after 15 s; the action server keeps one
  longer (actions/server.py), so a request never meets a connection the server is closing.
- Each parse and each prediction ran its graph through dask, which rebuilt the graph and its schedule every
  time. The same nodes are now called directly, in a dependency order worked out once per set of targets.

`install()` is called by bot/serve.py before Rasa starts (and by the benchmarks that run Rasa in-process); it
first checks that Rasa is the version and shape these patches expect (bot/rasa_internals.py).
"""

from __future__ import annotations

import asyncio
import graphlib
import weakref
from functools import lru_cache
from typing import Any

import aiohttp
from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import Event
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_internals import require_known_rasa

_ADVICE = (
    ". Failed to validate Action server response from API, make sure your response from the Action endpoint is valid."
)
_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, type] = {}
_rasa_new_session = EndpointConfig.session


@lru_cache(maxsize=1)
def _action_result_validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    error = exceptions.best_match(_action_result_validator().iter_errors(result))
    if error is not None:
        error.message += _ADVICE
        raise error
    return True


def resolve_event_type(type_name: str, default: type | None = None) -> type | None:
    known = _event_classes.get(type_name)
    if known is not None:
        return known
    found = _rasa_resolve_by_type(type_name, default)
    if found is not None and found is not default:
        _event_classes[type_name] = found
    return found


class _KeptOpen:
    """`async with` on an endpoint's session that leaves it open for the next request."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_exc_info: Any) -> None:
        return None


def shared_session(endpoint: EndpointConfig) -> _KeptOpen:
    """The endpoint's session for the running event loop, made by Rasa the first time. Sessions belong to their
    loop, and are forgotten with it."""
    loop = asyncio.get_running_loop()
    sessions = endpoint.__dict__.setdefault("_sessions_by_loop", weakref.WeakKeyDictionary())
    session = sessions.get(loop)
    if session is None or session.closed:
        session = sessions[loop] = _rasa_new_session(endpoint)
    return _KeptOpen(session)


def _run_order(runner: DaskGraphRunner, targets: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """The nodes the targets need, each after the nodes it needs, with the names of its inputs."""
    orders = runner.__dict__.setdefault("_run_orders", {})
    if targets not in orders:
        nodes = runner._graph_schema.minimal_graph_schema(list(targets)).nodes
        sorter = graphlib.TopologicalSorter({name: set(node.needs.values()) for name, node in nodes.items()})
        orders[targets] = [(name, list(nodes[name].needs.values())) for name in sorter.static_order() if name in nodes]
    return orders[targets]


def run_graph(
    runner: DaskGraphRunner, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
) -> dict[str, Any]:
    """DaskGraphRunner.run without dask: the same nodes, called with the same inputs, one after another. An input
    or node output travels as (name, value), as dask passes it; a need nothing provides arrives as its bare
    name, which the node refuses with Rasa's own error."""
    run_targets = tuple(targets or runner._graph_schema.target_names)
    outputs: dict[str, Any] = {name: (name, value) for name, value in (inputs or {}).items()}
    try:
        for name, needs in _run_order(runner, run_targets):
            outputs[name] = runner._instantiated_nodes[name](*(outputs.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(outputs[target] for target in run_targets)


def install() -> None:
    require_known_rasa()
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_event_type)
    EndpointConfig.session = shared_session
    DaskGraphRunner.run = run_graph
