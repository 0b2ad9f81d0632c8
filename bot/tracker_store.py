"""Where conversations live while they last: in memory, or in Redis when REDIS_URL is set; never on disk.

Both expire a conversation after it has been idle for `idle_minutes` (default 30), and both can delete one at
once. A turn that ends with the quick-exit response is not saved at all: the conversation is deleted instead,
so quick exit works even when the action server is down.

When Redis cannot be reached, the conversations carry on in this process's memory (with the same expiry, never on
disk) rather than failing the turn: the person still gets 999, 55 and the helpline, and whatever else the bot can
answer without the earlier turns Redis holds. The store tries Redis again every few seconds and goes back to it as
soon as it answers: first the conversations deleted during the outage are deleted from Redis too (a quick exit
must not bring back what Redis held from before), and the ones held in memory move to Redis with the expiry they
had left. Only the outage's start and end are logged, with the error's type (bot/redis_outage.py).
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from rasa.core.brokers.broker import EventBroker
from rasa.core.lock_store import LockError
from rasa.core.tracker_store import SerializedTrackerAsText, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, get_trackers_for_conversation_sessions

from bot.redis_outage import UNREACHABLE, Outage

QUICK_EXIT_RESPONSE = "utter_quick_exit"
KEY_PREFIX = "conversation:"
Result = TypeVar("Result")


def ends_with_quick_exit(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == QUICK_EXIT_RESPONSE:
            return True
    return False


class _MemoryBackend:
    def __init__(self, ttl_seconds: int) -> None:
        self._ttl = ttl_seconds
        self._items: dict[str, tuple[str, float]] = {}
        self._next_sweep = 0.0

    def _sweep(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._items = {k: v for k, v in self._items.items() if v[1] > now}
            self._next_sweep = now + 60

    async def set(self, key: str, value: str) -> None:
        self._sweep()
        self._items[key] = (value, time.monotonic() + self._ttl)

    async def get(self, key: str) -> str | None:
        self._sweep()
        item = self._items.get(key)
        return item[0] if item and item[1] > time.monotonic() else None

    def discard(self, key: str) -> None:
        self._items.pop(key, None)

    async def delete(self, key: str) -> None:
        self.discard(key)

    async def keys(self) -> list[str]:
        self._sweep()
        return list(self._items)

    def entries(self) -> list[tuple[str, str, float]]:
        """Each live conversation: key, value and the seconds it has left."""
        now = time.monotonic()
        return [(key, value, until - now) for key, (value, until) in self._items.items() if until > now]


class _RedisBackend:
    """redis.asyncio, so a slow Redis never blocks the event loop."""

    def __init__(self, url: str, ttl_seconds: int) -> None:
        import redis.asyncio

        self._ttl = ttl_seconds
        # One retry on a connection error: a pooled connection that Redis closed (a restart) is replaced at once.
        self._redis = redis.asyncio.from_url(
            url,
            decode_responses=True,
            socket_timeout=2,
            socket_connect_timeout=2,
            retry_on_error=[redis.exceptions.ConnectionError],
        )

    async def set(self, key: str, value: str, ttl_seconds: int | None = None) -> None:
        await self._redis.set(KEY_PREFIX + key, value, ex=ttl_seconds or self._ttl)

    async def get(self, key: str) -> str | None:
        return await self._redis.get(KEY_PREFIX + key)

    async def delete(self, key: str) -> None:
        await self._redis.delete(KEY_PREFIX + key)

    async def keys(self) -> list[str]:
        return [key[len(KEY_PREFIX) :] async for key in self._redis.scan_iter(match=KEY_PREFIX + "*")]


class _HeldDuringOutage(_MemoryBackend):
    """The conversations of a Redis outage, and the keys deleted meanwhile, still to be deleted from Redis."""

    def __init__(self, ttl_seconds: int) -> None:
        super().__init__(ttl_seconds)
        self.deleted: set[str] = set()

    async def delete(self, key: str) -> None:
        self.discard(key)
        self.deleted.add(key)


class _RedisOrMemory:
    """Redis, and memory while Redis cannot be reached (see the module's docstring)."""

    def __init__(self, redis_backend: _RedisBackend, ttl_seconds: int) -> None:
        self._redis = redis_backend
        self._held = _HeldDuringOutage(ttl_seconds)
        self._outage = Outage("Conversation store")

    async def _use(self, operation: Callable[[Any], Awaitable[Result]]) -> Result:
        if not self._outage.worth_trying():
            return await operation(self._held)
        try:
            if self._outage.ongoing:
                await self._hand_over_to_redis()
            result = await operation(self._redis)
        except UNREACHABLE as error:
            self._outage.began(error)
            return await operation(self._held)
        self._outage.ended()
        return result

    async def _hand_over_to_redis(self) -> None:
        for key in list(self._held.deleted):
            await self._redis.delete(key)
            self._held.deleted.discard(key)
        for key, value, seconds_left in self._held.entries():
            await self._redis.set(key, value, ttl_seconds=max(1, math.ceil(seconds_left)))
            self._held.discard(key)

    async def set(self, key: str, value: str) -> None:
        await self._use(lambda backend: backend.set(key, value))

    async def get(self, key: str) -> str | None:
        return await self._use(lambda backend: backend.get(key))

    async def delete(self, key: str) -> None:
        await self._use(lambda backend: backend.delete(key))

    async def keys(self) -> list[str]:
        return await self._use(lambda backend: backend.keys())


class ConversationStore(TrackerStore, SerializedTrackerAsText):
    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        idle_minutes: float = 30,
        **kwargs,
    ) -> None:
        super().__init__(domain, event_broker, **kwargs)
        ttl = int(float(os.environ.get("CONVERSATION_IDLE_MINUTES", idle_minutes)) * 60)
        redis_url = os.environ.get("REDIS_URL")
        self.backend_name = "redis" if redis_url else "memory"
        self._backend = _RedisOrMemory(_RedisBackend(redis_url, ttl), ttl) if redis_url else _MemoryBackend(ttl)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if ends_with_quick_exit(tracker):
            await self.delete(tracker.sender_id)
            return
        await self.stream_events(tracker)
        await self._backend.set(tracker.sender_id, self.serialise_tracker(tracker))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        tracker = await self.retrieve_full_tracker(sender_id)
        if tracker is None:
            return None
        sessions = get_trackers_for_conversation_sessions(tracker)
        return sessions[-1] if len(sessions) > 1 else tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        stored = await self._backend.get(conversation_id)
        return self.deserialise_tracker(conversation_id, stored) if stored else None

    async def keys(self) -> Iterable[str]:
        return await self._backend.keys()

    async def delete(self, sender_id: str) -> None:
        await self._backend.delete(sender_id)


