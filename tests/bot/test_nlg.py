"""The response generator: the language beats the channel, and Roman Urdu writers are offered Urdu."""

import asyncio
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlg import LANGUAGE_OFFER, AssistantNLG
from common.response_variations import choose_variation

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "bot/domain"))


def tracker(*events):
    state = DialogueStateTracker("nlg-test", DOMAIN.slots)
    for event in events:
        state.update(event)
    return state


def generate(action, state, channel="rest"):
    return asyncio.run(AssistantNLG(domain=DOMAIN).generate(action, state, channel))


ROMAN_URDU = UserUttered(
    "mera shohar mujhe maarta hai",
    intent={"name": "seek_help"},
    entities=[{"entity": "writing", "value": "roman_urdu"}],
)


def test_roman_urdu_gets_the_offer_once_per_turn():
    first = generate("utter_helpline_intro", tracker(ROMAN_URDU))
    assert "0808 2000 247" in first["text"] and "اردو" in first["text"]
    assert [b["payload"] for b in first["buttons"]][-1] == '/choose_language{"language": "ur"}'
    later = generate("utter_helpline_intro", tracker(ROMAN_URDU, BotUttered("first reply")))
    assert "اردو" not in later["text"]


def test_no_offer_on_danger_or_once_a_language_is_chosen():
    assert "اردو" not in generate("utter_danger", tracker(ROMAN_URDU))["text"]
    chosen = UserUttered("/choose_language", intent={"name": "choose_language"})
    assert "اردو" not in generate("utter_helpline_intro", tracker(chosen, ROMAN_URDU))["text"]


def test_no_offer_for_english():
    english = UserUttered("my husband hits me", intent={"name": "seek_help"})
    assert generate("utter_helpline_intro", tracker(english))["text"].count("\n") == 1


@pytest.mark.parametrize(
    "slots, channel, expected",
    [
        ({"language": "pl"}, "sms", "pl"),
        ({"language": "en"}, "sms", "sms"),
        ({"language": "en"}, "rest", "default"),
    ],
)
def test_the_language_wins_over_the_channel(slots, channel, expected):
    variations = [
        {"text": "default"},
        {"text": "sms", "channel": "sms"},
        {"text": "pl", "condition": [{"type": "slot", "name": "language", "value": "pl"}]},
    ]
    assert choose_variation(variations, slots, channel)["text"] == expected


def test_the_offer_exists_in_the_domain():
    assert LANGUAGE_OFFER in DOMAIN.responses


def test_each_reply_says_which_language_it_is_in():
    polish = generate("utter_greet", tracker(SlotSet("language", "pl")), channel="web")
    assert polish["language"] == "pl" and "Dzień dobry" in polish["text"]
    assert generate("utter_greet", tracker(), channel="sms")["language"] == "en"
    assert generate("utter_helpline_intro", tracker(ROMAN_URDU))["language"] == "en"  # with the offer added
