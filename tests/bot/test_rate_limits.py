"""The sliding-window rate limiter shared by the web chat, REST and SMS channels (bot/channels/rate_limits.py)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sanic.compat import Header

from bot.channels import channel_texts, rate_limits
from bot.channels.rate_limits import RateLimits


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def limits(clock, **settings) -> RateLimits:
    return RateLimits(**{"per_sender": 3, "per_address": 5, "window_seconds": 60, **settings}, clock=clock)


def request(peer: str = "192.0.2.10", forwarded: list[str] = ()):
    return SimpleNamespace(ip=peer, headers=Header([("X-Forwarded-For", value) for value in forwarded]))


def test_a_sender_gets_its_allowance_then_waits_for_the_window_to_slide(clock):
    limiter = limits(clock)
    assert [limiter.allow(sender="a") for _ in range(4)] == [True, True, True, False]
    clock.now += 59.9
    assert not limiter.allow(sender="a")
    clock.now += 0.2
    assert limiter.allow(sender="a")


def test_the_window_slides_rather_than_resetting(clock):
    limiter = limits(clock)
    limiter.allow(sender="a")
    clock.now += 40
    for _ in range(2):
        limiter.allow(sender="a")
    clock.now += 21  # the first message has left the window, the other two have not
    assert [limiter.allow(sender="a") for _ in range(2)] == [True, False]


def test_senders_are_counted_apart(clock):
    limiter = limits(clock)
    for _ in range(3):
        limiter.allow(sender="a")
    assert limiter.allow(sender="b")


def test_an_address_is_limited_across_its_senders(clock):
    limiter = limits(clock)
    assert [limiter.allow(sender=f"s{n}", address="192.0.2.1") for n in range(6)] == [True] * 5 + [False]
    assert limiter.allow(sender="s9", address="192.0.2.2")


def test_a_refused_message_counts_against_neither_limit(clock):
    limiter = limits(clock)
    for _ in range(3):
        limiter.allow(sender="busy", address="192.0.2.1")
    for _ in range(10):
        assert not limiter.allow(sender="busy", address="192.0.2.1")
    assert [limiter.allow(sender="other", address="192.0.2.1") for _ in range(3)] == [True, True, False]


def test_keys_are_forgotten_once_their_window_has_passed(clock):
    limiter = limits(clock)
    for n in range(50):
        limiter.allow(sender=f"s{n}", address=f"192.0.2.{n}")
    assert len(limiter.senders) == 50 and len(limiter.addresses) == 50
    clock.now += 61
    limiter.allow(sender="new", address="192.0.2.200")
    assert len(limiter.senders) == 1 and len(limiter.addresses) == 1


def test_addresses_and_ids_are_held_only_as_keyed_hashes(clock):
    limiter, other = limits(clock), limits(clock)
    limiter.allow(sender="sender-id-1234", address="192.0.2.77")
    other.allow(sender="sender-id-1234")
    held = list(limiter.senders._hits) + list(limiter.addresses._hits)
    assert all(b"sender-id-1234" not in key and b"192.0.2.77" not in key for key in held)
    assert list(limiter.senders._hits) != list(other.senders._hits)  # a fresh key in every process


def test_ids_with_lone_surrogates_are_counted_too(clock):
    limiter = limits(clock)
    assert [limiter.allow(sender="\ud800") for _ in range(4)] == [True, True, True, False]


def test_the_peer_address_is_used_and_x_forwarded_for_ignored_by_default(clock):
    assert limits(clock).address_of(request("192.0.2.10", ["203.0.113.5"])) == "192.0.2.10"


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (1, ["203.0.113.5"], "203.0.113.5"),
        (1, ["198.51.100.1, 203.0.113.5"], "203.0.113.5"),  # the left entry is what the client claimed
        (2, ["198.51.100.1, 203.0.113.5, 10.0.0.2"], "203.0.113.5"),
        (2, ["198.51.100.1", "203.0.113.5, 10.0.0.2"], "203.0.113.5"),  # several headers are one list
        (2, ["10.0.0.2"], "192.0.2.10"),  # fewer entries than proxies: not through our proxies
        (1, [], "192.0.2.10"),
    ],
)
def test_x_forwarded_for_is_read_from_the_right_when_proxies_are_trusted(clock, proxies, forwarded, expected):
    assert limits(clock, trusted_proxies=proxies).address_of(request("192.0.2.10", forwarded)) == expected


@pytest.mark.parametrize("language", sorted(channel_texts.LANGUAGES))
def test_a_refusal_is_a_calm_bot_style_reply_with_the_numbers_that_matter(clock, language):
    refused = limits(clock).refused(language)
    assert refused.status == 429 and refused.headers["Retry-After"] == "60"
    (reply,) = json.loads(refused.body)
    assert reply == {"text": channel_texts.text("rate_limited", language), "language": language}
    assert "999" in reply["text"] and "55" in reply["text"] and "0808 2000 247" in reply["text"]


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(rate_limits.PER_SENDER_VARIABLE, "7")
    monkeypatch.setenv(rate_limits.PER_ADDRESS_VARIABLE, "70")
    monkeypatch.setenv(rate_limits.WINDOW_VARIABLE, "30")
    monkeypatch.setenv(rate_limits.TRUSTED_PROXIES_VARIABLE, "1")
    configured = RateLimits.from_env()
    assert (
        configured.senders.limit,
        configured.addresses.limit,
        configured.window_seconds,
        configured.trusted_proxies,
    ) == (7, 70, 30, 1)


def test_the_defaults_limit_and_trust_no_proxy(monkeypatch):
    for variable in (
        rate_limits.PER_SENDER_VARIABLE,
        rate_limits.PER_ADDRESS_VARIABLE,
        rate_limits.WINDOW_VARIABLE,
        rate_limits.TRUSTED_PROXIES_VARIABLE,
    ):
        monkeypatch.delenv(variable, raising=False)
    configured = RateLimits.from_env()
    assert (
        configured.senders.limit,
        configured.addresses.limit,
        configured.window_seconds,
        configured.trusted_proxies,
    ) == (20, 120, 60, 0)


@pytest.mark.parametrize(
    "variable, value",
    [
        (rate_limits.PER_SENDER_VARIABLE, "0"),
        (rate_limits.PER_ADDRESS_VARIABLE, "lots"),
        (rate_limits.WINDOW_VARIABLE, "-5"),
        (rate_limits.TRUSTED_PROXIES_VARIABLE, "-1"),
    ],
)
def test_a_wrong_setting_stops_the_channel_from_starting(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=variable):
        RateLimits.from_env()
