"""The conversation store through a Redis outage, in this process: it carries on in memory, and when Redis
answers again what it held moves there with the expiry it had left (see bot/tracker_store.py)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import redis_outage
from bot.tracker_store import KEY_PREFIX, ConversationStore

IDLE_SECONDS = 60


@pytest.fixture
def store(own_redis, monkeypatch):
    monkeypatch.setenv("REDIS_URL", own_redis.url)
    monkeypatch.setattr(redis_outage, "RETRY_SECONDS", 0)  # try Redis again at every operation
    return ConversationStore(Domain.empty(), idle_minutes=IDLE_SECONDS / 60)


def saying(sender: str, text: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered(text))
    return tracker


def test_a_conversation_held_in_memory_moves_to_redis_with_the_expiry_it_had_left(store, own_redis):
    sender = uuid.uuid4().hex

    async def scenario():
        with own_redis.stopped():
            await store.save(saying(sender, "hello"))
            assert (await store.retrieve(sender)).latest_message.text == "hello"
            assert sender in await store.keys()
            await asyncio.sleep(2)
        assert (await store.retrieve(sender)).latest_message.text == "hello"

    asyncio.run(scenario())
    assert 0 < own_redis.client().ttl(KEY_PREFIX + sender) <= IDLE_SECONDS - 2


def test_other_redis_errors_are_not_taken_for_an_outage(store, own_redis):
    sender = uuid.uuid4().hex
    own_redis.client().rpush(KEY_PREFIX + sender, "not a conversation")  # GET on a list is a WRONGTYPE error
    try:
        with pytest.raises(redis.exceptions.ResponseError, match="WRONGTYPE"):
            asyncio.run(store.retrieve(sender))
    finally:
        own_redis.client().delete(KEY_PREFIX + sender)
