"""Every number the assistant, its widget, its demo page and its seed can show comes from ../shared/reference/, and
none that the reference marks as old, superseded, CHECK or not confirmed. Nothing presents Ask for ANI as running.

The reference's own markings decide which numbers are unusable (knowledge.md: the "Phone numbers not confirmed"
list, rows of the numbers table and topic rows marked CHECK alone, outdated and older numbers; helplines.md: rows
marked "check"), so a change there reaches this test without editing it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from website.widget_texts import every_language

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"
# UK numbers (0808 2000 247, 020 7008 0151, 0800 1111), then short codes and service numbers (999, 101, 18000,
# 85258, 116 123). Years and the digits of a time or a count of days are not numbers anyone dials.
UK_NUMBER = re.compile(r"(?<![\d])(?:\+44 ?(?:\(0\) ?)?|0)\d{2,4}(?: ?\d{3,4}){1,2}(?![\d])")
SHORT_NUMBER = re.compile(r"(?<![\w:.,/£])(?:116 123|\d{3,6})(?![\w:%]|\.\d| ?(?:days?|hours?|minutes?|seconds?|%))")
YEAR = re.compile(r"^(19|20)\d\d$")


def digits(number: str) -> str:
    found = re.sub(r"\D", "", number.replace("(0)", ""))
    return "0" + found[2:] if found.startswith("44") else found


def numbers_in(text: str) -> set[str]:
    found = {digits(m.group()) for m in UK_NUMBER.finditer(text)}
    rest = UK_NUMBER.sub(" ", text)
    return found | {digits(m.group()) for m in SHORT_NUMBER.finditer(rest) if not YEAR.match(m.group())}


def _table_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def reference_numbers() -> tuple[set[str], set[str]]:
    """(every number the reference gives, the numbers it marks as not to be used)."""
    known: set[str] = set()
    unusable: set[str] = set()
    knowledge = (REFERENCE / "knowledge.md").read_text(encoding="utf-8")
    for path in sorted(REFERENCE.glob("*.md")):
        known |= numbers_in(path.read_text(encoding="utf-8"))
    section = ""
    for line in knowledge.splitlines():
        if line.startswith("#") or line.startswith("- **"):
            section = line
        cells = _table_cells(line) if line.startswith("|") else []
        if "Phone numbers not confirmed" in section and line.startswith("  - "):
            unusable |= numbers_in(line)
        if re.search(r"outdated|do not use|older sources give|\(older:|old number", line, re.IGNORECASE):
            unusable |= numbers_in(line) - _numbers_called_new(line)
        if cells and cells[-1].upper() == "CHECK" and ("Numbers collected" in section or "number" in cells[0].lower()):
            unusable |= numbers_in(" ".join(cells[:-1]))
    for line in (REFERENCE / "helplines.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and _table_cells(line)[-1] == "check":
            unusable |= numbers_in(line)
    return known, unusable


def _numbers_called_new(line: str) -> set[str]:
    """In a line that names an old number beside a new one ("new freephone 0808 800 1170 ... old 01823 334244"),
    the new one is not the outdated one."""
    new = re.search(r"(?:new|now shows)[^|.;]*?((?:\+44|0)[\d ]{8,})", line, re.IGNORECASE)
    return numbers_in(new.group(1)) if new else set()


def _domain_texts():
    for path in sorted((ROOT / "bot/domain").glob("*.yml")):
        for name, variations in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).items():
            for variation in variations:
                where = f"{path.name}: {name} ({_variation_label(variation)})"
                yield where, variation.get("text") or ""
                for button in variation.get("buttons") or []:
                    yield where + " button", button.get("title") or ""


def _variation_label(variation: dict) -> str:
    languages = [c["value"] for c in variation.get("condition") or [] if c.get("name") == "language"]
    return "/".join([*(languages or ["en"]), *([variation["channel"]] if variation.get("channel") else [])])


def _strings(value, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def _page_text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def _seed_texts():
    """What the seed can show: every published service's words and contact details; a draft's words only, its
    details being for staff to confirm before anyone sees them."""
    seed = yaml.safe_load((ROOT / "services_catalogue/seed/services.yml").read_text(encoding="utf-8"))
    for service in seed["services"]:
        where = f"seed services.yml: {service['key']}"
        for key in ("name", "description", "hours_note"):
            if service.get(key):
                yield where, str(service[key])
        if service.get("status") == "published":
            for phone in service.get("phones") or []:
                yield where + " phone", f"{phone['number']} {phone.get('description') or ''}"
    for path in sorted((ROOT / "services_catalogue/seed/translations").glob("*.yml")):
        yield from _strings(yaml.safe_load(path.read_text(encoding="utf-8")), f"seed translations {path.name}")


def shown_texts() -> list[tuple[str, str]]:
    texts = list(_domain_texts())
    texts += _strings(
        yaml.safe_load((ROOT / "bot/channels/channel_texts.yml").read_text(encoding="utf-8")), "channel_texts"
    )
    texts += _strings(every_language(), "widget texts")
    texts += [
        (f"website/{path.relative_to(ROOT / 'website')}", _page_text(path))
        for path in sorted((ROOT / "website").rglob("*.html"))
    ]
    texts += _seed_texts()
    return texts


def test_the_reference_marks_old_and_unconfirmed_numbers():
    known, unusable = reference_numbers()
    # A few the reference itself names: if these move, the reading of its markings needs a look.
    assert {"08082000247", "999", "116123", "85258"} <= known - unusable
    assert {"01823334244", "08448044999", "08085002222", "08088088141", "08088024040"} <= unusable


def test_every_number_shown_is_in_the_reference_and_usable():
    known, unusable = reference_numbers()
    wrong = [
        f"{where}: {number} ({'marked old, CHECK or unconfirmed' if number in unusable else 'not in the reference'})"
        for where, text in shown_texts()
        for number in sorted(numbers_in(text))
        if number not in known or number in unusable
    ]
    assert wrong == []


def test_the_number_reader_finds_numbers_as_written():
    assert numbers_in("Call 999, or 0808 2000 247. Samaritans 116 123; text SHOUT to 85258") == {
        "999",
        "08082000247",
        "116123",
        "85258",
    }
    assert numbers_in("It takes 28 days, open 24 hours since 2022, 10:00 to 18:00") == set()
    assert numbers_in("+44 (0)20 7008 0151") == {"02070080151"}


ANI = re.compile(r"\bANI\b|(?i:ask for ani)")  # Polish "ani" (nor) and Romanian "ani" (years) are words


@pytest.mark.parametrize("where, text", [t for t in shown_texts() if ANI.search(t[1])], ids=lambda v: v[:60])
def test_ask_for_ani_is_never_presented_as_running(where, text):
    # Every text that names the scheme says that it ended (4 November 2024), in whatever language.
    assert "2024" in text, f"{where} names Ask for ANI without saying it ended: {text[:200]}"


def test_the_codeword_reply_sends_nobody_to_say_it():
    responses = yaml.safe_load((ROOT / "bot/domain/responses_safety.yml").read_text(encoding="utf-8"))["responses"]
    replies = [v["text"] for v in responses["utter_ani_codeword"]]
    assert len(replies) >= 8 and all("999" in text and not ANI.search(text) for text in replies)
