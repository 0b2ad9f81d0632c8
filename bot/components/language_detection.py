"""Which of the assistant's languages a message is written in.

Script first (Gurmukhi is Punjabi, Bengali script is Bengali, Arabic script is Urdu or Arabic by their own
letters, vocabulary and langdetect), then, for Latin script, each language's vocabulary, its letters with
diacritics and a seeded langdetect restricted to our languages. Roman Urdu (Urdu or Punjabi typed in Latin
letters) is recognised by its vocabulary. A message with too little evidence ("ok", "1", a name) gives no
answer, so the conversation keeps its language.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from dataclasses import dataclass

from bot.components.phrases import PhraseBook
from common.languages import LANGUAGES
from common.text import normalise

ROMAN_URDU = "ur_latn"
LATIN_LANGUAGES = ("en", "pl", "ro", "pt")
# Letters only one of our Latin-script languages uses.
DISTINCT_LETTERS = {"pl": set("ąćęłńśźż"), "ro": set("ăâîșțşţ"), "pt": set("ãõçêôà")}
# Arabic-script letters Urdu uses and Arabic does not, and the reverse.
URDU_LETTERS = set("ٹڈڑںےۓھہۂیکگچپژ")
ARABIC_LETTERS = set("ةىيكأإآؤئ")
MIN_LATIN_EVIDENCE = 1.0


@dataclass(frozen=True)
class Detection:
    language: str | None  # None: keep the conversation's language
    roman_urdu: bool = False
    chosen: bool = False  # the person named a language to switch to


def _script(char: str) -> str | None:
    code = ord(char)
    if 0x0A00 <= code <= 0x0A7F:
        return "pa"
    if 0x0980 <= code <= 0x09FF:
        return "bn"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return "arabic"
    if char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
        return "latin"
    return None


@functools.lru_cache(maxsize=1)
def _detector_factory():
    """langdetect with only our languages' profiles, seeded so the same text always gives the same answer."""
    from langdetect import detector_factory

    factory = detector_factory.DetectorFactory()
    profiles = []
    for language in LANGUAGES:
        path = os.path.join(detector_factory.PROFILES_DIRECTORY, language)
        with open(path, encoding="utf-8") as profile:
            profiles.append(profile.read())
    factory.load_json_profile(profiles)
    factory.set_seed(0)
    return factory


def langdetect_probabilities(text: str) -> dict[str, float]:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _detector_factory().create()
    detector.append(text)
    try:
        return {result.lang: result.prob for result in detector.get_probabilities()}
    except LangDetectException:
        return {}


def _vocabulary_hits(tokens: list[str], vocabulary: frozenset[str]) -> int:
    return sum(1 for token in tokens if token in vocabulary)


def detect(text: str, book: PhraseBook) -> Detection:
    message = normalise(text)
    if message in book.language_names:
        return Detection(book.language_names[message], chosen=True)
    exit_languages = book.exit_words.get(message, frozenset())
    if len(exit_languages) == 1:  # "خروج" is the Arabic exit word, though nothing in its letters says Arabic
        return Detection(_as_detected(next(iter(exit_languages))))
    scripts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = _script(char)
            if script:
                scripts[script] = scripts.get(script, 0) + 1
    if not scripts:
        return Detection(None)
    script = max(scripts, key=lambda name: scripts[name])
    if script in ("pa", "bn"):
        return Detection(script)
    tokens = message.split()
    if script == "arabic":
        return Detection(_urdu_or_arabic(text, tokens, book))
    return _latin(text, message, tokens, book)


def _as_detected(language: str) -> str | None:
    return None if language == ROMAN_URDU else language


def _urdu_or_arabic(text: str, tokens: list[str], book: PhraseBook) -> str | None:
    letters = set(text)
    urdu: float = len(letters & URDU_LETTERS) + _vocabulary_hits(tokens, book.vocabulary.get("ur", frozenset()))
    arabic: float = len(letters & ARABIC_LETTERS) + _vocabulary_hits(tokens, book.vocabulary.get("ar", frozenset()))
    probabilities = langdetect_probabilities(text)
    urdu += 2 * probabilities.get("ur", 0.0)
    arabic += 2 * probabilities.get("ar", 0.0)
    if urdu == arabic:
        return None  # nothing tells them apart: the conversation keeps its language
    return "ur" if urdu > arabic else "ar"


def _latin(text: str, message: str, tokens: list[str], book: PhraseBook) -> Detection:
    scores = {
        language: float(_vocabulary_hits(tokens, book.vocabulary.get(language, frozenset())))
        for language in LATIN_LANGUAGES + (ROMAN_URDU,)
    }
    for language, letters in DISTINCT_LETTERS.items():
        if letters & set(message):
            scores[language] += 2.0
    if len(message) >= 15 and len(tokens) >= 2:  # statistics on one long "word" (xxxx…) mean nothing
        for language, probability in langdetect_probabilities(text).items():
            if language in LATIN_LANGUAGES:
                scores[language] += 2.0 * probability
    best = max(scores, key=lambda language: (scores[language], language == "en"))
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < MIN_LATIN_EVIDENCE or ranked[0] == ranked[1]:
        return Detection(None)
    if best == ROMAN_URDU:
        return Detection(None, roman_urdu=True)
    return Detection(best)
