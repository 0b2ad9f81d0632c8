"""action_find_services: the services for the needs and place the person has described so far."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from services_catalogue.query import NATIONAL, ServiceView

from .catalogue import look_up
from .responses import render, responses

logger = logging.getLogger(__name__)

# Needs the intent itself implies for this turn only: a bystander who then says "actually it's me" is not
# still a bystander.
INTENT_NEEDS = {"want_to_stop_harming": "perpetrator", "bystander": "bystander", "clares_law": "clares_law"}
LASTING_NEEDS_EXCLUDED = set(INTENT_NEEDS.values())
CONTACT_RESPONSES = {
    "voice": "contact_voice",
    "text": "contact_text",
    "textphone": "contact_textphone",
    "video": "contact_video",
}


WRITERS_FOR_SOMEONE_ELSE = {"employer", "professional"}


def needs_from_genders(needs: list[str], writer_gender: str | None, partner_gender: str | None) -> list[str]:
    """A person writing about themselves: their own gender and their partner's decide male_victim and lgbt, and
    a later turn corrects an earlier one ("my girlfriend hits me" ... "i'm a girl btw": lgbt, not male_victim)."""
    if writer_gender == "woman":
        needs = [n for n in needs if n != "male_victim"]
    elif writer_gender == "man":
        needs = needs + ["male_victim"]
    if writer_gender and writer_gender == partner_gender:
        needs = needs + ["lgbt"]
    return list(dict.fromkeys(needs))


def needs_for_turn(tracker: Tracker) -> tuple[list[str], list[str]]:
    """(needs to search for now, needs to remember)."""
    remembered = [n for n in tracker.get_slot("needs") or [] if n not in LASTING_NEEDS_EXCLUDED]
    said = [e["value"] for e in tracker.latest_message.get("entities", []) if e.get("entity") == "need"]
    lasting = list(dict.fromkeys(remembered + [n for n in said if n not in LASTING_NEEDS_EXCLUDED]))
    implied = INTENT_NEEDS.get((tracker.latest_message.get("intent") or {}).get("name") or "")
    if implied != "bystander" and tracker.get_slot("writer") not in WRITERS_FOR_SOMEONE_ELSE:
        lasting = needs_from_genders(lasting, tracker.get_slot("writer_gender"), tracker.get_slot("partner_gender"))
    now = list(
        dict.fromkeys(lasting + [n for n in said if n in LASTING_NEEDS_EXCLUDED] + ([implied] if implied else []))
    )
    return now, lasting


SITUATION_PREFIX = "situation_"
# An SMS has room for the services only; the web chat says what matters for the situation first.
NO_SITUATION_LINES_ON = {"sms"}


def situation_lines(tracker: Tracker, lasting: list[str]) -> list[str]:
    """The `situation_<label>` responses for labels given for the first time in this conversation, in the order
    the domain lists them: said once, not on every turn that mentions the same thing."""
    before = set(tracker.get_slot("needs") or [])
    new = set(lasting) - before
    return [name for name in responses() if name.startswith(SITUATION_PREFIX) and name[len(SITUATION_PREFIX) :] in new]


def place_text(tracker: Tracker) -> str | None:
    places = [e["value"] for e in tracker.latest_message.get("entities", []) if e.get("entity") == "place"]
    return places[0] if places else None


def numbers_given_this_turn(tracker: Tracker) -> str:
    texts = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            texts.append(event.get("text") or "")
    return " ".join(texts)


class ActionFindServices(Action):
    def name(self) -> str:
        return "action_find_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            return await self._find(dispatcher, tracker)
        except Exception as error:  # a calm reply with the helpline, never a failed turn
            logger.error("action_find_services failed: %s", type(error).__name__)
            dispatcher.utter_message(response="catalogue_unavailable")
            return []

    async def _find(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        slots = {"language": tracker.get_slot("language") or "en"}
        channel = tracker.get_latest_input_channel()
        needs, lasting = needs_for_turn(tracker)
        lookup = await look_up(needs, place_text(tracker), tracker.get_slot("area"), slots["language"])
        if lookup is None:
            dispatcher.utter_message(response="catalogue_unavailable")
            return []
        place = lookup.place
        place_name = place.name if place else tracker.get_slot("place_name")
        if place and not place.inside_county:
            heading = render("services_outside_county", slots, channel, place=place.name)
        elif place_name:
            heading = render("services_heading_place", slots, channel, place=place_name)
        else:
            heading = render("services_heading", slots, channel)
        language = slots["language"]  # said with each reply, as the response generator does (bot/nlg.py)
        if channel not in NO_SITUATION_LINES_ON:
            for name in situation_lines(tracker, lasting):
                dispatcher.utter_message(text=render(name, slots, channel), language=language)
        said_already = numbers_given_this_turn(tracker) + " ".join(m.get("text") or "" for m in dispatcher.messages)
        services = [s for s in lookup.services if not _all_numbers_in(s, said_already)]
        if services:
            dispatcher.utter_message(text=heading, language=language)
            for service in services:
                dispatcher.utter_message(text=service_card(service, slots, channel), language=language)
        if not place_name:
            dispatcher.utter_message(text=render("services_ask_place", slots, channel), language=language)
        events = [SlotSet("needs", lasting)]
        if place:
            area = list(place.area_codes) if place.inside_county else [NATIONAL]
            events += [SlotSet("area", area), SlotSet("place_name", place.name)]
        return events


def _all_numbers_in(service: ServiceView, text: str) -> bool:
    return bool(service.phones) and not service.url and all(p.number in text for p in service.phones)


def service_card(service: ServiceView, slots: dict[str, Any], channel: str | None) -> str:
    contacts = [
        render(CONTACT_RESPONSES[p.type], slots, channel, number=p.number)
        + (f" ({p.description})" if p.description else "")
        for p in service.phones
    ]
    if service.url:
        contacts.append(render("contact_website", slots, channel, url=service.url))
    if service.always_open:
        contacts.append(render("hours_always", slots, channel))
    elif service.hours:
        contacts.append(render("hours_known", slots, channel, hours=service.hours))
    else:
        contacts.append(render("hours_unknown", slots, channel))
    description = service.description
    if service.description_language != slots["language"] and slots["language"] != "en":
        note = render("description_in_english", slots, channel)
        description = f"{description} {note}"
    return render(
        "service_card", slots, channel, name=service.name, description=description, contacts="\n".join(contacts)
    )
