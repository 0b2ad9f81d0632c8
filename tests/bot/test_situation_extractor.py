"""The situation extractor: needs, kinds of abuse, ages and places from the person's own words."""

import pytest
import spacy
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.components.situation_extractor import SituationExtractor


@pytest.fixture(scope="module")
def extract():
    extractor = SituationExtractor({})
    model = SpacyModel(model=spacy.blank("xx"), model_name="blank")

    def run(text):
        message = Message({TEXT: text})
        extractor.process([message], model)
        return {(e["entity"], e["value"]) for e in message.get("entities", [])}

    return run


@pytest.fixture(autouse=True)
def catalogue(sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))


@pytest.mark.parametrize(
    "text, need",
    [
        ("I'm a bloke and my wife hits me", "male_victim"),
        ("I’m a man and she hits me", "male_victim"),
        ("we're both women", "lgbt"),
        ("I'm 81 and my grandson takes my pension", "older_adult"),
        ("I'm 81 and my grandson takes my pension", "economic_abuse"),
        ("I'm 14", "young_person"),
        ("im 9 and my dad hits mum", "child"),
        ("they're forcing me to marry", "honour_forced_marriage"),
        ("أنا رجل وزوجتي تضربني", "male_victim"),  # hamza on alef, as many type it; the list spells it "انا رجل"
        ("انا رجل وزوجتي تضربني", "male_victim"),
    ],
)
def test_needs(extract, text, need):
    assert ("need", need) in extract(text)


def test_weeks_pregnant_is_not_an_age(extract):
    found = extract("I'm 5 weeks pregnant")
    assert ("need", "child") not in found


def test_places_and_postcodes(extract):
    assert ("place", "Aylesbury") in extract("I live in Aylesbury")
    assert ("place", "HP21 8AB") in extract("my postcode is hp21 8ab")


@pytest.mark.parametrize(
    "text, place",
    [
        ("میں ہائی وائیکمب میں رہتی ہوں", "ہائی وائیکمب"),
        ("انا ساكنة في هاي ويكومب", "هاي ويكومب"),
        ("ਮੈਂ ਹਾਈ ਵਿਕਮ ਵਿੱਚ ਰਹਿੰਦੀ ਹਾਂ", "ਹਾਈ ਵਿਕਮ"),
        ("আমি হাই উইকমে থাকি", "হাই উইকমে"),
    ],
)
def test_town_names_in_other_scripts(extract, text, place):
    assert {value for kind, value in extract(text) if kind == "place"} == {place}


def test_a_place_inside_a_longer_place_name_is_not_a_place_of_its_own(extract):
    # Urdu writes Buckinghamshire as two words, the first of them the town of Buckingham.
    assert {value for kind, value in extract("بکنگھم شائر میں کہیں") if kind == "place"} == {"بکنگھم شائر"}


def test_nothing_found_in_an_ordinary_message(extract):
    assert {kind for kind, _ in extract("hello")} == set()


def test_a_letter_sent_as_one_character_matches_the_lists_two(extract):
    composed = "আমি \u0986\u09df\u09b2\u09b8\u09ac\u09be\u09b0\u09bf থাকি"  # য় as U+09DF, as some phones send it
    places = {value for kind, value in extract(composed) if kind == "place"}
    assert places == {"\u0986\u09af\u09bc\u09b2\u09b8\u09ac\u09be\u09b0\u09bf"}  # the lists' two characters
