"""Danger said in people's own words, in every language set: tests/danger/<language>.yml, written by writers who
never saw the phrase lists or the training data, and never trained on.

Every message must get the danger reply (recall 1.0 in each language). Beside it the report gives what the
classifier alone recognises, how often the advice after the 999 reply fits the kind of danger (tools/danger_sets.py)
and the false alarms among the NLU held-out set's other messages (acceptable, but counted). Run with -s to see the
report; it is in the failure message too. Misses found here were fixed, so these sets are no longer unseen:
bench/danger_recall.py also measures fresh sets that nothing was fixed against (README, Benchmarks).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data

from bot.components.phrases import DANGER_ADVICE
from common.text import normalise
from tools.danger_sets import measure, messages_of, parse

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted((ROOT / "tests/danger").glob("*.yml"))
MINIMUM_MESSAGES = 30


@pytest.fixture(scope="module")
def agent():
    return Agent.load(str(ROOT / "models/assistant.tar.gz"))


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_every_danger_message_gets_the_danger_reply(agent, path):
    measured = measure(agent, path)
    others = [
        e.get("text")
        for e in load_data(str(ROOT / "tests/nlu" / path.name)).intent_examples
        if e.get("intent") != "danger"
    ]
    false_alarms = [t for t, p in zip(others, parse(agent, others)) if p["intent"]["name"] == "danger"]
    report = (
        f"\n{measured.summary()}; false alarms {len(false_alarms)} of {len(others)} other held-out messages "
        f"(precision {measured.total / (measured.total + len(false_alarms)):.3f})"
        + "".join(f"\n  advice unfit: {u}" for u in measured.unfit)
        + "".join(f"\n  false alarm: {f}" for f in false_alarms)
    )
    print(report)
    assert measured.missed == [], f"danger messages not recognised: {measured.missed}{report}"


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_each_set_covers_every_kind_of_danger(path):
    messages = messages_of(path)
    assert len(messages) >= MINIMUM_MESSAGES
    assert {m["kind"] for m in messages} == set(DANGER_ADVICE) - {"general"}


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_danger_messages_are_not_training_examples(path):
    trained = {normalise(e.get("text")) for e in load_data(str(ROOT / "data/nlu")).intent_examples}
    assert [m["text"] for m in messages_of(path) if normalise(m["text"]) in trained] == []


def test_every_language_set_has_a_danger_set():
    assert {p.stem for p in SETS} == {p.stem for p in (ROOT / "tests/nlu").glob("*.yml")}
