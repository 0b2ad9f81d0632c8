"""Recognises the situation labels (docs/situation.md) from the person's own words: one linear model per label
over the shared n-gram features, trained on data/situation/<language>.yml, where a message may carry several
labels or none.

The phrase book (SituationExtractor) stays as the high-precision net: a label either finds becomes a `need`
entity, once. The examples are this component's own data, outside Rasa's NLU format (which has one intent per
example), so their contents are part of the component's fingerprint: Rasa retrains it when they change.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from bot.components.ngram_features import linear_scores, ngram_features
from common.text import normalise

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "situation"
MODEL_FILE = "situation_classifier.joblib"
NEED = "need"


@dataclass(frozen=True)
class Example:
    text: str
    labels: frozenset[str]


def load_examples(directory: Path = DATA_DIR) -> list[Example]:
    """Every example of every language file; refuses a malformed one by file and position."""
    examples = []
    for path in sorted(directory.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for number, item in enumerate(document.get("examples") or [], start=1):
            text, labels = (item or {}).get("text"), (item or {}).get("labels")
            if not isinstance(text, str) or not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise ValueError(f"{path.name}, example {number}: needs a text and a list of labels")
            examples.append(Example(text, frozenset(labels)))
    return examples


THRESHOLDS = np.linspace(-1.0, 1.0, 41)
NEVER = float("inf")


@dataclass
class LabelModels:
    features: FeatureUnion
    labels: list[str]
    coef: np.ndarray  # one row of weights per label
    intercept: np.ndarray
    thresholds: np.ndarray  # per label: the decision value above which it is given

    def scores(self, texts: list[str]) -> np.ndarray:
        return linear_scores(self.features, self.coef, self.intercept, [normalise(t) for t in texts])

    def found(self, row: np.ndarray) -> list[tuple[str, float]]:
        """The labels given, with their margins over the thresholds."""
        return [(label, margin) for label, margin in zip(self.labels, row - self.thresholds) if margin > 0]


def _fit(matrix, wanted: np.ndarray, config: dict[str, Any]) -> LinearSVC:
    # Balanced: each label is a small share of the examples.
    model = LinearSVC(C=config["C"], class_weight="balanced", random_state=config["random_seed"])
    return model.fit(matrix, wanted)


def _threshold(scores: np.ndarray, wanted: np.ndarray, precision: float) -> float:
    """The lowest threshold whose out-of-fold precision reaches `precision`: as many needs found as can be
    found without suggesting the wrong services; a label that never gets there is not given by this model."""
    for threshold in THRESHOLDS:
        given = scores > threshold
        if given.any() and (given & wanted).sum() / given.sum() >= precision:
            return float(threshold)
    return NEVER


def train_label_models(examples: list[Example], config: dict[str, Any]) -> LabelModels:
    texts = [normalise(e.text) for e in examples]
    labels = sorted({label for e in examples for label in e.labels})
    wanted = np.array([[label in e.labels for label in labels] for e in examples])
    # Out-of-fold scores, for thresholds chosen on messages the models did not see.
    folds = np.arange(len(examples)) % config["folds"]
    held_out = np.zeros(wanted.shape)
    for fold in range(config["folds"]):
        features = ngram_features()
        train = features.fit_transform([t for t, f in zip(texts, folds) if f != fold])
        test = features.transform([t for t, f in zip(texts, folds) if f == fold])
        for j in range(len(labels)):
            held_out[folds == fold, j] = _fit(train, wanted[folds != fold, j], config).decision_function(test)
    features = ngram_features()
    matrix = features.fit_transform(texts)
    models = [_fit(matrix, wanted[:, j], config) for j in range(len(labels))]
    return LabelModels(
        features,
        labels,
        np.vstack([m.coef_[0] for m in models]),
        np.array([m.intercept_[0] for m in models]),
        np.array([_threshold(held_out[:, j], wanted[:, j], config["precision"]) for j in range(len(labels))]),
    )


def confidence(margin: float) -> float:
    return 1 / (1 + math.exp(-4 * margin))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class SituationClassifier(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # precision: what each label's threshold must reach on out-of-fold examples; folds: how many.
        return {"C": 0.5, "precision": 0.85, "folds": 4, "random_seed": 1}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        digest = hashlib.sha256()
        for path in sorted(DATA_DIR.glob("*.yml")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        models: LabelModels | None = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._models = models

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SituationClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self._models = train_label_models(load_examples(), self._config)
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(self._models, directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SituationClassifier:
        with model_storage.read_from(resource) as directory:
            return cls(config, model_storage, resource, joblib.load(directory / MODEL_FILE))

    def process(self, messages: list[Message]) -> list[Message]:
        if self._models is None or not messages:
            return messages
        rows = self._models.scores([m.get(TEXT) or "" for m in messages])
        for message, row in zip(messages, rows):
            entities = message.get(ENTITIES) or []
            named = {e.get("value") for e in entities if e.get("entity") == NEED}
            found = [
                {"entity": NEED, "value": label, "confidence_entity": round(confidence(margin), 3)}
                for label, margin in self._models.found(row)
                if label not in named
            ]
            if found:
                message.set(ENTITIES, entities + self.add_extractor_name(found), add_to_output=True)
        return messages
