"""The lock store: memory or Redis like the conversations; in Redis, shared between processes, atomic, expiring."""

import asyncio
import time
import uuid

import pytest
import redis
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockStore
from rasa.core.utils import AvailableEndpoints

from bot.lock_store import ConversationLockStore, SharedTicketLocks, redis_settings
from bot.tracker_store import KEY_PREFIX as CONVERSATION_PREFIX
from tools.stack import ROOT


@pytest.fixture
def redis_url(own_redis_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", own_redis_url)
    return own_redis_url


def new_conversation():
    return uuid.uuid4().hex


def test_rasa_builds_ours_from_endpoints_yml_in_memory_without_redis(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://localhost:5055/webhook")
    store = LockStore.create(AvailableEndpoints.read_endpoints(str(ROOT / "bot" / "endpoints.yml")).lock_store)
    assert isinstance(store, ConversationLockStore) and store.backend_name == "memory"
    assert isinstance(store._store, InMemoryLockStore)


def test_with_redis_url_the_locks_live_in_redis_apart_from_the_conversations(redis_url):
    store = ConversationLockStore()
    assert store.backend_name == "redis"
    conversation = new_conversation()

    async def hold():
        async with store.lock(conversation):
            return redis.Redis.from_url(redis_url).keys(f"*{conversation}")

    keys = asyncio.run(hold())
    assert keys == [f"lock:{conversation}".encode()]
    assert not keys[0].decode().startswith(CONVERSATION_PREFIX)
    assert store.get_lock(conversation) is None  # released: nothing left behind


def test_two_processes_take_turns_on_one_conversation(redis_url):
    """Two stores stand for two Rasa processes: the second waits until the first has finished its turn."""
    first, second = ConversationLockStore(), ConversationLockStore()
    conversation = new_conversation()
    order = []

    async def turn(store, name, hold_seconds):
        async with store.lock(conversation, wait_time_in_seconds=0.02):
            order.append(f"{name} starts")
            await asyncio.sleep(hold_seconds)
            order.append(f"{name} ends")

    async def both():
        first_turn = asyncio.create_task(turn(first, "first", 0.3))
        await asyncio.sleep(0.05)
        await turn(second, "second", 0)
        await first_turn

    asyncio.run(both())
    assert order == ["first starts", "first ends", "second starts", "second ends"]


def test_a_held_lock_expires_with_its_ticket(redis_url):
    """A process that dies in the middle of a turn leaves no lock behind for longer than Rasa's lock lifetime."""
    store = ConversationLockStore()
    client = redis.Redis.from_url(redis_url)
    held, short_lived = new_conversation(), new_conversation()
    store.issue_ticket(held)
    assert 0 < client.pttl(f"lock:{held}") <= LOCK_LIFETIME * 1000
    store.issue_ticket(short_lived, lock_lifetime=0.2)
    time.sleep(0.3)
    assert not client.exists(f"lock:{short_lived}")
    client.delete(f"lock:{held}")


def test_tickets_from_many_processes_at_once_are_all_different(redis_url):
    """Each ticket is taken in one Redis transaction: stores racing on one conversation never share a number."""
    conversation = new_conversation()
    stores = [SharedTicketLocks(redis_url) for _ in range(8)]

    async def take(store):
        return [await asyncio.to_thread(store.issue_ticket, conversation) for _ in range(10)]

    async def race():
        return await asyncio.gather(*(take(store) for store in stores))

    tickets = [ticket for taken in asyncio.run(race()) for ticket in taken]
    assert sorted(tickets) == list(range(80))
    stores[0].delete_lock(conversation)


def test_redis_url_becomes_rasas_connection_settings():
    assert redis_settings("redis://127.0.0.1:6380/2") == {
        "host": "127.0.0.1",
        "port": 6380,
        "db": 2,
        "username": None,
        "password": None,
        "use_ssl": False,
    }
    assert redis_settings("rediss://assistant:p%40ss@redis.internal") == {
        "host": "redis.internal",
        "port": 6379,
        "db": 0,
        "username": "assistant",
        "password": "p@ss",
        "use_ssl": True,
    }


def test_a_unix_socket_url_is_refused_clearly():
    with pytest.raises(ValueError, match="REDIS_URL"):
        redis_settings("unix:///run/redis/redis.sock")
