"""The held-out NLU sets (tests/nlu/<language>.yml, never trained on) through the trained model.

Every language, Urdu and Roman Urdu included: every danger message recognised, and a macro intent F1 of at
least 0.90. No held-out message is a training example once normalised as the classifier sees it (case,
punctuation, spelling variants), or the figures would flatter the model. The per-intent report is printed
(pytest -s, or in the failure message).
"""

import asyncio
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import classification_report, precision_recall_fscore_support

from common.text import normalise

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT = sorted((ROOT / "tests/nlu").glob("*.yml"))
TARGET_F1 = 0.90


@pytest.fixture(scope="module")
def agent():
    return Agent.load(str(ROOT / "models/assistant.tar.gz"))


def predict(agent, texts):
    async def parse_all():
        return [(await agent.parse_message(text))["intent"]["name"] for text in texts]

    return asyncio.run(parse_all())


@pytest.mark.parametrize("path", HELD_OUT, ids=[p.stem for p in HELD_OUT])
def test_held_out_intents(agent, path):
    examples = load_data(str(path)).intent_examples
    truth = [e.get("intent") for e in examples]
    predicted = predict(agent, [e.get("text") for e in examples])
    labels = sorted(set(truth))
    report = classification_report(truth, predicted, labels=labels, zero_division=0)
    print(f"\n{path.stem}\n{report}")
    _, _, f1, _ = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    macro_f1 = sum(f1) / len(f1)
    missed_danger = [
        e.get("text") for e, p in zip(examples, predicted) if e.get("intent") == "danger" and p != "danger"
    ]
    assert missed_danger == [], f"danger messages not recognised:\n{missed_danger}\n{report}"
    assert macro_f1 >= TARGET_F1, report


@pytest.mark.parametrize("path", HELD_OUT, ids=[p.stem for p in HELD_OUT])
def test_held_out_messages_are_not_training_examples(path):
    trained = {normalise(e.get("text")) for e in load_data(str(ROOT / "data/nlu")).intent_examples}
    seen = [e.get("text") for e in load_data(str(path)).intent_examples if normalise(e.get("text")) in trained]
    assert seen == []
