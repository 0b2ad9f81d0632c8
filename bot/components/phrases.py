"""The phrase book: per-language phrase lists in bot/phrases/<language>.yml, merged for matching.

One loader serves the situation extractor (needs, abuse types) and the safety override (danger, exit, ANI), so
both always read the same lists.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from common.text import fold_letters, normalise

PHRASES_DIR = Path(__file__).resolve().parent.parent / "phrases"
# The kinds of danger a phrase list may name, and the advice each brings after the 999 reply (the danger_advice
# slot and its utter_danger_<advice> responses). Kinds not named here get the 999 reply alone.
DANGER_ADVICE = {
    "threat_to_kill": "general",
    "weapon": "general",
    "abuser_present": "general",
    "locked_in": "general",
    "cannot_speak": "general",
    "general": "general",
    "strangulation": "injury",
    "injury": "injury",
    "suicidal": "suicidal",
    "child_in_danger": "child",
    "followed": "followed",
}
# When one message holds several kinds, the advice that matters most: pills or a plan to die first, then injury.
ADVICE_PRIORITY = ("suicidal", "injury", "child", "followed", "general")


@dataclass(frozen=True)
class PhraseBook:
    needs: dict[str, tuple[str, ...]]
    abuse_types: dict[str, tuple[str, ...]]
    # who is writing and about whom: entity (writer, writer_gender, partner_gender) -> value -> phrases
    who: dict[str, dict[str, tuple[str, ...]]]
    # first word -> (normalised phrase, its kind of danger) for the phrases that start with it
    danger_phrases: dict[str, tuple[tuple[str, str], ...]]
    # first word -> normalised statements of not being in danger ("not in danger"): a danger phrase inside one
    # ("in danger right now" in "i'm not in danger right now") does not count
    safe_statements: dict[str, tuple[str, ...]]
    exit_words: dict[str, frozenset[str]]  # normalised exit word -> the languages that list it
    ani_codewords: frozenset[str]
    language_names: dict[str, str]  # normalised name -> language code
    vocabulary: dict[str, frozenset[str]]  # language -> common words that identify it


def _strings(path: Path, key: str, items) -> list[str]:
    """YAML reads unquoted yes/no/on/off as booleans and numbers as numbers: refuse them by name."""
    items = items or []
    wrong = [item for item in items if not isinstance(item, str)]
    if wrong:
        raise ValueError(f"{path.name}, {key}: quote these entries so they stay words: {wrong}")
    return items


def _by_first_word(phrases: Iterable[tuple[str, str]]) -> dict[str, tuple[tuple[str, str], ...]]:
    """A message can only hold a phrase whose first word it holds: the keyword check looks at those alone, not
    at every phrase of every language for every message."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for phrase, kind in dict.fromkeys(p for p in phrases if p[0]):
        grouped.setdefault(phrase.split()[0], []).append((phrase, kind))
    return {word: tuple(group) for word, group in grouped.items()}


def _danger_phrases(path: Path, book: dict) -> list[tuple[str, str]]:
    kinds = book.get("danger_phrases") or {}
    unknown = set(kinds) - set(DANGER_ADVICE)
    if not isinstance(kinds, dict) or unknown:
        raise ValueError(f"{path.name}, danger_phrases: a mapping of kinds {sorted(DANGER_ADVICE)}; unknown: {unknown}")
    return [
        (normalise(phrase), kind)
        for kind, phrases in kinds.items()
        for phrase in _strings(path, f"danger_phrases.{kind}", phrases)
    ]


def _folded(phrases: list[str]) -> tuple[str, ...]:
    """As the matcher reads text: lower case, letters folded, each phrase once."""
    return tuple(dict.fromkeys(fold_letters(p.lower()) for p in phrases))


@functools.cache
def load_phrase_book(directory: Path = PHRASES_DIR) -> PhraseBook:
    needs: dict[str, list[str]] = {}
    abuse_types: dict[str, list[str]] = {}
    who: dict[str, dict[str, list[str]]] = {}
    danger: list[tuple[str, str]] = []
    safe: list[str] = []
    exits: dict[str, set[str]] = {}
    ani: set[str] = set()
    names: dict[str, str] = {}
    vocabulary: dict[str, set[str]] = {}
    for path in sorted(directory.glob("*.yml")):
        book = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for code, phrases in (book.get("needs") or {}).items():
            needs.setdefault(code, []).extend(_strings(path, f"needs.{code}", phrases))
        for code, phrases in (book.get("abuse_types") or {}).items():
            abuse_types.setdefault(code, []).extend(_strings(path, f"abuse_types.{code}", phrases))
        for entity, values in (book.get("who") or {}).items():
            for value, phrases in values.items():
                listed = _strings(path, f"who.{entity}.{value}", phrases)
                who.setdefault(entity, {}).setdefault(value, []).extend(listed)
        danger.extend(_danger_phrases(path, book))
        safe.extend(normalise(p) for p in _strings(path, "safe_statements", book.get("safe_statements")))
        for word in _strings(path, "exit_words", book.get("exit_words")):
            exits.setdefault(normalise(word), set()).add(book["language"])
        ani.update(normalise(word) for word in _strings(path, "ani_codewords", book.get("ani_codewords")))
        for code, spellings in (book.get("language_names") or {}).items():
            names.update({normalise(name): code for name in _strings(path, f"language_names.{code}", spellings)})
        words = _strings(path, "vocabulary", book.get("vocabulary"))
        vocabulary.setdefault(book["language"], set()).update(normalise(word) for word in words)
    return PhraseBook(
        needs={code: _folded(phrases) for code, phrases in needs.items()},
        abuse_types={code: _folded(phrases) for code, phrases in abuse_types.items()},
        who={entity: {value: _folded(phrases) for value, phrases in values.items()} for entity, values in who.items()},
        danger_phrases=_by_first_word(danger),
        safe_statements={
            word: tuple(phrase for phrase, _ in group) for word, group in _by_first_word((p, "") for p in safe).items()
        },
        exit_words={word: frozenset(languages) for word, languages in exits.items()},
        ani_codewords=frozenset(ani),
        language_names=names,
        vocabulary={language: frozenset(words) for language, words in vocabulary.items()},
    )
