"""Danger, quick exit and the ANI codeword are caught from the words themselves."""

import pytest

from bot.components.keyword_intents import danger_kinds, keyword_intent
from bot.components.phrases import load_phrase_book
from common.text import normalise


@pytest.mark.parametrize(
    "text", ["he's got a knife", "HE IS GOING TO KILL ME", "hes here now pls", "I can't talk", "i can’t talk he’s here"]
)
def test_danger_anywhere_in_a_message(text):
    assert keyword_intent(text, load_phrase_book()) == "danger"


@pytest.mark.parametrize("text", ["exit", "EXIT!", "Quick exit", "leave", "close"])
def test_exit_commands(text):
    assert keyword_intent(text, load_phrase_book()) == "quick_exit"


@pytest.mark.parametrize("text", ["he won't let me leave", "i want to leave him", "we are close"])
def test_exit_words_inside_a_sentence_are_not_an_exit(text):
    assert keyword_intent(text, load_phrase_book()) != "quick_exit"


@pytest.mark.parametrize("text", ["ANI", "ani", "I need to ask for ANI", "ask for ani"])
def test_the_ani_codeword(text):
    assert keyword_intent(text, load_phrase_book()) == "ani_codeword"


def test_asking_about_ani_is_not_the_codeword():
    assert keyword_intent("what is ask for ani", load_phrase_book()) is None


def test_ordinary_messages_are_left_to_the_classifier():
    assert keyword_intent("my husband controls our money", load_phrase_book()) is None


@pytest.mark.parametrize("text", ["HP21", "hp21 8ab", "M1 1AE", " sl7 "])
def test_a_postcode_alone_is_a_place(text):
    assert keyword_intent(text, load_phrase_book()) == "inform_place"


def test_normalise():
    assert normalise("  Quick   EXIT!! ") == "quick exit"
    assert normalise("I’m") == "i'm"


def test_a_quoted_threat_is_the_same_words_unquoted():
    assert normalise("he texted 'you're dead tonight'") == "he texted you're dead tonight"
    assert normalise("'' ' x") == "x"


def test_vowel_signs_are_kept():
    # Bengali "knife" and "check" differ only in their vowel signs.
    assert normalise("চাকু") != normalise("চেক")


@pytest.mark.parametrize(
    "typed, without_marks",
    [
        ("ساعدوني حالاً", "ساعدوني حالا"),
        ("ਗੱਲ ਨਹੀਂ ਕਰ ਸਕਦੀ", "ਗਲ ਨਹੀ ਕਰ ਸਕਦੀ"),
        ("ਖ਼ਤਰੇ ਵਿੱਚ ਹਾਂ", "ਖਤਰੇ ਵਿਚ ਹਾਂ"),
        ("বাঁচাও", "বাচাও"),
    ],
)
def test_marks_people_leave_out_are_ignored(typed, without_marks):
    # Arabic short vowels and tanween, Gurmukhi bindi, addak and nukta, Bengali chandrabindu.
    assert normalise(typed) == normalise(without_marks)
    assert keyword_intent(without_marks, load_phrase_book()) == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "i'm not in danger right now, I just want advice",
        "nao estou em perigo agora",
        "nu sunt in pericol",
        "انا مش في خطر",
    ],
)
def test_saying_one_is_not_in_danger_is_not_a_danger_phrase(text):
    assert danger_kinds(text, load_phrase_book()) == set()


def test_a_danger_phrase_beside_a_statement_of_safety_still_counts():
    assert danger_kinds("im not in danger but he has a knife", load_phrase_book()) == {"weapon"}
    assert danger_kinds("I'm in danger right now", load_phrase_book()) == {"general"}
