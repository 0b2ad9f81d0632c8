"""Rasa's templated responses with two changes: the variation in the person's language wins over a channel
variation (common/response_variations.py), and someone who writes Urdu in Latin letters (Roman Urdu) is offered
replies in English or Urdu with the first reply of each turn, until they choose a language.

Each reply also says which language it is in ("language": "pl"). Rasa passes the extra key on to the output
channel, so the SMS channel gives its own texts, and the web widget its labels, in the person's language."""

from __future__ import annotations

from typing import Any

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from common.response_variations import choose_variation

LANGUAGE_OFFER = "language_offer_roman_urdu"
DEFAULT_LANGUAGE = "en"  # the language slot's initial value
# Replies that must stay exactly as they are: neutral on exit, nothing in the way of 999.
NO_OFFER = {
    "utter_quick_exit",
    "utter_danger",
    "utter_danger_injury",
    "utter_danger_suicidal",
    "utter_danger_child",
    "utter_danger_followed",
    "utter_ani_codeword",
}


def _should_offer(tracker: DialogueStateTracker) -> bool:
    entities = tracker.latest_message.entities if tracker.latest_message else []
    if not any(e.get("entity") == "writing" and e.get("value") == "roman_urdu" for e in entities):
        return False
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            return False  # not the first reply of this turn
        if isinstance(event, UserUttered):
            break
    return not any(isinstance(e, UserUttered) and e.intent_name == "choose_language" for e in tracker.events)


class AssistantNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Domain | None = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    def _random_response_for(
        self, utter_action: str, output_channel: str, filled_slots: dict[str, Any]
    ) -> dict[str, Any] | None:
        return choose_variation(self.responses.get(utter_action) or [], filled_slots, output_channel)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        response = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if response is None:
            return None
        response = {**response, "language": tracker.get_slot("language") or DEFAULT_LANGUAGE}
        if utter_action in NO_OFFER or not _should_offer(tracker):
            return response
        offer = await super().generate(LANGUAGE_OFFER, tracker, output_channel)
        return {
            **response,
            "text": f"{response.get('text') or ''}\n{offer['text']}",
            "buttons": (response.get("buttons") or []) + offer["buttons"],
        }
