"""What the running stack offers the network: every server listens on 127.0.0.1 only, and Rasa's own HTTP API
(models, trackers, status) is not served at all.

tools/stack.py starts Rasa without --enable-api, so Rasa registers only its root route and our channels' webhooks;
in production nginx passes only /webhooks/ to Rasa (deploy/nginx/). docs/threat-model.md says why the API
stays off rather than behind a token.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest
import requests

from common import security_headers
from tools import stack

pytestmark = pytest.mark.stack

RASA = f"http://localhost:{stack.RASA_PORT}"
PORTS = {part.name: part.port for part in stack.parts()}
LISTEN = "0A"  # the TCP state in /proc/net/tcp{,6}

# Rasa's HTTP API (rasa/server.py), with the methods it would answer: reading or changing a conversation,
# parsing text, running actions, replacing the model.
RASA_API = [
    ("GET", "/version"),
    ("GET", "/status"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
    ("POST", "/model/train"),
    ("GET", "/domain"),
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/tracker/events"),
    ("POST", "/conversations/someone/messages"),
    ("POST", "/conversations/someone/execute"),
    ("POST", "/conversations/someone/trigger_intent"),
    ("GET", "/conversations/someone/story"),
]


def proc_address(field: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int]:
    """'0100007F:138D' (IPv4) or 32 hex digits (IPv6), each 32-bit word in host (little-endian) order."""
    hex_address, hex_port = field.split(":")
    raw = bytes.fromhex(hex_address)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return ipaddress.ip_address(words), int(hex_port, 16)


def listening_addresses(port: int) -> set[str]:
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, local_port = proc_address(fields[1])
            if local_port == port and fields[3] == LISTEN:
                addresses.add(str(address))
    return addresses


def outward_address() -> str | None:
    """The address this machine would send from to another host: no packet leaves (UDP connect only)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only the route is looked up
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if ipaddress.ip_address(address).is_loopback else address


@pytest.mark.parametrize("method, path", RASA_API)
def test_rasas_http_api_is_not_served(rasa_stack, method, path):
    response = requests.request(method, RASA + path, json={"text": "hello"}, timeout=30)
    assert response.status_code == 404


def test_rasa_answers_only_its_root_route_and_our_channels(rasa_stack):
    assert requests.get(RASA + "/", timeout=30).text == security_headers.ROOT_ANSWER  # no Rasa version
    assert requests.get(RASA + "/webhooks/rest/", timeout=30).json() == {"status": "ok"}


@pytest.mark.parametrize("name", PORTS)
def test_each_server_listens_on_loopback_only(rasa_stack, name):
    assert listening_addresses(PORTS[name]) == {"127.0.0.1"}


@pytest.mark.parametrize("name", PORTS)
def test_each_server_refuses_connections_to_the_machines_network_address(rasa_stack, name):
    address = outward_address()
    if address is None:
        pytest.skip("this machine has no network address other than loopback")
    with socket.socket() as probe:
        probe.settimeout(2)
        assert probe.connect_ex((address, PORTS[name])) != 0
