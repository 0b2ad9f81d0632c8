"""The turn gate: at most TURNS_AT_ONCE turns in progress in a process, the rest served in order of arrival."""

import asyncio

import pytest

from bot.channels import turn_gate
from bot.channels.turn_gate import TurnGate


def test_no_more_turns_than_places_run_at_once_and_waiting_ones_go_first_come_first_served():
    running, most_at_once, finished = [], [], []

    async def handle(message):
        running.append(message)
        most_at_once.append(len(running))
        await asyncio.sleep(0.01)
        running.remove(message)
        finished.append(message)
        return message.upper()

    async def main():
        gated = TurnGate(2).gated(handle)
        return await asyncio.gather(*(gated(f"m{n}") for n in range(8)))

    assert asyncio.run(main()) == [f"M{n}" for n in range(8)]  # each caller gets its own turn's result
    assert max(most_at_once) == 2
    assert finished[2:] == [f"m{n}" for n in range(2, 8)]


def test_a_failing_turn_gives_its_place_back():
    async def handle(message):
        if message == "bad":
            raise RuntimeError("the turn failed")
        return message

    async def main():
        gated = TurnGate(1).gated(handle)
        with pytest.raises(RuntimeError):
            await gated("bad")
        return await asyncio.wait_for(gated("good"), timeout=1)

    assert asyncio.run(main()) == "good"


def test_each_event_loop_has_a_gate_of_its_own():
    gate = TurnGate(1)

    async def handle(message):
        return message

    assert asyncio.run(gate.gated(handle)("first")) == "first"
    assert asyncio.run(gate.gated(handle)("second")) == "second"  # a semaphore of the closed loop would refuse


@pytest.mark.parametrize("value, places", [("", turn_gate.DEFAULT), ("5", 5)])
def test_the_number_of_places_comes_from_the_environment(monkeypatch, value, places):
    monkeypatch.setenv(turn_gate.VARIABLE, value)
    turn_gate.shared.cache_clear()
    try:
        assert turn_gate.shared().places == places
    finally:
        turn_gate.shared.cache_clear()


def test_a_wrong_number_stops_the_channel_being_made(monkeypatch):
    monkeypatch.setenv(turn_gate.VARIABLE, "0")
    turn_gate.shared.cache_clear()
    try:
        with pytest.raises(ValueError, match=turn_gate.VARIABLE):
            turn_gate.shared()
    finally:
        turn_gate.shared.cache_clear()
