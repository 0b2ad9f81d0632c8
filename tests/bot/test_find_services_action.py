"""action_find_services with trackers built here and a seeded temporary catalogue."""

import asyncio
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.find_services import ActionFindServices

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "bot/domain")).as_dict()


@pytest.fixture(autouse=True)
def catalogue(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))


def tracker(text, intent="seek_help", entities=(), slots=None, said_this_turn=()):
    events = [{"event": "user", "text": text}] + [{"event": "bot", "text": t} for t in said_this_turn]
    return Tracker(
        "tester",
        {"language": "en", **(slots or {})},
        {"text": text, "intent": {"name": intent}, "entities": list(entities)},
        events,
        False,
        None,
        {},
        "action_listen",
    )


def need(code):
    return {"entity": "need", "value": code}


def place(text):
    return {"entity": "place", "value": text}


def run(tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionFindServices().run(dispatcher, tracker_, {}))  # Rasa sends no domain
    texts = "\n".join(m.get("text") or m.get("response") or "" for m in dispatcher.messages)
    return texts, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_a_male_victim_gets_the_mens_advice_line():
    texts, slots = run(tracker("im a bloke and my wife hits me", entities=[need("male_victim")]))
    assert "Men's Advice Line" in texts and "Phone: 0808 801 0327" in texts
    assert "Opening hours not confirmed" in texts
    assert "town or postcode" in texts
    assert slots["needs"] == ["male_victim"]


def test_needs_combine_and_are_remembered():
    texts, slots = run(tracker("and we're both men", entities=[need("lgbt")], slots={"needs": ["male_victim"]}))
    assert "Galop" in texts and "Men's Advice Line" in texts
    assert slots["needs"] == ["male_victim", "lgbt"]


def test_a_town_narrows_and_is_remembered():
    texts, slots = run(
        tracker("aylesbury", intent="inform_place", entities=[place("aylesbury")], slots={"needs": ["lgbt"]})
    )
    assert "near Aylesbury" in texts and "0800 999 5428" in texts
    assert slots["area"] == ["aylesbury"] and slots["place_name"] == "Aylesbury"


def test_outside_the_county_only_national_services():
    texts, slots = run(
        tracker("M1 1AE", intent="inform_place", entities=[place("M1 1AE")], slots={"needs": ["clares_law"]})
    )
    assert "outside Buckinghamshire" in texts
    assert slots["area"] == ["national"]


def test_a_bystander_need_lasts_one_turn():
    texts, slots = run(tracker("worried about my sister", intent="bystander"))
    assert "0808 2000 247" in texts
    assert slots["needs"] == []


def test_a_number_just_given_is_not_repeated():
    texts, _ = run(tracker("help", said_this_turn=["The helpline is free: 0808 2000 247."]))
    assert "National Domestic Abuse Helpline" not in texts


def test_the_catalogue_down_still_gives_the_helpline(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    texts, slots = run(tracker("im a bloke", entities=[need("male_victim")]))
    assert texts == "catalogue_unavailable"
    assert "0808 2000 247" in DOMAIN["responses"]["catalogue_unavailable"][0]["text"]
    assert slots == {}


def test_each_text_says_its_language_so_the_channels_can_follow_it():
    dispatcher = CollectingDispatcher()
    asyncio.run(
        ActionFindServices().run(
            dispatcher, tracker("mąż mnie bije", entities=[need("male_victim")], slots={"language": "pl"}), {}
        )
    )
    assert dispatcher.messages and all(message["language"] == "pl" for message in dispatcher.messages)


def situation_text(label: str) -> str:
    return DOMAIN["responses"][f"situation_{label}"][0]["text"]


def test_what_matters_for_a_situation_comes_first_and_once():
    texts, slots = run(tracker("my ex turns up wherever i go", entities=[need("stalking")]))
    assert texts.startswith(situation_text("stalking"))
    again, _ = run(tracker("he was outside again", entities=[need("stalking")], slots={"needs": slots["needs"]}))
    assert situation_text("stalking") not in again


def test_an_sms_has_the_services_without_the_situation_lines():
    sms = tracker("my ex turns up wherever i go", entities=[need("stalking")])
    sms.events[0]["input_channel"] = "sms"
    texts, _ = run(sms)
    assert situation_text("stalking") not in texts and "town or postcode" in texts


def test_a_later_turn_corrects_the_writers_gender():
    # "my girlfriend hits me", then "i'm a girl btw": the men's line gives way to the LGBT+ one.
    texts, slots = run(
        tracker(
            "i'm a girl btw",
            entities=[need("male_victim")],
            slots={"needs": ["male_victim"], "writer_gender": "woman", "partner_gender": "woman"},
        )
    )
    assert slots["needs"] == ["lgbt"]
    assert "Galop" in texts and "Men's Advice Line" not in texts


def test_a_man_harmed_by_a_man_gets_both_lines():
    texts, slots = run(tracker("im a guy btw", slots={"writer_gender": "man", "partner_gender": "man"}))
    assert slots["needs"] == ["male_victim", "lgbt"]
    assert "Galop" in texts and "Men's Advice Line" in texts


def test_genders_do_not_decide_for_someone_writing_about_another_person():
    _, slots = run(
        tracker(
            "one of my staff, a woman, says her wife hurts her",
            intent="bystander",
            slots={"writer": "employer", "writer_gender": "woman", "needs": ["male_victim"]},
        )
    )
    assert slots["needs"] == ["male_victim"]
