"""Who may work on a conversation now: Rasa's ticket locks, in memory, or in Redis when REDIS_URL is set.

One Rasa process needs them in memory only. Several processes behind a load balancer share the conversations
in Redis (bot/tracker_store.py), so they must share the locks too, or two turns of one conversation answered at
once by two processes would each save a tracker missing the other's turn.

Rasa's own RedisLockStore reads, changes and writes a lock in separate steps and never expires it. Ours makes
each change one Redis transaction, so two processes never take the same ticket or delete a lock the other has
just queued on, and lets each lock expire with its last ticket (Rasa's lock lifetime, 60 s), so a process that
dies in the middle of a turn leaves nothing behind. Keys start "lock:", apart from the conversations'.

When Redis cannot be reached as a turn starts, that turn's lock lives in memory instead, as the conversation does
then (bot/tracker_store.py): the person still gets an answer. Redis is tried again after a few seconds
(bot/redis_outage.py).
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.connection import SSLConnection, parse_url

from bot.redis_outage import UNREACHABLE, Outage

SOCKET_TIMEOUT_SECONDS = 2  # as the conversation store's: a slow Redis fails the turn, it does not hang it
Result = TypeVar("Result")


def redis_settings(url: str) -> dict:
    """REDIS_URL as RedisLockStore's arguments: host, port, database, user, password, TLS (rediss://)."""
    parsed = parse_url(url)
    if "path" in parsed:
        raise ValueError("REDIS_URL must be a redis:// or rediss:// address for the lock store, not a Unix socket.")
    return {
        "host": parsed.get("host", "localhost"),
        "port": parsed.get("port", 6379),
        "db": parsed.get("db", 0),
        "username": parsed.get("username"),
        "password": parsed.get("password"),
        "use_ssl": parsed.get("connection_class") is SSLConnection,
    }


def _write(client, key: str, lock: TicketLock) -> None:
    """A lock lives as long as its last ticket; one with no live ticket is not kept at all."""
    live = [ticket.expires for ticket in lock.tickets if not ticket.has_expired()]
    if live:
        client.set(key, lock.dumps(), px=max(1, math.ceil((max(live) - time.time()) * 1000)))
    else:
        client.delete(key)


class SharedTicketLocks(RedisLockStore):
    """Rasa's Redis lock store with atomic, expiring locks."""

    def __init__(self, url: str) -> None:
        super().__init__(**redis_settings(url), socket_timeout=SOCKET_TIMEOUT_SECONDS)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], Result]) -> Result:
        """Read the lock, change it and write it back in one transaction, retried if another process wrote
        the lock in between (WATCH)."""
        key = self.key_prefix + conversation_id

        def attempt(pipe) -> Result:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else self.create_lock(conversation_id)
            result = change(lock)
            pipe.multi()
            _write(pipe, key, lock)
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except Exception as error:  # as Rasa's: the caller sees a LockError whatever went wrong
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, TicketLock.remove_expired_tickets)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Our ticket is done; the lock goes with it unless someone is queued (`_write` deletes an empty one)."""
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def save_lock(self, lock: TicketLock) -> None:
        _write(self.red, self.key_prefix + lock.conversation_id, lock)


class ConversationLockStore(LockStore):
    """The lock store bot/endpoints.yml names: Redis when REDIS_URL is set, like the conversations, else memory.

    Rasa builds it as `ConversationLockStore(endpoint_config=...)`. The ticket handling belongs to the chosen
    store; `lock()` waits for our ticket's turn as LockStore's own does."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        super().__init__()
        redis_url = os.environ.get("REDIS_URL")
        self.backend_name = "redis" if redis_url else "memory"
        self._store: LockStore = SharedTicketLocks(redis_url) if redis_url else InMemoryLockStore()
        self._memory = InMemoryLockStore()  # for the turns that start while Redis cannot be reached
        self._outage = Outage("Lock store")

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        """LockStore's `lock`, on Redis or, for a turn starting while Redis cannot be reached, in memory."""
        store = self._store if self._outage.worth_trying() else self._memory
        try:
            ticket = store.issue_ticket(conversation_id, lock_lifetime)
        except LockError as error:
            if not isinstance(error.__cause__, UNREACHABLE):
                raise
            self._outage.began(error.__cause__)
            store = self._memory
            ticket = store.issue_ticket(conversation_id, lock_lifetime)
        if store is self._store:
            self._outage.ended()
        try:
            yield await store._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            try:
                store.cleanup(conversation_id, ticket)
            except UNREACHABLE as error:  # Redis went in the middle of the turn; the lock expires by itself
                self._outage.began(error)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._store.issue_ticket(conversation_id, lock_lifetime)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        return self._store.get_lock(conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self._store.save_lock(lock)

    def delete_lock(self, conversation_id: str) -> None:
        self._store.delete_lock(conversation_id)

    def update_lock(self, conversation_id: str) -> None:
        self._store.update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self._store.cleanup(conversation_id, ticket_number)
