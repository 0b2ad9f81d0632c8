"""End to end through the real REST channel: Rasa, the action server and the catalogue running."""

import uuid

import pytest

pytestmark = pytest.mark.stack


def new_sender():
    return uuid.uuid4().hex


@pytest.mark.parametrize(
    "message, number",
    [
        ("I'm a bloke and my wife hits me", "0808 801 0327"),
        ("we're both women and she hurts me", "0800 999 5428"),
        ("they're forcing me to marry my cousin", "0800 5999 247"),
        ("im 14 and my boyfriend checks my phone all the time", "0800 1111"),
        ("he keeps following me and turning up at my work", "0808 802 0300"),
        ("I lose my temper and hit my girlfriend, I want to stop", "respectphoneline.org.uk"),
    ],
)
def test_a_need_reaches_its_specialist(rasa_stack, message, number):
    reply = rasa_stack.reply_text(new_sender(), message)
    assert number in reply
    assert "0808 2000 247" in reply


def test_an_older_person_gets_the_helpline_and_no_unconfirmed_number(rasa_stack):
    # Hourglass is a draft until staff confirm its number (knowledge.md finds no source for it).
    reply = rasa_stack.reply_text(new_sender(), "I'm 81 and my grandson takes my pension")
    assert "0808 2000 247" in reply
    assert "0808 808 8141" not in reply


@pytest.mark.parametrize("message", ["he's got a knife", "he's going to kill me", "he's here now", "I can't talk"])
def test_danger_gets_999_and_the_silent_solution(rasa_stack, message):
    reply = rasa_stack.reply_text(new_sender(), message)
    assert "999" in reply and "55" in reply and "18000" in reply


def test_danger_wins_in_the_middle_of_a_conversation(rasa_stack):
    sender = new_sender()
    rasa_stack.reply_text(sender, "hi")
    rasa_stack.reply_text(sender, "I'm a bloke and my wife hits me")
    assert "press 55" in rasa_stack.reply_text(sender, "she's got a knife")


def test_the_ani_codeword_is_immediate_help(rasa_stack):
    reply = rasa_stack.reply_text(new_sender(), "ANI")
    assert reply.startswith("Call 999 now") and "55" in reply


def test_a_place_narrows_local_results_and_outside_the_county_gives_national(rasa_stack):
    sender = new_sender()
    rasa_stack.reply_text(sender, "I'm a bloke and my wife hits me")
    assert "near Aylesbury" in rasa_stack.reply_text(sender, "I live in Aylesbury")
    other = new_sender()
    rasa_stack.reply_text(other, "I'm a bloke and my wife hits me")
    outside = rasa_stack.reply_text(other, "M1 1AE")
    assert "outside Buckinghamshire" in outside and "0808 801 0327" in outside


def test_quick_exit_forgets_the_conversation(rasa_stack):
    sender = new_sender()
    rasa_stack.reply_text(sender, "I'm a bloke and my wife hits me")
    assert rasa_stack.reply_text(sender, "exit") == "Closed."
    # A fresh conversation has no needs: a town alone now gives the general helpline, not the Men's Advice Line.
    assert "0808 801 0327" not in rasa_stack.reply_text(sender, "Aylesbury")


def test_the_opening_and_not_understood(rasa_stack):
    sender = new_sender()
    opening = rasa_stack.send(sender, "hello")
    assert "not an emergency service" in opening[0]["text"] and opening[0]["buttons"]
    reply = rasa_stack.reply_text(new_sender(), "purple monkey dishwasher lamp")
    assert "0808 2000 247" in reply and "999" in reply
