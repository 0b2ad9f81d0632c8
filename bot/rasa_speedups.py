"""Two fixes to Rasa 3.6 internals that profiling showed to cost more than the rest of a turn together.

- Rasa validates each action server response with `jsonschema.validate`, which first checks the schema itself
  against the 2020-12 meta-schema: about 50 ms of CPU per custom action call here. The schema never changes, so
  it is checked once; each response is still checked against it, and an invalid one still raises
  jsonschema's ValidationError with Rasa's advice appended.
- Rebuilding a stored tracker looks up each event's class by walking every subclass of Event, about 1 ms per
  ten events. The lookup is remembered per event name once found; unknown names still go to Rasa's own lookup.

`install()` is called by bot/serve.py before Rasa starts (and by the benchmarks that run Rasa in-process).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event

_ADVICE = (". Failed to validate Action server response from API, make sure your response from the Action "
           "endpoint is valid.")
_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, type] = {}


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


def resolve_event_type(type_name: str, default: Optional[type] = None) -> Optional[type]:
    known = _event_classes.get(type_name)
    if known is not None:
        return known
    found = _rasa_resolve_by_type(type_name, default)
    if found is not None and found is not default:
        _event_classes[type_name] = found
    return found


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_event_type)
