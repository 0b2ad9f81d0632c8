"""Nothing a person writes is kept at rest: conversations over the web chat and SMS carry unique canaries (one per
message, and the SMS sender's phone number), then every place the stack writes to is searched for them.

On disk (the stack's folder with its log and any SQLite catalogue, the files changed meanwhile in var/, models/
and the temporary folder) and in the catalogue's SQL tables there must be none. In Redis the messages may live only
under keys that expire, and a quick exit (the exit button, a typed "exit", an SMS EXIT) deletes them. The phone
number is never kept anywhere: the SMS channel keeps only a keyed hash of it.
"""

from __future__ import annotations

import tempfile
import time

import pytest

from tools.stack import ROOT

from .canaries import Canaries, files_changed_since, search_files, search_redis, search_sql
from .conversations import Conversation

pytestmark = pytest.mark.stack

# Each turn carries a canary: a greeting, a need, a place, danger. What each reply must hold shows the turn was
# understood, not refused.
TURNS = [
    ("hello {}", "automated helper"),
    ("I'm a man and my wife hits me {}", "0808 801 0327"),
    ("I live in Aylesbury {}", "Aylesbury"),
    ("he's got a knife {}", "55"),
]
# How each conversation ends: the widget's exit button, a typed "exit", an SMS EXIT.
LEAVINGS = [("web", "exit button"), ("web", "exit"), ("sms", "EXIT")]


def hold_conversations(stack) -> tuple[Canaries, list[tuple[Conversation, str]]]:
    canaries = Canaries.new(len(TURNS) * len(LEAVINGS))
    words = iter(canaries.words)
    conversations = []
    for channel, leaving in LEAVINGS:
        conversation = Conversation.new(stack, channel)
        if channel == "sms":
            conversation.sender = canaries.phone
        for message, expected in TURNS:
            reply = conversation.say(message.format(next(words)))
            assert expected in reply, f"{channel}: {message!r} got {reply!r}"
        conversations.append((conversation, leaving))
    return canaries, conversations


def leave(conversations: list[tuple[Conversation, str]]) -> None:
    for conversation, leaving in conversations:
        if leaving == "exit button":
            conversation.leave_by_the_exit_button()
        else:
            assert conversation.say(leaving) in ("Closed.", "Cleared.")


def assert_nothing_on_disk(stack, canaries: Canaries, since: float) -> None:
    folder = stack.log_path.parent
    files = [path for path in folder.rglob("*") if path.is_file()]
    files += files_changed_since([ROOT / "var", ROOT / "models", tempfile.gettempdir()], since)
    finds = search_files(files, canaries.every_form)
    assert finds.searched >= 2, "the search read neither the log nor the catalogue"
    assert not finds.places, f"canaries on disk: {finds.places}"


def assert_nothing_in_sql(url: str, canaries: Canaries) -> None:
    finds = search_sql(url, canaries.every_form)
    assert finds.searched > 100, "the search did not read the seeded catalogue"
    assert not finds.places, f"canaries in the catalogue database: {finds.places}"


def test_with_redis_and_postgresql_messages_live_only_in_expiring_keys_until_quick_exit(
    safety_stack, own_redis, own_catalogue
):
    since = time.time() - 1
    canaries, conversations = hold_conversations(safety_stack)
    redis = own_redis.client()

    finds = search_redis(redis, canaries.every_form)
    found = set().union(*finds.places.values()) if finds.places else set()
    assert found == set(canaries.words), "every message is in Redis while its conversation lasts, no phone number"
    forever = {key: seconds for key, seconds in finds.seconds_left.items() if seconds <= 0}
    assert not forever, f"conversation keys without an expiry: {forever}"
    assert_nothing_on_disk(safety_stack, canaries, since)
    assert_nothing_in_sql(own_catalogue.url, canaries)

    leave(conversations)
    finds = search_redis(redis, canaries.every_form)
    assert finds.searched > 0 and not finds.places, f"left after quick exit: {finds.places}"
    assert_nothing_on_disk(safety_stack, canaries, since)
    assert_nothing_in_sql(own_catalogue.url, canaries)


def test_with_conversations_in_memory_and_the_sqlite_catalogue_nothing_reaches_the_disk(rasa_stack):
    since = time.time() - 1
    canaries, conversations = hold_conversations(rasa_stack)
    assert rasa_stack.catalogue_url.startswith("sqlite:///")
    assert_nothing_on_disk(rasa_stack, canaries, since)
    assert_nothing_in_sql(rasa_stack.catalogue_url, canaries)
    leave(conversations)
    assert_nothing_on_disk(rasa_stack, canaries, since)
