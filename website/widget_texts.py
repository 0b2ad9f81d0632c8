"""The chat widget's words as Python reads them, for the translations test and report.

Every language's words, English too, are in components/chat-widget/texts/<language>.json, the files the widget
fetches; the Exit this page component's are under `exit`. The script itself holds only which languages it knows
and which of them run right to left, read here so a test can hold them to common/languages.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

COMPONENTS = Path(__file__).resolve().parent / "components"
WIDGET_SCRIPT = COMPONENTS / "chat-widget" / "chat-widget.js"
TEXTS = COMPONENTS / "chat-widget" / "texts"


def script_languages(name: str) -> list[str]:
    """The language codes in the script's `const <name> = ['en', ...]`."""
    match = re.search(rf"const {name} = \[([^\]]*)\]", WIDGET_SCRIPT.read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"{WIDGET_SCRIPT.name} has no list {name}")
    return re.findall(r"'([a-z_]+)'", match.group(1))


def every_language() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(TEXTS.glob("*.json"))}


def flat(words: Any, prefix: str = "") -> dict[str, str]:
    """One entry per string: {"open": ..., "exit.shift.1": ...}."""
    if isinstance(words, str):
        return {prefix: words}
    items = words.items() if isinstance(words, dict) else enumerate(words)
    return {
        name: text
        for key, value in items
        for name, text in flat(value, f"{prefix}.{key}" if prefix else str(key)).items()
    }
