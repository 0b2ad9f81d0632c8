"""Danger said in people's own words, in every language set: tests/danger/<language>.yml, written by writers who
never saw the phrase lists or the training data, and never trained on.

Every message must get the danger reply (recall 1.0 in each language). Beside it the report gives what the
classifier alone recognises (the phrase net switched off: the net must not be the only thing that knows), how often
the advice after the 999 reply fits the kind of danger, and the false alarms among the NLU held-out set's other
messages (acceptable, but counted). Run with -s to see the report; it is in the failure message too.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data

from bot.components import keyword_intents
from bot.components.phrases import DANGER_ADVICE, normalise

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted((ROOT / "tests/danger").glob("*.yml"))
MINIMUM_MESSAGES = 30


@pytest.fixture(scope="module")
def agent():
    return Agent.load(str(ROOT / "models/assistant.tar.gz"))


def held_out(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def parse(agent, texts: list[str]) -> list[dict]:
    async def parse_all():
        return [await agent.parse_message(text) for text in texts]
    return asyncio.run(parse_all())


def advice_of(parsed: dict) -> str | None:
    return next((e["value"] for e in parsed.get("entities") or [] if e["entity"] == "danger_advice"), None)


def classifier_alone(agent, texts: list[str], monkeypatch) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(keyword_intents, "danger_kinds", lambda text, book: set())
        return [p["intent"]["name"] for p in parse(agent, texts)]


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_every_danger_message_gets_the_danger_reply(agent, path, monkeypatch):
    messages = held_out(path)
    texts = [m["text"] for m in messages]
    parsed = parse(agent, texts)
    alone = classifier_alone(agent, texts, monkeypatch)
    missed = [m["text"] for m, p in zip(messages, parsed) if p["intent"]["name"] != "danger"]
    with_advice = [(m, p) for m, p in zip(messages, parsed) if DANGER_ADVICE[m["kind"]] != "general"]
    unfit = [f"{m['text']} ({m['kind']}: got {advice_of(p)})" for m, p in with_advice
             if advice_of(p) != DANGER_ADVICE[m["kind"]]]
    others = [e.get("text") for e in load_data(str(ROOT / "tests/nlu" / path.name)).intent_examples
              if e.get("intent") != "danger"]
    false_alarms = [t for t, p in zip(others, parse(agent, others)) if p["intent"]["name"] == "danger"]
    report = (f"\n{path.stem}: danger recall {1 - len(missed) / len(texts):.3f} ({len(texts)} messages); "
              f"classifier alone {sum(a == 'danger' for a in alone) / len(texts):.3f}; "
              f"advice fits {1 - len(unfit) / max(1, len(with_advice)):.3f} of {len(with_advice)}; "
              f"false alarms {len(false_alarms)} of {len(others)} other held-out messages "
              f"(precision {len(texts) / (len(texts) + len(false_alarms)):.3f})"
              + "".join(f"\n  advice unfit: {u}" for u in unfit)
              + "".join(f"\n  false alarm: {f}" for f in false_alarms))
    print(report)
    assert missed == [], f"danger messages not recognised: {missed}{report}"


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_each_set_covers_every_kind_of_danger(path):
    messages = held_out(path)
    assert len(messages) >= MINIMUM_MESSAGES
    assert {m["kind"] for m in messages} == set(DANGER_ADVICE) - {"general"}


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_danger_messages_are_not_training_examples(path):
    trained = {normalise(e.get("text")) for e in load_data(str(ROOT / "data/nlu")).intent_examples}
    assert [m["text"] for m in held_out(path) if normalise(m["text"]) in trained] == []


def test_every_language_set_has_a_danger_set():
    assert {p.stem for p in SETS} == {p.stem for p in (ROOT / "tests/nlu").glob("*.yml")}
