"""Danger sets measured against the trained model: messages from people in danger now, each with its kind.

For a set: which messages get the danger reply, how many the intent classifier recognises alone (the phrase net
switched off: the net must not be the only thing that knows), and whether the advice after the 999 reply fits
the kind. tests/bot/test_danger_held_out.py asserts recall 1.0 on the held-out sets in tests/danger/;
bench/danger_recall.py prints the same figures for them and for the fresh sets in bench/danger_fresh/.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from bot.components import keyword_intents
from bot.components.phrases import DANGER_ADVICE


def messages_of(path: Path) -> list[dict[str, str]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def parse(agent: Any, texts: list[str]) -> list[dict[str, Any]]:
    async def parse_all() -> list[dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse_all())


def advice_of(parsed: dict[str, Any]) -> str | None:
    return next((e["value"] for e in parsed.get("entities") or [] if e["entity"] == "danger_advice"), None)


@dataclass(frozen=True)
class Measured:
    language: str
    total: int
    missed: list[str]
    alone: int  # recognised by the classifier with the phrase net switched off
    advised: int  # messages whose kind has advice of its own
    unfit: list[str]  # of those, the ones given other advice, with the kind and the advice given

    @property
    def recall(self) -> float:
        return 1 - len(self.missed) / self.total

    @property
    def alone_recall(self) -> float:
        return self.alone / self.total

    @property
    def advice_fit(self) -> float:
        return 1 - len(self.unfit) / max(1, self.advised)

    def summary(self) -> str:
        return (
            f"{self.language}: danger recall {self.recall:.3f} ({self.total} messages); "
            f"classifier alone {self.alone_recall:.3f}; advice fits {self.advice_fit:.3f} of {self.advised}"
        )


def measure(agent: Any, path: Path) -> Measured:
    messages = messages_of(path)
    texts = [m["text"] for m in messages]
    parsed = parse(agent, texts)
    with mock.patch.object(keyword_intents, "danger_kinds", lambda text, book: set()):
        alone = [p["intent"]["name"] for p in parse(agent, texts)]
    advised = [(m, p) for m, p in zip(messages, parsed) if DANGER_ADVICE[m["kind"]] != "general"]
    return Measured(
        language=path.stem,
        total=len(texts),
        missed=[m["text"] for m, p in zip(messages, parsed) if p["intent"]["name"] != "danger"],
        alone=sum(intent == "danger" for intent in alone),
        advised=len(advised),
        unfit=[
            f"{m['text']} ({m['kind']}: got {advice_of(p)})"
            for m, p in advised
            if advice_of(p) != DANGER_ADVICE[m["kind"]]
        ],
    )
