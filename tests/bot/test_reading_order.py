"""Replies read in the right order: Urdu and Arabic lines start in their own script (so a phone or a browser
that lays a line out by its first letter gets it right to left), and no number touches a mark that a reader can
take for one of its digits (the Bengali and Punjabi danda "।" after 0808 2000 247)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from common.languages import RIGHT_TO_LEFT

ROOT = Path(__file__).resolve().parents[2]
DIGIT_LIKE_MARKS = "।॥|"


def variations():
    for path in sorted((ROOT / "bot/domain").glob("*.yml")):
        for name, items in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).items():
            for variation in items:
                language = next(
                    (c["value"] for c in variation.get("condition") or [] if c.get("name") == "language"), "en"
                )
                texts = [variation.get("text") or ""] + [b.get("title") or "" for b in variation.get("buttons") or []]
                yield (
                    f"{name} ({language}{'/' + variation['channel'] if variation.get('channel') else ''})",
                    language,
                    texts,
                )


def first_strong_direction(line: str) -> str | None:
    for char in line:
        direction = unicodedata.bidirectional(char)
        if direction in ("L", "R", "AL"):
            return "rtl" if direction in ("R", "AL") else "ltr"
    return None


def test_urdu_and_arabic_lines_start_in_their_own_script():
    wrong = [
        f"{where}: {line}"
        for where, language, texts in variations()
        if language in RIGHT_TO_LEFT
        for text in texts
        for line in text.split("\n")
        if first_strong_direction(line) == "ltr"
    ]
    assert wrong == []


@pytest.mark.parametrize("mark", DIGIT_LIKE_MARKS)
def test_no_number_touches_a_mark_that_looks_like_a_digit(mark):
    touching = re.compile(rf"\d{re.escape(mark)}|{re.escape(mark)}\d")
    wrong = [f"{where}: {text}" for where, _, texts in variations() for text in texts if touching.search(text)]
    assert wrong == []
