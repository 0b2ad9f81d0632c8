"""A Redis outage as the conversation store and the lock store see it: which errors mean Redis cannot be reached,
when to try it again, and one log line when an outage begins and one when it ends, not one per turn.

Once Redis has failed, a store tries it again only after RETRY_SECONDS: a Redis that hangs rather than refuses
costs each store one socket timeout (2 s) every RETRY_SECONDS, not one for every read and write of every turn.
The log lines hold the store's name and the error's type, never the error's text or anything of a conversation.
"""

from __future__ import annotations

import logging
import time

import redis

logger = logging.getLogger(__name__)

# Refused or dropped connections and no answer within the socket timeout. Redis's other errors (out of memory, a
# wrong command) are faults of ours, not outages, and still raise.
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
RETRY_SECONDS = 5.0


class Outage:
    """Whether Redis could not be reached at one store's last attempt."""

    def __init__(self, store: str) -> None:
        self.store = store
        self.ongoing = False
        self._retry_at = 0.0

    def worth_trying(self) -> bool:
        return not self.ongoing or time.monotonic() >= self._retry_at

    def began(self, error: BaseException) -> None:
        if not self.ongoing:
            logger.error(f"{self.store}: Redis cannot be reached ({type(error).__name__}); using memory until it can.")
        self.ongoing = True
        self._retry_at = time.monotonic() + RETRY_SECONDS

    def ended(self) -> None:
        if self.ongoing:
            logger.warning(f"{self.store}: Redis can be reached again.")
        self.ongoing = False
