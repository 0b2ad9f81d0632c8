"""Fitting replies into SMS: encoding, segment counting, splitting at sentence boundaries, numbered options.

The budget: every TwiML <Message> is at most MAX_SEGMENTS (3) segments; a reply may hold several messages.
Concatenated segments carry a 6-byte header, so a segment holds 153 GSM-7 septets or 67 UCS-2 code units
(a lone message: 160 or 70). One character outside GSM-7 (any Urdu, Arabic, Bengali or Punjabi letter, most
emoji) turns the whole message into UCS-2.
"""

from __future__ import annotations

import re

from common.languages import RIGHT_TO_LEFT

MAX_SEGMENTS = 3
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")  # each costs two septets (escape + character)
SINGLE = {"gsm7": 160, "ucs2": 70}
CONCATENATED = {"gsm7": 153, "ucs2": 67}
# What Twilio's smart encoding would swap anyway; swapping first keeps typography from forcing UCS-2.
TYPOGRAPHY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "‑": "-",
        "…": "...",
        "\u00a0": " ",
        "\u2009": " ",
    }
)
# Sentence ends in English and in the scripts we serve: ۔ (Urdu), ؟ (Arabic question mark), । (danda).
SENTENCE_END = re.compile(r"(?<=[.!?۔؟।])\s+")


# A phone lays out each line by its first strong letter: a right-to-left mark first keeps an Urdu or Arabic line
# that starts with a Latin name or a number ("Clare's Law …", "999 …") in right-to-left order.
RLM = "\u200f"


def in_reading_order(text: str, language: str) -> str:
    if language not in RIGHT_TO_LEFT:
        return text
    return "\n".join(RLM + line if line.strip() else line for line in text.split("\n"))


def plain(text: str) -> str:
    return text.translate(TYPOGRAPHY)


def encoding(text: str) -> str:
    return "gsm7" if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text) else "ucs2"


def _unit_costs(text: str, charset: str) -> list[int]:
    if charset == "gsm7":
        return [2 if c in GSM_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]  # UTF-16: astral characters take a surrogate pair


def segments(text: str) -> int:
    """How many SMS segments the text costs. An escape pair or a surrogate pair never straddles two segments."""
    charset = encoding(text)
    costs = _unit_costs(text, charset)
    if sum(costs) <= SINGLE[charset]:
        return 1
    count, used = 1, 0
    for cost in costs:
        if used + cost > CONCATENATED[charset]:
            count, used = count + 1, 0
        used += cost
    return count


def fits(text: str, max_segments: int = MAX_SEGMENTS) -> bool:
    return segments(text) <= max_segments


def _longest_fitting_prefix(text: str, max_segments: int) -> int:
    low, high = 1, len(text)  # a single character always fits
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(text[:middle], max_segments) else (low, middle - 1)
    return low


def _cut(piece: str, max_segments: int) -> list[str]:
    """A piece too long on its own: at spaces if possible, else between characters."""
    words, parts, current = piece.split(" "), [], ""
    for word in words:
        while not fits(word, max_segments):  # one unbroken run longer than the budget
            keep = _longest_fitting_prefix(word, max_segments)
            if current:
                parts.append(current)
                current = ""
            parts.append(word[:keep])
            word = word[keep:]
        candidate = f"{current} {word}" if current else word
        if fits(candidate, max_segments):
            current = candidate
        else:
            parts.append(current)
            current = word
    return parts + ([current] if current else [])


def _pieces(text: str, max_segments: int) -> list[tuple[str, str]]:
    """(separator before, piece): whole lines where they fit, else sentences, else words."""
    pieces: list[tuple[str, str]] = []
    for line in text.split("\n"):
        units = [line] if fits(line, max_segments) else SENTENCE_END.split(line)
        for index, unit in enumerate(units):
            for part_index, part in enumerate(_cut(unit, max_segments)):
                pieces.append(("\n" if index == 0 and part_index == 0 else " ", part))
    return pieces


def split_for_sms(text: str, max_segments: int = MAX_SEGMENTS) -> list[str]:
    """The text as messages of at most `max_segments` segments each.

    Blocks (separated by a blank line: one bot reply with its options) stay whole where a message can hold
    them; a longer block breaks between lines, then sentences, then words."""
    messages: list[str] = []
    current = ""
    for block in plain(text).split("\n\n"):
        block = "\n".join(line.strip() for line in block.split("\n") if line.strip())
        if not block:
            continue
        joined = f"{current}\n{block}" if current else block
        if fits(joined, max_segments):
            current = joined
            continue
        if fits(block, max_segments):
            messages.append(current)
            current = block
            continue
        for separator, piece in _pieces(block, max_segments):
            candidate = current + separator + piece if current else piece
            if fits(candidate, max_segments):
                current = candidate
            else:
                messages.append(current)
                current = piece
    return messages + ([current] if current else [])


def numbered_options(titles: list[str], line: str, first: int = 1) -> str:
    """One line per title, from a pattern with {number} and {title} ("Reply {number} for {title}")."""
    return "\n".join(line.format(number=number, title=title) for number, title in enumerate(titles, start=first))


def chosen_number(text: str) -> int | None:
    """A reply that is only a number ("1", "2.", "۲"), as the option it picks."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", text or "")
    return int(match.group(1)) if match else None
