"""How many turns one Rasa process works on at once (TURNS_AT_ONCE, default 2); later messages wait their turn.

Without a limit every message that has arrived is in progress at once, and a turn that pauses for the action
server rejoins the back of the event loop's queue behind all the others: under load, turns with a service search
took two or three times as long as the rest. Two turns at once keep the processor busy while one waits for the
action server; the rest wait first come, first served, so round trips stay even and the slowest ones short.
Every channel that reaches the bot (REST, web chat, SMS) shares the one gate. The web chat's quick exit and the
SMS exit words do not pass through it: wiping a conversation never waits.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

from bot.channels.settings import whole_number

VARIABLE = "TURNS_AT_ONCE"
DEFAULT = 2
Handler = Callable[[UserMessage], Awaitable[Any]]


class TurnGate:
    def __init__(self, places: int) -> None:
        self.places = places
        # A semaphore belongs to the event loop it first waits in; Rasa serves from one, tests run several.
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if loop not in self._by_loop:
            self._by_loop[loop] = asyncio.Semaphore(self.places)
        return self._by_loop[loop]

    def gated(self, handle: Handler) -> Handler:
        """Rasa's message handler, taking a place at the gate for each message."""

        async def handle_in_turn(message: UserMessage) -> Any:
            async with self._semaphore():
                return await handle(message)

        return handle_in_turn


@functools.cache
def shared() -> TurnGate:
    """One gate for every channel in the process, read from the environment when the first channel is made."""
    return TurnGate(whole_number(VARIABLE, DEFAULT))
