"""The conversation store: in memory or Redis, with an idle expiry and delete; quick exit deletes on save."""

import asyncio
import uuid

import pytest
import redis
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import KEY_PREFIX, ConversationStore, delete_conversation

REDIS_URL = "redis://127.0.0.1:6379/0"


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def store(request, monkeypatch):
    if request.param == "redis":
        monkeypatch.setenv("REDIS_URL", REDIS_URL)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    return ConversationStore(Domain.empty(), idle_minutes=1)


def conversation(sender, *events):
    tracker = DialogueStateTracker(sender, [])
    for event in events:
        tracker.update(event)
    return tracker


def test_save_retrieve_delete(store):
    async def scenario(sender):
        await store.save(conversation(sender, UserUttered("hello")))
        assert (await store.retrieve(sender)).latest_message.text == "hello"
        assert sender in await store.keys()
        await store.delete(sender)
        assert await store.retrieve(sender) is None

    run(scenario(uuid.uuid4().hex))


def test_a_turn_ending_in_quick_exit_is_deleted_not_saved(store):
    async def scenario(sender):
        await store.save(conversation(sender, UserUttered("my husband hits me")))
        await store.save(
            conversation(
                sender,
                UserUttered("my husband hits me"),
                UserUttered("exit"),
                ActionExecuted("utter_quick_exit"),
                ActionExecuted("action_listen"),
            )
        )
        assert await store.retrieve(sender) is None

    run(scenario(uuid.uuid4().hex))


def test_delete_reaches_through_rasas_wrappers(store):
    async def scenario(sender):
        wrapped = FailSafeTrackerStore(store)
        await wrapped.save(conversation(sender, UserUttered("hello")))
        await delete_conversation(wrapped, sender)
        assert await store.retrieve(sender) is None

    run(scenario(uuid.uuid4().hex))


@pytest.mark.redis
def test_redis_keys_expire_after_the_idle_time(monkeypatch):
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    store = ConversationStore(Domain.empty(), idle_minutes=1)
    sender = uuid.uuid4().hex

    async def scenario():
        await store.save(conversation(sender, UserUttered("hello")))
        assert 0 < redis.Redis.from_url(REDIS_URL).ttl(KEY_PREFIX + sender) <= 60
        await store.delete(sender)

    run(scenario())


def test_memory_conversations_expire(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    store = ConversationStore(Domain.empty(), idle_minutes=0)
    sender = uuid.uuid4().hex
    run(store.save(conversation(sender, UserUttered("hello"))))
    assert run(store.retrieve(sender)) is None
