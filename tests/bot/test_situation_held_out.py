"""The situation said in people's own words, in every language set: tests/situation/<language>.yml, written by
writers who never saw the training data (data/situation/) or the phrase lists, and never trained on.

tools/situation_sets.py counts what the assistant acts on: the need entities and the need an intent implies. The
goal is recall 0.90 and precision 0.85 for every label (issue #15); it is not reached yet, so bench/situation_report.py
prints every label's figures per language, and this test holds the figures over all labels where they stand now
(a ratchet: raise it as the data grows, never lower it). Run with -s for the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.agent import Agent

from bot.components.situation_classifier import load_examples
from common.text import normalise
from tools.situation_sets import LABELS, Counts, examples_of, measure

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted((ROOT / "tests/situation").glob("*.yml"))
LANGUAGE_SETS = {"ar", "bn", "en", "pa", "pl", "pt", "ro", "ur", "ur_latn"}
# Over all labels and languages (micro-averaged), just under where the figures stood after the third batch of
# training data (recall 0.872, precision 0.854).
RECALL_FLOOR, PRECISION_FLOOR = 0.86, 0.84
MINIMUM_PER_LABEL = {"en": 12}  # and 6 in every other language set
MINIMUM_UNLABELLED = 20


@pytest.fixture(scope="module")
def overall() -> Counts:
    agent = Agent.load(str(ROOT / "models/assistant.tar.gz"))
    counts = Counts()
    for path in SETS:
        measured = measure(agent, path)
        print(f"\n{path.stem}" + "".join(f"\n  {measured.line(label)}" for label in LABELS))
        counts.add(measured)
    return counts


def test_every_language_set_has_a_held_out_set():
    assert {path.stem for path in SETS} == LANGUAGE_SETS


def test_the_labels_are_recognised_from_peoples_own_words(overall):
    report = "\n".join(overall.line(label) for label in LABELS)
    assert overall.recall() >= RECALL_FLOOR, report
    assert overall.precision() >= PRECISION_FLOOR, report


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_each_set_covers_every_label_and_messages_with_none(path):
    examples = examples_of(path)
    minimum = MINIMUM_PER_LABEL.get(path.stem, 6)
    counted = {label: sum(label in e["labels"] for e in examples) for label in LABELS}
    assert {label: n for label, n in counted.items() if n < minimum} == {}
    assert {label for e in examples for label in e["labels"]} <= set(LABELS)
    assert sum(not e["labels"] for e in examples) >= MINIMUM_UNLABELLED


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_held_out_messages_are_not_training_examples(path):
    trained = {normalise(e.text) for e in load_examples()}
    assert [e["text"] for e in examples_of(path) if normalise(e["text"]) in trained] == []


def test_the_training_data_uses_only_the_labels():
    assert {label for e in load_examples() for label in e.labels} == set(LABELS)