async def delete_conversation(tracker_store: TrackerStore, sender_id: str) -> None:
    """Delete a conversation through Rasa's wrappers (fail-safe, awaitable), including any fallback copy."""
    store = tracker_store
    while store is not None:
        if isinstance(store, ConversationStore):
            await store.delete(sender_id)
        fallback = getattr(store, "_fallback_tracker_store", None)
        if isinstance(fallback, ConversationStore) or hasattr(fallback, "store"):
            getattr(fallback, "store", {}).pop(sender_id, None)
        store = getattr(store, "_tracker_store", None)


async def stored_events(tracker_store: TrackerStore, sender_id: str) -> list[dict] | None:
    """A conversation's stored events as plain dicts (None if there is none), found through Rasa's wrappers.

    Much cheaper than `retrieve`, which rebuilds the tracker by replaying every event: for a channel that only
    needs to glance at the last reply before Rasa loads the tracker itself."""
    store = tracker_store
    while store is not None and not isinstance(store, ConversationStore):
        store = getattr(store, "_tracker_store", None)
    stored = await store._backend.get(sender_id) if store is not None else None
    return json.loads(stored).get("events") or [] if stored else None


async def delete_after_current_turn(agent: Any, sender: str) -> None:
    """Waits for a message of this conversation still being answered, so it cannot save the tracker again."""
    try:
        async with agent.lock_store.lock(sender, wait_time_in_seconds=0.05):
            await delete_conversation(agent.tracker_store, sender)
    except LockError:  # the other turn's lock expired while we waited: delete all the same
        await delete_conversation(agent.tracker_store, sender)
