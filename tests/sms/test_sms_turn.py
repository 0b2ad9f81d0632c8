"""One SMS turn with a stand-in bot: keywords, numbered options, the new-conversation notice, failures, and the
channel's own texts in the person's language."""

import asyncio
from types import SimpleNamespace

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import channel_texts, message_length, sms_turn
from bot.channels.sms_text import MAX_SEGMENTS, in_reading_order, segments
from bot.tracker_store import ConversationStore

SENDER = "sms-" + "0" * 64
GREETING = {
    "text": "Is it safe for you to talk now?",
    "buttons": [{"title": "Yes, I can talk", "payload": "/affirm"}, {"title": "No, not now", "payload": "/deny"}],
}
MORE = {"text": "Or:", "buttons": [{"title": "Leave this chat", "payload": "/quick_exit"}]}


class StandInBot:
    """Records what it was asked and answers with fixed replies, locking and keeping the tracker as Rasa does."""

    def __init__(self, agent, replies=(), error=None, delay=0.0, language=None):
        self.agent, self.replies, self.error, self.delay = agent, list(replies), error, delay
        self.language = language  # the language slot this bot sets, as language detection would
        self.heard = []

    async def __call__(self, message):
        self.heard.append(message.text)
        assert message.input_channel == "sms" and message.output_channel.name() == "sms"
        async with self.agent.lock_store.lock(message.sender_id):
            store = self.agent.tracker_store
            tracker = await store.retrieve(message.sender_id) or DialogueStateTracker(message.sender_id, [])
            tracker.update(UserUttered(message.text))
            if self.language:
                tracker.update(SlotSet("language", self.language))
            for index, reply in enumerate(self.replies):
                await message.output_channel.send_response(message.sender_id, dict(reply))
                tracker.update(BotUttered(reply.get("text"), data={"buttons": reply.get("buttons")}))
                if index == 0 and self.delay:
                    await asyncio.sleep(self.delay)
            if self.error:
                raise self.error
            await store.save(tracker)


