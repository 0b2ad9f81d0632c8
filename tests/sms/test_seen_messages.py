"""A MessageSid is processed once within the expiry, in memory and in Redis."""

import asyncio
import uuid

import pytest

from bot.channels import seen_messages

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def make_store(request, monkeypatch):
    if request.param == "redis":
        monkeypatch.setenv("REDIS_URL", REDIS_URL)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    return seen_messages.seen_messages


def test_first_time_once(make_store):
    async def scenario():
        store = make_store(ttl_seconds=60)
        sid, other = f"SM{uuid.uuid4().hex}", f"SM{uuid.uuid4().hex}"
        assert await store.first_time(sid)
        assert not await store.first_time(sid)
        assert await store.first_time(other)

    asyncio.run(scenario())


def test_forgotten_after_the_expiry(make_store):
    async def scenario():
        store = make_store(ttl_seconds=1)
        sid = f"SM{uuid.uuid4().hex}"
        assert await store.first_time(sid)
        await asyncio.sleep(1.2)
        assert await store.first_time(sid)

    asyncio.run(scenario())


def test_redis_keys_expire(monkeypatch):
    import redis

    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    sid = f"SM{uuid.uuid4().hex}"
    asyncio.run(seen_messages.seen_messages().first_time(sid))
    ttl = redis.from_url(REDIS_URL).ttl(seen_messages.KEY_PREFIX + sid)
    assert 0 < ttl <= seen_messages.TTL_SECONDS


def test_unreachable_redis_lets_the_message_through(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    assert asyncio.run(seen_messages.seen_messages().first_time("SM1"))
