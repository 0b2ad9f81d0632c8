"""Bytes the browser fetches for the chat widget: its script and style, and the Exit this page component's, plus
one language file (texts/<language>.json) when the widget speaks other than English; the largest is counted.

    .venv/bin/python -m bench.widget_size

Goal (issue 5): script + CSS <= 30 KB unminified, with the largest language file. Writes
bench/results/widget_size.md.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from bench.figures import publish

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    "website/components/chat-widget/chat-widget.js",
    "website/components/chat-widget/chat-widget.css",
    "website/components/exit-this-page/exit-this-page.js",
    "website/components/exit-this-page/exit-this-page.css",
]
LANGUAGE_FILES = "website/components/chat-widget/texts"
GOAL_BYTES = 30 * 1024


def widget_bytes() -> dict[str, int]:
    """Every file always fetched, and the largest language file."""
    languages = sorted((ROOT / LANGUAGE_FILES).glob("*.json"), key=lambda path: path.stat().st_size)
    names = FILES + [str(languages[-1].relative_to(ROOT))]
    return {name: (ROOT / name).stat().st_size for name in names}


def main() -> None:
    sizes = widget_bytes()
    total = sum(sizes.values())
    gzipped = sum(len(gzip.compress((ROOT / name).read_bytes(), 9)) for name in sizes)
    lines = ["# Chat widget size (unminified)", "", "| file | bytes |", "|---|---|"]
    lines += [f"| {name} | {size:,} |" for name, size in sizes.items()]
    lines += [
        f"| **total** | **{total:,}** ({total / 1024:.1f} KB; {gzipped:,} bytes gzipped) |",
        "",
        f"Goal: <= {GOAL_BYTES:,} bytes ({'met' if total <= GOAL_BYTES else 'NOT met'}).",
    ]
    publish("widget_size", lines)


if __name__ == "__main__":
    main()
