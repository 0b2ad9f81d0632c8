"""The situation classifier: reads its examples strictly, learns several labels per message, keeps a label off
when it cannot reach the precision asked, adds no need the phrase book already found, survives Rasa's model
storage, and is retrained when its examples change."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components import situation_classifier
from bot.components.situation_classifier import Example, SituationClassifier, load_examples, train_label_models

STALKING = [
    "he keeps turning up outside my work",
    "my ex messages my friends to find where i am",
    "he follows me home from the bus stop",
    "there is a tracker on my car",
    "he comments on everything i post from fake accounts",
    "he waits outside my house every night",
    "she keeps ringing my mum to ask where i am",
    "he knows where i go, he must be tracking my phone",
]
MONEY = [
    "he takes all my wages",
    "she put loans in my name",
    "i have to ask him for every penny",
    "he wont let me have a bank card",
    "he spends my benefits",
    "i'm not allowed to work",
    "she controls all the money",
    "he took out credit cards in my name",
]
NEITHER = ["hello", "thanks", "what is clares law", "ok", "i live in aylesbury", "yes", "is this confidential", "bye"]
CONFIG = {**SituationClassifier.get_default_config(), "precision": 0.5, "folds": 2}


def examples() -> list[Example]:
    return (
        [Example(t, frozenset({"stalking"})) for t in STALKING]
        + [Example(t, frozenset({"economic_abuse"})) for t in MONEY]
        + [Example(t, frozenset()) for t in NEITHER]
        + [Example("he follows me and takes my wages", frozenset({"stalking", "economic_abuse"}))]
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("situation_classifier")
    classifier = SituationClassifier(CONFIG, storage, resource)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(situation_classifier, "load_examples", examples)
        classifier.train(TrainingData())
    return classifier, storage, resource


def needs(classifier, text: str, entities=()) -> list[str]:
    message = Message({TEXT: text, ENTITIES: list(entities)})
    classifier.process([message])
    return [e["value"] for e in message.get(ENTITIES) if e.get("extractor") == "SituationClassifier"]


def test_a_malformed_example_is_refused_by_file_and_position(tmp_path):
    (tmp_path / "xx.yml").write_text("examples:\n  - text: hello\n    labels: stalking\n", encoding="utf-8")
    with pytest.raises(ValueError, match="xx.yml, example 1"):
        load_examples(tmp_path)


def test_labels_are_learnt_from_the_examples(trained):
    classifier, _, _ = trained
    assert needs(classifier, "he keeps following me home from the bus stop") == ["stalking"]
    assert needs(classifier, "he takes all my wages and my benefits") == ["economic_abuse"]
    assert needs(classifier, "hello") == []


def test_a_need_the_phrase_book_found_is_not_added_twice(trained):
    classifier, _, _ = trained
    phrase = {"entity": "need", "value": "stalking", "extractor": "SituationExtractor"}
    assert needs(classifier, "he keeps following me home from the bus stop", [phrase]) == []


def test_a_label_that_cannot_reach_the_precision_is_never_given():
    noise = [Example(f"message number {i}", frozenset({"stalking"} if i % 3 == 0 else set())) for i in range(40)]
    models = train_label_models(noise, {**CONFIG, "precision": 1.0})
    assert models.thresholds.tolist() == [situation_classifier.NEVER]
    assert models.found(np.array([100.0])) == []


def test_the_trained_models_load_from_rasas_model_storage(trained):
    classifier, storage, resource = trained
    loaded = SituationClassifier.load(CONFIG, storage, resource, None)
    assert needs(loaded, "she put loans in my name") == needs(classifier, "she put loans in my name")


def test_the_fingerprint_follows_the_examples(tmp_path, monkeypatch):
    monkeypatch.setattr(situation_classifier, "DATA_DIR", tmp_path)
    (tmp_path / "xx.yml").write_text("examples: []\n", encoding="utf-8")
    before = SituationClassifier.fingerprint_addon(CONFIG)
    (tmp_path / "xx.yml").write_text("examples: [{text: hi, labels: []}]\n", encoding="utf-8")
    assert SituationClassifier.fingerprint_addon(CONFIG) != before
