"""999, 55 and the National Domestic Abuse Helpline reach the person while a part of the stack is down: the action
server, the catalogue database or Redis. When the part comes back, full answers come back too, without restarting
anything else. Over every channel, and the stack's log stays free of what people wrote and of tracebacks."""

from __future__ import annotations

import contextlib
import time

import pytest
import requests

from bot.redis_outage import RETRY_SECONDS
from bot.tracker_store import KEY_PREFIX

from .conversations import CHANNELS, Conversation

pytestmark = pytest.mark.stack

DANGER = "he's got a knife"
NEED = "I'm a man and my wife hits me"
HELPLINE = "0808 2000 247"
SPECIALIST = "0808 801 0327"  # the Men's Advice Line: the answer for this need when the catalogue can be read
CATALOGUE_UNAVAILABLE = "I can't look up local services right now"
# What must never reach the log: the words of the messages above, and the SMS senders' numbers.
NEVER_LOGGED = ("got a knife", "wife hits me", "Aylesbury", "7700900", "Traceback")
# Redis stopped refuses connections and loses what it held; Redis hung answers nothing within the stores' 2 s
# timeout, then carries on with what it held.
PARTS = ("action server", "catalogue database", "Redis stopped", "Redis hung")


@pytest.fixture
def outage(safety_stack, own_redis, own_catalogue):
    """`with outage(part):` the part is down for the block, and back after it."""

    @contextlib.contextmanager
    def down(part: str):
        if part == "catalogue database":
            with own_catalogue.unreachable():
                yield
        elif part.startswith("Redis"):
            with own_redis.paused() if part == "Redis hung" else own_redis.stopped():
                yield
            time.sleep(RETRY_SECONDS)  # the stores try Redis again only after this long
        else:
            safety_stack.stop(part)
            try:
                yield
            finally:
                safety_stack.start(part)

    return down


@pytest.fixture
def new_log(safety_stack):
    """Reads what the stack logs from now on."""
    start = safety_stack.log_path.stat().st_size
    return lambda: safety_stack.log_path.read_bytes()[start:].decode("utf-8", "replace")


def process_ids(stack) -> dict[str, int]:
    return {name: part.process.pid for name, part in stack.parts.items()}


def assert_safety_numbers_arrive(stack, label: str) -> None:
    for channel in CHANNELS:
        danger = Conversation.new(stack, channel).say(DANGER)
        assert "999" in danger and "55" in danger, f"{label}, {channel}: {danger!r}"
        need = Conversation.new(stack, channel).say(NEED)
        assert HELPLINE in need, f"{label}, {channel}: {need!r}"


def assert_nothing_personal_logged(log: str) -> None:
    leaked = [word for word in NEVER_LOGGED if word.lower() in log.lower()]
    assert not leaked, f"the stack's log holds {leaked}"


@pytest.mark.parametrize("part", PARTS)
def test_while_a_part_is_down_999_55_and_the_helpline_reach_the_person_and_full_answers_return_after(
    safety_stack, outage, new_log, part
):
    before = process_ids(safety_stack)
    with outage(part):
        assert_safety_numbers_arrive(safety_stack, f"{part} down")
    for channel in CHANNELS:
        reply = Conversation.new(safety_stack, channel).say(NEED)
        assert SPECIALIST in reply, f"{part} back, {channel}: {reply!r}"
    after = process_ids(safety_stack)  # Redis is not one of the stack's parts
    assert {name: pid for name, pid in after.items() if name != part} == {
        name: pid for name, pid in before.items() if name != part
    }, "something else was restarted"
    assert_nothing_personal_logged(new_log())


def test_a_catalogue_outage_gets_the_helpline_from_the_action_and_a_clean_503_from_the_api(
    safety_stack, outage, new_log
):
    api = f"http://localhost:{safety_stack.ports['admin_port']}/services"
    with outage("catalogue database"):
        replies = Conversation.new(safety_stack, "rest").replies(NEED)
        unavailable = [reply for reply in replies if CATALOGUE_UNAVAILABLE in reply]
        assert unavailable and HELPLINE in unavailable[0], replies
        response = requests.get(api, timeout=30)
        assert response.status_code == 503
        assert response.json()["error"] == "Service Unavailable" and "Traceback" not in response.text
    assert requests.get(api, timeout=30).status_code == 200
    assert_nothing_personal_logged(new_log())


@pytest.mark.parametrize("part, error", [("Redis stopped", "ConnectionError"), ("Redis hung", "TimeoutError")])
def test_a_redis_outage_is_logged_by_the_error_type_only(safety_stack, outage, new_log, part, error):
    with outage(part):
        Conversation.new(safety_stack, "rest").say(NEED)
    Conversation.new(safety_stack, "rest").say(NEED)
    log = new_log()
    assert f"Redis cannot be reached ({error})" in log and "Redis can be reached again" in log
    assert "Connection refused" not in log and "127.0.0.1" not in log  # the error's text stays out


def test_a_conversation_begun_while_redis_is_down_carries_on_when_it_returns(safety_stack, outage, own_redis):
    conversation = Conversation.new(safety_stack, "web")
    with outage("Redis stopped"):
        conversation.say(NEED)
    reply = conversation.say("I live in Aylesbury")
    assert "near Aylesbury" in reply and SPECIALIST in reply, reply
    assert own_redis.client().ttl(KEY_PREFIX + conversation.sender) > 0  # back in Redis, expiring


@pytest.mark.parametrize("leave", ["typed exit", "exit button"])
def test_a_quick_exit_while_redis_is_down_also_deletes_what_redis_held_from_before(safety_stack, outage, leave):
    conversation = Conversation.new(safety_stack, "web")
    conversation.say(NEED)
    with outage("Redis hung"):  # so Redis still holds the conversation when it answers again
        # Another turn first, so the stores know Redis hangs and send it nothing more for a while: commands sent to
        # a hung Redis still run when it wakes, and the deletion would reach it without the store's help.
        Conversation.new(safety_stack, "rest").say("hello")
        if leave == "typed exit":
            assert conversation.say("exit") == "Closed."
        else:
            conversation.leave_by_the_exit_button()
    # Forgotten: a town alone now gets the general helpline, not the Men's Advice Line.
    reply = conversation.say("Aylesbury")
    assert HELPLINE in reply and SPECIALIST not in reply, reply
