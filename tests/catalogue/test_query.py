"""find_services and resolve_place: the assistant's only way into the catalogue, on SQLite and PostgreSQL."""

import datetime as dt

import pytest

from services_catalogue.db import session_scope
from services_catalogue.query import find_services, resolve_place
from services_catalogue.store import import_records

MONDAY_10AM = dt.datetime(2026, 11, 23, 10, 0)
SUNDAY_10AM = dt.datetime(2026, 11, 22, 10, 0)


def verified_phone(number):
    return {
        "number": number,
        "type": "voice",
        "source": "test fixture page",
        "verified_on": "2026-11-01",
        "verified_by": "Tester",
    }


def add_service(engine, key, needs, areas, status="published", phones=("01296 000000",), **extra):
    record = {
        "key": key,
        "name": key.replace("-", " ").title(),
        "description": f"About {key}",
        "status": status,
        "needs": list(needs),
        "areas": list(areas),
        "phones": [verified_phone(p) for p in phones],
        **extra,
    }
    with session_scope(engine) as session:
        import_records(session, [record])


def keys(services):
    return [s.key for s in services]


def test_specialist_service_for_a_need(engine):
    assert keys(find_services(["male_victim"], engine=engine))[0] == "mens-advice-line"
    assert keys(find_services(["lgbt"], engine=engine))[0] == "galop-lgbt-helpline"


def test_needs_combine(engine):
    found = keys(find_services(["lgbt", "male_victim"], engine=engine))
    assert {"galop-lgbt-helpline", "mens-advice-line"} <= set(found)


def test_a_service_meeting_more_needs_comes_first(engine):
    add_service(engine, "older-mens-group", ["older_adult", "male_victim"], ["national"])
    assert keys(find_services(["older_adult", "male_victim"], engine=engine))[0] == "older-mens-group"


def test_national_helpline_when_nothing_specific_matches(engine):
    assert keys(find_services(["pregnancy"], engine=engine)) == ["national-domestic-abuse-helpline"]
    assert keys(find_services([], engine=engine)) == ["national-domestic-abuse-helpline"]


def test_only_published_services(engine):
    found = keys(find_services(["housing_refuge", "general"], area="aylesbury", engine=engine))
    assert "aylesbury-womens-aid" not in found
    add_service(engine, "draft-stalking-service", ["stalking"], ["national"], status="draft")
    assert "draft-stalking-service" not in keys(find_services(["stalking"], engine=engine))


def test_local_before_county_before_national(engine):
    add_service(engine, "aylesbury-stalking-clinic", ["stalking"], ["aylesbury"])
    add_service(engine, "bucks-stalking-advocates", ["stalking"], ["buckinghamshire"])
    found = find_services(["stalking"], area="aylesbury", engine=engine)
    assert keys(found)[:3] == ["aylesbury-stalking-clinic", "bucks-stalking-advocates", "national-stalking-helpline"]
    assert [s.locality for s in found[:3]] == ["local", "county", "national"]


def test_a_town_service_is_not_offered_elsewhere(engine):
    add_service(engine, "aylesbury-stalking-clinic", ["stalking"], ["aylesbury"])
    assert "aylesbury-stalking-clinic" not in keys(find_services(["stalking"], area="marlow", engine=engine))
    assert "aylesbury-stalking-clinic" not in keys(find_services(["stalking"], engine=engine))


def test_outside_the_county_only_national_services(engine):
    found = keys(find_services(["clares_law"], area="national", engine=engine))
    assert "thames-valley-police-101" not in found
    assert found == ["national-domestic-abuse-helpline"]


def test_open_services_before_closed_and_unknown_between(engine):
    add_service(
        engine,
        "weekday-line",
        ["pregnancy"],
        ["national"],
        schedules=[{"days": ["MO", "TU", "WE", "TH", "FR"], "opens": "09:00", "closes": "17:00"}],
    )
    add_service(engine, "always-line", ["pregnancy"], ["national"], always_open=True)
    add_service(engine, "unknown-hours-line", ["pregnancy"], ["national"])
    assert keys(find_services(["pregnancy"], at=MONDAY_10AM, engine=engine)) == [
        "always-line",
        "weekday-line",
        "unknown-hours-line",
    ]
    on_sunday = find_services(["pregnancy"], at=SUNDAY_10AM, engine=engine)
    assert keys(on_sunday) == ["always-line", "unknown-hours-line", "weekday-line"]
    assert [s.open_now for s in on_sunday] == [True, None, False]
    assert on_sunday[2].hours == "Mon-Fri 09:00-17:00"


def test_order_is_deterministic(engine):
    for key in ("b-line", "a-line", "c-line"):
        add_service(engine, key, ["economic_abuse"], ["national"])
    first = keys(find_services(["economic_abuse"], engine=engine))
    assert first == ["a-line", "b-line", "c-line"]
    assert all(keys(find_services(["economic_abuse"], engine=engine)) == first for _ in range(3))


def test_limit(engine):
    for number in range(8):
        add_service(engine, f"line-{number}", ["economic_abuse"], ["national"])
    assert len(find_services(["economic_abuse"], limit=3, engine=engine)) == 3


def test_description_in_the_persons_language_with_english_fallback(engine):
    add_service(engine, "polish-line", ["bamer"], ["national"], translations={"pl": "Pomoc po polsku"})
    found = {s.key: s for s in find_services(["bamer"], language="pl", engine=engine)}
    assert found["polish-line"].description == "Pomoc po polsku"
    assert found["polish-line"].description_language == "pl"
    english = find_services(["bamer"], language="ar", engine=engine)[0]
    assert english.description_language == "en"


def test_contact_details_come_with_the_result(engine):
    helpline = find_services(["general"], engine=engine)[0]
    assert helpline.phones[0].number == "0808 2000 247"
    assert helpline.always_open


@pytest.mark.parametrize(
    "text, codes, inside",
    [
        ("I live in Aylesbury", ("aylesbury",), True),
        ("we're near high wycombe", ("high-wycombe",), True),
        ("Wycombe", ("high-wycombe",), True),
        ("hp21 8ab", ("aylesbury",), True),
        ("my postcode is HP5", ("chesham",), True),
        ("SL9", ("chalfont-st-peter", "gerrards-cross"), True),
        ("Buckinghamshire", (), True),
        ("M1 1AE", (), False),
        ("میں ہائی وائیکمب میں رہتی ہوں", ("high-wycombe",), True),
        ("بکنگھم شائر میں کہیں", (), True),
        ("میں بکنگھم میں ہوں", ("buckingham",), True),
        ("أنا ساكنة في أيلزبري", ("aylesbury",), True),
        ("ਮੈਂ ਚੈਸ਼ਮ ਵਿੱਚ ਰਹਿੰਦੀ ਹਾਂ", ("chesham",), True),
        ("আমি হাই উইকমে থাকি", ("high-wycombe",), True),
    ],
)
def test_resolve_place(engine, text, codes, inside):
    place = resolve_place(text, engine=engine)
    assert place is not None
    assert (tuple(sorted(place.area_codes)), place.inside_county) == (codes, inside)


def test_no_place_in_text(engine):
    assert resolve_place("he hits me", engine=engine) is None
    assert resolve_place("I'm 14", engine=engine) is None
    assert resolve_place("میرا شوہر مجھے مارتا ہے", engine=engine) is None


def test_seeded_services_carry_their_translations(engine):
    helpline = find_services(["general"], language="pt", engine=engine)[0]
    assert helpline.description_language == "pt" and helpline.description
