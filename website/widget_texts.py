"""The chat widget's words as Python reads them, for the translations test and report.

English is in the scripts themselves (the TEXT objects of chat-widget.js and exit-this-page.js), so the widget
needs nothing more to work in English; the other languages are in components/chat-widget/texts/<language>.json,
the files the widget fetches. There is no build step, so the scripts' constants are read here as data: a small
reader for literals of strings, arrays and objects, which refuses anything else rather than guess.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

COMPONENTS = Path(__file__).resolve().parent / "components"
WIDGET_SCRIPT = COMPONENTS / "chat-widget" / "chat-widget.js"
EXIT_SCRIPT = COMPONENTS / "exit-this-page" / "exit-this-page.js"
TRANSLATIONS = COMPONENTS / "chat-widget" / "texts"

_TOKEN = re.compile(
    r"""(?P<skip>\s+|//[^\n]*)|(?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
    r"""|(?P<key>[A-Za-z_$][\w$]*)|(?P<mark>[{}\[\]:,])"""
)


def script_constant(source: str, name: str) -> Any:
    """The literal assigned by `const <name> = ...` in a script: strings, arrays and objects only."""
    position = source.index(f"const {name} = ") + len(f"const {name} = ")
    pieces: list[str] = []
    depth = 0
    while True:
        token = _TOKEN.match(source, position)
        if token is None:
            raise ValueError(f"{name}: not a literal of strings, arrays and objects at {source[position:][:40]!r}")
        position = token.end()
        kind, text = token.lastgroup, token.group()
        if kind == "skip":
            continue
        if kind == "string":
            pieces.append(json.dumps(ast.literal_eval(text)))
        elif kind == "key":
            pieces.append(json.dumps(text))
        else:
            if text in "}]" and pieces and pieces[-1] == ",":
                pieces.pop()  # a trailing comma, which JSON refuses
            pieces.append(text)
            depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(text, 0)
        if depth == 0:
            return json.loads("".join(pieces))


def english() -> dict[str, Any]:
    words = script_constant(WIDGET_SCRIPT.read_text(encoding="utf-8"), "TEXT")
    return {**words, "exit": script_constant(EXIT_SCRIPT.read_text(encoding="utf-8"), "TEXT")}


def translations() -> dict[str, dict[str, Any]]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(TRANSLATIONS.glob("*.json"))}


def every_language() -> dict[str, dict[str, Any]]:
    return {"en": english(), **translations()}


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
