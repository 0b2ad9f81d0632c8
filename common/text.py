"""Text compared as people type it: one spelling for the variants phones produce, punctuation and optional marks
dropped. Phrase lists, exit words and place names all compare through these two functions."""

from __future__ import annotations

import unicodedata

# Phones type curly apostrophes ("I’m"), and Arabic is typed with or without hamza on alef (أنا / انا), with alef
# maqsura or ya at the end, ta marbuta or ha.
LETTER_FOLDS = str.maketrans({"’": "'", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def fold_letters(text: str) -> str:
    """The spelling variants people type interchangeably, made one. Unicode's compatibility form first: a phone may
    send Bengali য় or a dotted Gurmukhi letter as one character or as two, and the phrase lists use the two."""
    return unicodedata.normalize("NFKC", text or "").translate(LETTER_FOLDS)


# Marks people often leave out, and so dropped when comparing: Arabic (and Urdu) short vowels, tanween, shadda,
# sukun and the tatweel stretch ("فوراً" / "فورا"); Gurmukhi bindi, addak and nukta ("ਨਹੀਂ" / "ਨਹੀ", "ਗੱਲ" / "ਗਲ",
# "ਖ਼ਤਰਾ" / "ਖਤਰਾ"); Bengali chandrabindu ("বাঁচাও" / "বাচাও"). Vowel signs stay: they tell words apart.
OPTIONAL_MARKS = dict.fromkeys([*range(0x064B, 0x0653), 0x0670, 0x0640, 0x0A02, 0x0A71, 0x0A3C, 0x0981])


def _kept(char: str) -> bool:
    # Letters, digits, apostrophes and combining marks: Gurmukhi and Bengali vowel signs are marks, not \w.
    return char.isalnum() or char == "'" or char.isspace() or unicodedata.category(char).startswith("M")


def normalise(text: str) -> str:
    """Lower case, compatibility-folded, punctuation dropped, spaces collapsed: how whole-message commands compare.
    An apostrophe stays only inside a word ("i'm"): one that opens or closes a quotation ('you're dead') goes, so a
    threat someone quotes matches as the same words unquoted."""
    folded = fold_letters(text).casefold().translate(OPTIONAL_MARKS)
    kept = "".join(char if _kept(char) else " " for char in folded)
    return " ".join(word.strip("'") for word in kept.split() if word.strip("'"))
