"""bot/rasa_speedups.py changes how fast Rasa checks action results and rebuilds trackers, never what it decides."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from bot import rasa_speedups


@pytest.fixture(autouse=True)
def installed(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])  # the staticmethod itself
    rasa_speedups.install()


def test_a_valid_action_result_passes():
    action = RemoteAction("action_find_services", None)
    result = {"events": [{"event": "slot", "name": "needs", "value": ["older_adult"], "timestamp": None}],
              "responses": [{"response": "utter_helpline"}]}
    assert action._validate_action_result(result) is True


@pytest.mark.parametrize("result", [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": [1, 2]},
])
def test_an_invalid_action_result_is_still_refused_with_rasas_advice(result):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_find_services", None)._validate_action_result(result)


def test_every_event_name_resolves_to_the_class_rasas_own_lookup_finds():
    names = {cls.type_name for cls in all_subclasses(Event) if hasattr(cls, "type_name")}
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is rasa_speedups._rasa_resolve_by_type(name)
        assert Event.resolve_by_type(name) is rasa_speedups._rasa_resolve_by_type(name)  # now from memory


def test_unknown_event_names_still_fail_or_fall_back_as_in_rasa():
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=Event) is Event
