"""Situation sets measured against the trained model: messages with the labels of docs/situation.md.

The labels a turn carries are what the assistant acts on: the `need` entities (phrase book and situation
classifier) and the need the intent implies (a bystander, someone who wants to stop harming). For each label,
recall and precision per language and overall, and the phrase book's recall alone beside them (the net must not
be the only thing that knows). tests/bot/test_situation_held_out.py holds the floors; bench/situation_report.py
prints the figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from actions.find_services import INTENT_NEEDS
from tools.danger_sets import parse

LABELS = (
    "male_victim", "lgbt", "bamer", "older_adult", "young_person", "child", "deaf_disabled", "pregnancy",
    "honour_forced_marriage", "sexual_violence", "stalking", "economic_abuse", "housing_refuge",
    "substance_mental_health", "perpetrator", "bystander",
)  # fmt: skip
PHRASE_BOOK = "SituationExtractor"


def examples_of(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]


def labels_found(parsed: dict[str, Any], extractor: str | None = None) -> set[str]:
    needs = {
        e["value"]
        for e in parsed.get("entities") or []
        if e["entity"] == "need" and (extractor is None or e.get("extractor") == extractor)
    }
    implied = INTENT_NEEDS.get((parsed.get("intent") or {}).get("name") or "")
    return (needs | ({implied} if implied and extractor is None else set())) & set(LABELS)


def _total(counter: Counter, label: str | None) -> int:
    return counter[label] if label is not None else sum(counter.values())


@dataclass
class Counts:
    true_positive: Counter = field(default_factory=Counter)
    false_positive: Counter = field(default_factory=Counter)
    false_negative: Counter = field(default_factory=Counter)
    phrase_book_hits: Counter = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in ("true_positive", "false_positive", "false_negative", "phrase_book_hits"):
            getattr(self, name).update(getattr(other, name))
        self.wrong += other.wrong

    def recall(self, label: str | None = None) -> float:
        """Of one label, or of all of them together."""
        found = _total(self.true_positive, label)
        return found / max(1, found + _total(self.false_negative, label))

    def precision(self, label: str | None = None) -> float:
        found = _total(self.true_positive, label)
        return found / max(1, found + _total(self.false_positive, label))

    def phrase_book_recall(self, label: str) -> float:
        return self.phrase_book_hits[label] / max(1, self.true_positive[label] + self.false_negative[label])

    def line(self, label: str) -> str:
        return (
            f"{label:<24} recall {self.recall(label):.2f} precision {self.precision(label):.2f} "
            f"(of {self.true_positive[label] + self.false_negative[label]}; phrase book alone "
            f"{self.phrase_book_recall(label):.2f})"
        )


def measure(agent: Any, path: Path) -> Counts:
    examples = examples_of(path)
    counts = Counts()
    for example, parsed in zip(examples, parse(agent, [e["text"] for e in examples])):
        wanted, found = set(example["labels"]), labels_found(parsed)
        counts.true_positive.update(wanted & found)
        counts.false_negative.update(wanted - found)
        counts.false_positive.update(found - wanted)
        counts.phrase_book_hits.update(wanted & labels_found(parsed, PHRASE_BOOK))
        if wanted != found:
            counts.wrong.append(f"{example['text']} (wanted {sorted(wanted)}, got {sorted(found)})")
    return counts
