"""MessageSids already answered, so a message Twilio sends again is not processed twice.

A MessageSid is Twilio's id for one message, not personal data, but it is still kept only for TTL_SECONDS:
long enough to cover Twilio's retries. In memory, or in Redis (SET NX with expiry) when REDIS_URL is set, so
several Rasa processes share it.
"""

from __future__ import annotations

import os
import time

import redis
import redis.asyncio

TTL_SECONDS = 15 * 60
KEY_PREFIX = "sms-seen:"


class _MemorySeen:
    def __init__(self, ttl_seconds: int) -> None:
        self._ttl = ttl_seconds
        self._expiry: dict[str, float] = {}
        self._next_sweep = 0.0

    async def first_time(self, message_sid: str) -> bool:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._expiry = {sid: until for sid, until in self._expiry.items() if until > now}
            self._next_sweep = now + 60
        if self._expiry.get(message_sid, 0.0) > now:
            return False
        self._expiry[message_sid] = now + self._ttl
        return True


class _RedisSeen:
    def __init__(self, url: str, ttl_seconds: int) -> None:
        self._ttl = ttl_seconds
        self._redis = redis.asyncio.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    async def first_time(self, message_sid: str) -> bool:
        try:
            return bool(await self._redis.set(KEY_PREFIX + message_sid, b"1", nx=True, ex=self._ttl))
        except redis.RedisError:
            return True  # Redis unreachable: answering a retry twice beats not answering at all


def seen_messages(ttl_seconds: int = TTL_SECONDS):
    """Check-and-mark in one step: `await store.first_time(sid)` is True once per MessageSid within the TTL."""
    redis_url = os.environ.get("REDIS_URL")
    return _RedisSeen(redis_url, ttl_seconds) if redis_url else _MemorySeen(ttl_seconds)