@pytest.fixture(params=["plain", "wrapped as Rasa wraps it"])
def agent(request, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    conversations = ConversationStore(Domain.empty())
    store = conversations if request.param == "plain" else FailSafeTrackerStore(AwaitableTrackerStore(conversations))
    return SimpleNamespace(tracker_store=store, lock_store=InMemoryLockStore())


def turn(agent, bot, body, opt_out_type=None):
    return asyncio.run(sms_turn.answer(agent, bot, SENDER, body, opt_out_type))


def stored(agent):
    return asyncio.run(agent.tracker_store.retrieve(SENDER))


def test_a_new_conversation_starts_with_the_notice_once(agent):
    bot = StandInBot(agent, [{"text": "Hello."}])
    first = turn(agent, bot, "hi")
    assert first == [channel_texts.text("new_conversation") + "\nHello."]
    assert turn(agent, bot, "hi again") == ["Hello."]
    assert bot.heard == ["hi", "hi again"]


def test_buttons_become_numbered_options_across_the_whole_reply(agent):
    bot = StandInBot(agent, [GREETING, MORE])
    (reply,) = turn(agent, bot, "hi")
    assert reply.endswith(
        "Is it safe for you to talk now?\nReply 1 for Yes, I can talk\nReply 2 for No, not now\n"
        "Or:\nReply 3 for Leave this chat"
    )


@pytest.mark.parametrize(
    "answer, heard", [("1", "/affirm"), ("2.", "/deny"), ("3", "/quick_exit"), ("4", "4"), ("0", "0")]
)
def test_a_number_picks_that_option_of_the_last_reply(agent, answer, heard):
    bot = StandInBot(agent, [GREETING, MORE])
    turn(agent, bot, "hi")
    turn(agent, bot, answer)
    assert bot.heard[-1] == heard


def test_a_number_with_no_options_offered_is_just_text(agent):
    bot = StandInBot(agent, [{"text": "Hello."}])
    turn(agent, bot, "1")
    assert bot.heard == ["1"]


@pytest.mark.parametrize("word", ["EXIT", "clear", "Quick exit"])
def test_exit_wipes_the_conversation_without_the_bot(agent, word):
    bot = StandInBot(agent, [GREETING])
    turn(agent, bot, "hi")
    assert turn(agent, bot, word) == [channel_texts.text("cleared")]
    assert stored(agent) is None
    assert bot.heard == ["hi"]


def test_exit_during_a_slow_turn_waits_for_it_so_nothing_is_saved_afterwards(agent):
    slow = StandInBot(agent, [{"text": "Hello."}], delay=0.3)

    async def scenario():
        earlier = asyncio.create_task(sms_turn.answer(agent, slow, SENDER, "my husband hits me", None))
        await asyncio.sleep(0.05)  # the earlier turn holds the lock now
        cleared = await sms_turn.answer(agent, slow, SENDER, "EXIT", None)
        await earlier
        return cleared

    assert asyncio.run(scenario()) == [channel_texts.text("cleared")]
    assert stored(agent) is None


def test_stop_is_left_to_twilio_and_wipes_the_conversation(agent):
    bot = StandInBot(agent, [GREETING])
    turn(agent, bot, "hi")
    assert turn(agent, bot, "STOP", "STOP") == []
    assert stored(agent) is None
    assert bot.heard == ["hi"]


@pytest.mark.parametrize("body, opt_out_type", [("HELP", "HELP"), ("START", None), ("yes", "START")])
def test_start_and_help_are_left_to_twilio(agent, body, opt_out_type):
    bot = StandInBot(agent, [GREETING])
    turn(agent, bot, "hi")
    assert turn(agent, bot, body, opt_out_type) == []
    assert bot.heard == ["hi"] and stored(agent) is not None


@pytest.mark.parametrize("body", ["", "   ", "\n"])
def test_no_text_gets_a_calm_reply_without_the_bot(agent, body):
    bot = StandInBot(agent, [GREETING])
    (reply,) = turn(agent, bot, body)
    assert "999" in reply and "0808 2000 247" in reply and bot.heard == []


def test_a_failing_bot_still_gives_999_and_the_helpline(agent):
    bot = StandInBot(agent, [], error=RuntimeError("model not loaded"))
    (reply,) = turn(agent, bot, "hi")
    assert reply.endswith(channel_texts.text("fallback")) and "999" in reply and "0808 2000 247" in reply


def test_a_slow_turn_sends_what_was_ready(agent, monkeypatch):
    monkeypatch.setattr(sms_turn, "TURN_TIMEOUT", 0.2)
    bot = StandInBot(agent, [{"text": "Helpline: 0808 2000 247."}, {"text": "Services"}], delay=5)
    (reply,) = turn(agent, bot, "hi")
    assert reply.endswith("Helpline: 0808 2000 247.") and "Services" not in reply


def test_a_long_message_is_cut_the_person_told_and_the_reply_fits(agent):
    bot = StandInBot(agent, [{"text": "A long answer. " * 100}])
    messages = turn(agent, bot, "x" * 1600)
    assert len(bot.heard[0]) == message_length.DEFAULT
    assert message_length.cut_notice(message_length.DEFAULT) in "\n".join(messages)
    assert len(messages) > 1 and all(segments(m) <= MAX_SEGMENTS for m in messages)


POLISH_GREETING = {
    "text": "Czy możesz teraz bezpiecznie rozmawiać?",
    "language": "pl",
    "buttons": [{"title": "Tak, mogę rozmawiać", "payload": "/affirm"}],
}


def test_the_notice_and_options_are_in_the_language_of_the_reply(agent):
    bot = StandInBot(agent, [POLISH_GREETING], language="pl")
    (reply,) = turn(agent, bot, "Dzień dobry")
    assert reply == (
        channel_texts.text("new_conversation", "pl") + "\nCzy możesz teraz bezpiecznie rozmawiać?\n"
        "Wyślij 1: Tak, mogę rozmawiać"
    )


def test_replies_without_a_language_keep_the_conversations(agent):
    turn(agent, StandInBot(agent, [POLISH_GREETING], language="pl"), "Dzień dobry")
    (reply,) = turn(agent, StandInBot(agent, [GREETING]), "2")
    assert reply.endswith("Wyślij 2: No, not now")


def test_a_failing_bot_answers_in_the_conversations_language(agent):
    turn(agent, StandInBot(agent, [POLISH_GREETING], language="pl"), "Dzień dobry")
    (reply,) = turn(agent, StandInBot(agent, [], error=RuntimeError("model not loaded")), "hej")
    assert reply == channel_texts.text("fallback", "pl")


@pytest.mark.parametrize(
    "word, language",
    [
        ("wyjdź", "pl"),
        ("SAIR", "pt"),
        ("بند", "ur"),
        ("ਬੰਦ", "pa"),
        ("বন্ধ", "bn"),
        ("خروج", "ar"),
        ("IEȘI", "ro"),
        ("EXIT", "en"),
        ("band karo", "en"),
    ],
)  # Roman Urdu: English unless the conversation says
def test_cleared_is_in_the_language_of_the_exit_word(agent, word, language):
    cleared = channel_texts.text("cleared", language)
    assert turn(agent, StandInBot(agent), word) == [in_reading_order(cleared, language)]


def test_exit_in_english_is_answered_in_the_conversations_language(agent):
    turn(agent, StandInBot(agent, [POLISH_GREETING], language="pl"), "Dzień dobry")
    assert turn(agent, StandInBot(agent), "EXIT") == [channel_texts.text("cleared", "pl")]
    assert stored(agent) is None


def test_a_picture_is_answered_in_the_conversations_language(agent):
    turn(agent, StandInBot(agent, [POLISH_GREETING], language="pl"), "Dzień dobry")
    assert turn(agent, StandInBot(agent), "") == [channel_texts.text("not_text", "pl")]


@pytest.mark.parametrize("language", sorted(channel_texts.LANGUAGES))
def test_the_notice_leaves_room_for_a_reply_in_the_same_message(agent, language):
    """Every text fits one message; the notice takes at most 2 of its 3 segments, so a short reply joins it."""
    assert all(segments(texts[language]) <= MAX_SEGMENTS for texts in channel_texts.TEXTS.values())
    assert segments(channel_texts.text("new_conversation", language)) <= MAX_SEGMENTS - 1
    bot = StandInBot(agent, [{"text": channel_texts.text("cleared", language), "language": language}])
    assert len(turn(agent, bot, "hi")) == 1
