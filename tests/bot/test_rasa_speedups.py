"""bot/rasa_speedups.py changes how fast Rasa checks action results, rebuilds trackers and calls the action server,
never what it decides."""

import asyncio

import aiohttp
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from actions import server as action_server
from bot import rasa_speedups
from tools import stack

RUN_WITH_DASK = DaskGraphRunner.run


@pytest.fixture(autouse=True)
def installed(monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])  # the staticmethod itself
    monkeypatch.setattr(EndpointConfig, "session", EndpointConfig.session)
    monkeypatch.setattr(DaskGraphRunner, "run", DaskGraphRunner.run)
    rasa_speedups.install()


def test_a_valid_action_result_passes():
    action = RemoteAction("action_find_services", None)
    result = {
        "events": [{"event": "slot", "name": "needs", "value": ["older_adult"], "timestamp": None}],
        "responses": [{"response": "utter_helpline"}],
    }
    assert action._validate_action_result(result) is True


@pytest.mark.parametrize(
    "result",
    [
        {"events": "not a list"},
        {"events": [{"event": "no_such_event"}]},
        {"responses": [1, 2]},
    ],
)
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


def test_an_endpoint_keeps_one_open_session_per_event_loop_with_rasas_settings():
    endpoint = EndpointConfig(
        "http://localhost:1/webhook", headers={"X-Test": "1"}, basic_auth={"username": "u", "password": "p"}
    )

    async def two_requests():
        async with endpoint.session() as first:
            pass
        async with endpoint.session() as second:
            pass
        return first, second

    async def close(session):
        await session.close()

    first, second = asyncio.run(two_requests())
    other_loop, _ = asyncio.run(two_requests())
    assert first is second and not first.closed  # still open for the next request on that loop
    assert other_loop is not first
    assert first.headers["X-Test"] == "1" and first.auth == aiohttp.BasicAuth("u", "p")
    assert first.connector._keepalive_timeout < action_server.KEEP_ALIVE_SECONDS  # the client closes idle ones
    for session in (first, other_loop):
        asyncio.new_event_loop().run_until_complete(close(session))


@pytest.fixture(scope="module")
def agent():
    if not stack.MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    return Agent.load(str(stack.MODEL))


def test_the_graph_run_without_dask_parses_a_message_as_dask_does(agent):
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.nlu_target
    text = "I'm 81 and my grandson takes my pension, I live in Aylesbury"

    def parse(run):
        [message] = run(runner, inputs={PLACEHOLDER_MESSAGE: [UserMessage(text)]}, targets=[target])[target]
        return message.as_dict(only_output_properties=True)

    parsed = parse(rasa_speedups.run_graph)
    assert parsed == parse(RUN_WITH_DASK)
    assert {("need", "older_adult"), ("place", "Aylesbury")} <= {(e["entity"], e["value"]) for e in parsed["entities"]}


def test_the_graph_run_without_dask_predicts_as_dask_does(agent):
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.core_target
    tracker = DialogueStateTracker.from_events(
        "speedups",
        [
            ActionExecuted("action_listen"),
            UserUttered("he has a knife", intent={"name": "danger", "confidence": 1.0}),
        ],
        slots=agent.domain.slots,
    )

    def predict(run):
        prediction = run(runner, inputs={PLACEHOLDER_TRACKER: tracker}, targets=[target])[target]
        return prediction.policy_name, prediction.probabilities

    assert predict(rasa_speedups.run_graph) == predict(RUN_WITH_DASK)
    _, probabilities = predict(rasa_speedups.run_graph)
    assert agent.domain.action_names_or_texts[probabilities.index(max(probabilities))] == "utter_danger"


def test_a_missing_input_fails_as_with_dask(agent):
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.nlu_target
    for run in (RUN_WITH_DASK, rasa_speedups.run_graph):
        with pytest.raises(GraphRunError):
            run(runner, inputs={}, targets=[target])
