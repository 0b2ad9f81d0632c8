"""Every response in every language side by side, as CSV, for a council translator to review.

    .venv/bin/python -m tools.translations_report [PATH]      (make translations-report)

One row per response variation (the response name, plus its channel and any condition other than the language),
one column per language; button titles follow the text after a blank line. Then the channels' own texts, which
live outside the domain: the SMS channel's (bot/channels/channel_texts.yml) and the web widget's interface.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from rasa.shared.core.domain import Domain

from bot.channels.channel_texts import TEXTS as CHANNEL_TEXTS
from common.languages import LANGUAGES
from website.widget_texts import every_language, flat

ROOT = Path(__file__).resolve().parent.parent


def language_of(variation: dict) -> str:
    for condition in variation.get("condition") or []:
        if condition.get("name") == "language":
            return condition["value"]
    return "en"


def variant_of(variation: dict) -> str:
    others = [f"{c['name']}={c['value']}" for c in variation.get("condition") or [] if c.get("name") != "language"]
    if variation.get("channel"):
        others.append(f"channel={variation['channel']}")
    return ", ".join(others)


def rows(domain: Domain) -> list[dict[str, str]]:
    table: dict[tuple[str, str], dict[str, str]] = {}
    for name, variations in sorted(domain.responses.items()):
        for variation in variations:
            text = variation.get("text") or ""
            titles = [button["title"] for button in variation.get("buttons") or []]
            cell = text + ("\n\nButtons: " + " | ".join(titles) if titles else "")
            key = (name, variant_of(variation))
            table.setdefault(key, {"response": name, "variant": key[1]})[language_of(variation)] = cell
    return list(table.values())


def channel_rows() -> list[dict[str, str]]:
    sms = [{"response": f"Channels: {name}", "variant": "", **texts} for name, texts in CHANNEL_TEXTS.items()]
    widget = {language: flat(words) for language, words in every_language().items()}
    web = [
        {
            "response": f"web chat widget: {key}",
            "variant": "",
            **{language: words.get(key, "") for language, words in widget.items()},
        }
        for key in widget["en"]
    ]
    return sms + web


def write(path: Path) -> int:
    domain = Domain.load(str(ROOT / "bot" / "domain"))
    found = rows(domain) + channel_rows()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as out:  # the BOM lets Excel read the scripts right
        writer = csv.DictWriter(out, fieldnames=["response", "variant", *LANGUAGES])
        writer.writeheader()
        writer.writerows(found)
    return len(found)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/translations.csv")
    print(f"Wrote {write(target)} rows (response variations and channel texts) to {target}.")
