"""Fitting replies into SMS: which encoding a text needs, what it costs, and where it is split."""

import pytest

from bot.channels.sms_text import (
    MAX_SEGMENTS,
    chosen_number,
    encoding,
    in_reading_order,
    numbered_options,
    segments,
    split_for_sms,
)

URDU_DANGER = "اگر آپ خطرے میں ہیں تو 999 پر کال کریں۔"
ENGLISH = (
    "If you are in danger now, call 999. If you can't speak, cough or tap, then press 55 on a mobile when "
    "asked. The National Domestic Abuse Helpline is free and open 24 hours: 0808 2000 247."
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Call 999 now.", "gsm7"),
        ("Price £5, café, Ñ, ¿qué? {braces} [brackets] ~ | ^ € \\", "gsm7"),  # basic set and extension table
        (URDU_DANGER, "ucs2"),
        ("مساعدة", "ucs2"),  # Arabic
        ("সাহায্য", "ucs2"),  # Bengali
        ("ਮਦਦ", "ucs2"),  # Punjabi (Gurmukhi)
        ("Pomoc: ą ę", "ucs2"),  # Polish letters are outside GSM-7
        ("Stay safe 🙂", "ucs2"),
    ],
)
def test_encoding(text, expected):
    assert encoding(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("€" * 80, 1),
        ("€" * 81, 2),  # extension characters take two septets
        ("ب" * 70, 1),
        ("ب" * 71, 2),
        ("ب" * 134, 2),
        ("ب" * 135, 3),
        ("ب" * 201, 3),
        ("ب" * 202, 4),
        ("🙂" * 35, 1),
        ("🙂" * 36, 2),  # a surrogate pair is two UCS-2 units
    ],
)
def test_segments(text, expected):
    assert segments(text) == expected


def test_an_escape_pair_never_straddles_two_segments():
    # 152 septets then a two-septet character: it moves to the second segment whole.
    assert segments("a" * 152 + "€" + "a" * 150) == 2
    assert segments("a" * 152 + "€" + "a" * 152) == 3


def test_short_text_is_one_message_unchanged():
    assert split_for_sms("Closed.") == ["Closed."]


def test_english_is_split_at_sentence_boundaries_within_the_budget():
    text = " ".join([ENGLISH] * 4)
    messages = split_for_sms(text)
    assert len(messages) > 1
    assert all(segments(m) <= MAX_SEGMENTS for m in messages)
    assert all(m.endswith(".") for m in messages)  # every break is after a sentence
    assert " ".join(messages) == text


def test_urdu_is_split_at_the_urdu_full_stop_within_the_ucs2_budget():
    text = " ".join([URDU_DANGER] * 12)
    messages = split_for_sms(text)
    assert all(encoding(m) == "ucs2" and segments(m) <= MAX_SEGMENTS for m in messages)
    assert all(len(m) <= 3 * 67 for m in messages)
    assert all(m.endswith("۔") for m in messages)
    assert " ".join(messages) == text


def test_lines_stay_whole_when_they_fit():
    lines = ["Hello.", "Reply 1 for Yes, I can talk", "Reply 2 for No, not now"]
    assert split_for_sms("\n".join(lines)) == ["\n".join(lines)]


def test_a_sentence_longer_than_the_budget_breaks_between_words():
    text = " ".join(["word"] * 300)
    messages = split_for_sms(text)
    assert all(segments(m) <= MAX_SEGMENTS for m in messages)
    assert all(not m.startswith(" ") and not m.endswith(" ") for m in messages)
    assert " ".join(messages) == text


def test_an_unbroken_run_is_cut_to_fit():
    messages = split_for_sms("x" * 1000)
    assert [len(m) for m in messages] == [459, 459, 82]


def test_typography_is_made_plain_so_it_stays_gsm7():
    (message,) = split_for_sms("It’s “safe” – call 999…")
    assert message == 'It\'s "safe" - call 999...' and encoding(message) == "gsm7"


def test_numbered_options():
    line = "Reply {number} for {title}"
    assert (
        numbered_options(["Yes, I can talk", "No, not now"], line)
        == "Reply 1 for Yes, I can talk\nReply 2 for No, not now"
    )
    assert numbered_options(["Leave this chat"], line, first=3) == "Reply 3 for Leave this chat"
    assert numbered_options(["{title}"], "Wyślij {number}: {title}") == "Wyślij 1: {title}"  # titles are not patterns


@pytest.mark.parametrize(
    "text, number",
    [
        ("1", 1),
        (" 2 ", 2),
        ("3.", 3),
        ("4)", 4),
        ("۲", 2),
        ("১", 1),
        ("12", 12),
        ("1 please", None),
        ("one", None),
        ("", None),
        ("999 now", None),
        ("123", None),
    ],
)
def test_chosen_number(text, number):
    assert chosen_number(text) == number


def test_a_reply_with_its_options_moves_whole_to_the_next_message_rather_than_splitting():
    first = "A" * 380 + "."
    second = "Anything else?\n" + "\n".join(f"Reply {n} for option number {n}" for n in range(1, 5))
    assert split_for_sms(f"{first}\n\n{second}") == [first, second]


def test_blocks_that_fit_together_share_a_message_without_a_blank_line():
    assert split_for_sms("Cleared.\n\n\nHello.") == ["Cleared.\nHello."]


def test_urdu_and_arabic_lines_start_right_to_left_whatever_their_first_word():
    text = "Clare's Law: پولیس سے پوچھیں\n999 پر کال کریں"
    assert in_reading_order(text, "ur") == "\u200fClare's Law: پولیس سے پوچھیں\n\u200f999 پر کال کریں"
    assert in_reading_order("Silent Solution: 999\n\nاتصل", "ar") == "\u200fSilent Solution: 999\n\n\u200fاتصل"
    assert in_reading_order(text, "pl") == text
