"""Per-sender and per-address rate limits for the channels that reach the bot (web chat, REST, SMS).

A sliding window kept in memory: in any RATE_LIMIT_WINDOW_SECONDS (default 60), one conversation may send
RATE_LIMIT_PER_SENDER messages (default 20) and one address RATE_LIMIT_PER_ADDRESS (default 120). Twenty a
minute is a message every three seconds for a whole minute, faster than anyone types or reads a reply, even
tapping buttons; a script flooding the bot is stopped within seconds. An address is often shared (a refuge's
or library's wifi, a council office, a mobile network's address translation), so it gets room for six people
at that pace. A refused message is not counted, and gets a calm reply that still gives 999, 55 and the
National Domestic Abuse Helpline: HTTP 429 with a bot-style reply list on web chat and REST, TwiML with
HTTP 200 on SMS (Twilio would retry anything else).

SMS is limited per sender only: every genuine text arrives from Twilio's own addresses, so a per-address limit
would throttle everyone who texts at once; requests from anywhere else fail the signature check first. Its
opt-out and exit words are never limited (they do not reach the bot, and wiping a conversation must always
work), and neither is the web chat's quick exit endpoint.

The address is the connection's peer address. Behind a reverse proxy that is the proxy's, so everyone would
share one allowance: set RATE_LIMIT_TRUSTED_PROXIES to the number of proxies in front (usually 1) and the
address is read from X-Forwarded-For, that many entries from the right (entries further left are whatever
the client claimed). The default, 0, ignores X-Forwarded-For, since anyone can send it. Only trust it when
the proxies are the only way in (our servers bind to 127.0.0.1).

Addresses and sender ids are never logged. The limiter holds them only as keyed hashes under a key made
fresh for each process, and forgets them once their window has passed. Each Rasa process counts for itself.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections import deque
from collections.abc import Callable

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import channel_texts
from bot.channels.settings import whole_number

PER_SENDER_VARIABLE = "RATE_LIMIT_PER_SENDER"
PER_ADDRESS_VARIABLE = "RATE_LIMIT_PER_ADDRESS"
WINDOW_VARIABLE = "RATE_LIMIT_WINDOW_SECONDS"
TRUSTED_PROXIES_VARIABLE = "RATE_LIMIT_TRUSTED_PROXIES"
DEFAULT_PER_SENDER = 20
DEFAULT_PER_ADDRESS = 120
DEFAULT_WINDOW_SECONDS = 60


class SlidingWindow:
    """At most `limit` hits per key in any `seconds`."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float]) -> None:
        self.limit, self.seconds, self._clock = limit, seconds, clock
        self._hits: dict[bytes, deque[float]] = {}
        self._next_sweep = 0.0

    def _recent(self, key: bytes, now: float) -> deque[float]:
        hits = self._hits.get(key) or deque()
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        return hits

    def _sweep(self, now: float) -> None:
        """Forgets keys with no hit inside the window, so memory follows current traffic only."""
        if now >= self._next_sweep:
            self._hits = {key: hits for key, hits in self._hits.items() if hits and hits[-1] > now - self.seconds}
            self._next_sweep = now + self.seconds

    def has_room(self, key: bytes, now: float) -> bool:
        return len(self._recent(key, now)) < self.limit

    def add(self, key: bytes, now: float) -> None:
        self._sweep(now)
        hits = self._recent(key, now)
        hits.append(now)
        self._hits[key] = hits

    def __len__(self) -> int:
        return len(self._hits)


class RateLimits:
    def __init__(
        self,
        per_sender: int = DEFAULT_PER_SENDER,
        per_address: int = DEFAULT_PER_ADDRESS,
        window_seconds: float = DEFAULT_WINDOW_SECONDS,
        trusted_proxies: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.senders = SlidingWindow(per_sender, window_seconds, clock)
        self.addresses = SlidingWindow(per_address, window_seconds, clock)
        self.window_seconds = window_seconds
        self.trusted_proxies = trusted_proxies
        self._clock = clock
        self._hash_key = os.urandom(32)

    @classmethod
    def from_env(cls) -> RateLimits:
        return cls(
            whole_number(PER_SENDER_VARIABLE, DEFAULT_PER_SENDER),
            whole_number(PER_ADDRESS_VARIABLE, DEFAULT_PER_ADDRESS),
            whole_number(WINDOW_VARIABLE, DEFAULT_WINDOW_SECONDS),
            whole_number(TRUSTED_PROXIES_VARIABLE, 0, minimum=0),
        )

    def _key(self, value: str) -> bytes:
        # surrogatepass: ids decoded from JSON may hold lone surrogates, which plain UTF-8 refuses.
        return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), key=self._hash_key, digest_size=16).digest()

    def allow(self, sender: str | None = None, address: str | None = None) -> bool:
        """Whether this message may go on to the bot; it counts against both limits only if it may."""
        now = self._clock()
        checks = [
            (window, self._key(value))
            for window, value in ((self.senders, sender), (self.addresses, address))
            if value is not None
        ]
        if not all(window.has_room(key, now) for window, key in checks):
            return False
        for window, key in checks:
            window.add(key, now)
        return True

    def address_of(self, request: Request) -> str:
        if self.trusted_proxies:
            forwarded = [
                entry.strip()
                for header in request.headers.getall("x-forwarded-for", [])
                for entry in header.split(",")
                if entry.strip()
            ]
            if len(forwarded) >= self.trusted_proxies:
                return forwarded[-self.trusted_proxies]
        return request.ip or "unknown"

    def refused(self, language: str) -> HTTPResponse:
        """The web chat and REST answer to a refused message: a reply list as the bot's, with HTTP 429."""
        return response.json(
            [{"text": channel_texts.text("rate_limited", language), "language": language}],
            status=429,
            headers={"Retry-After": str(int(self.window_seconds))},
        )


@functools.cache
def shared() -> RateLimits:
    """One limiter for every channel in the process, so a sender or an address has one allowance in all."""
    return RateLimits.from_env()
