"""Stopping `make run` stops everything it started: SIGTERM to its process group (as a supervisor, a script or
`timeout` does), Ctrl+C twice, and SIGKILL of the launcher itself. After each, no process of the stack is left
and its four ports are free within a few seconds.

The stack runs on spare ports (RASA_PORT and the rest), so the session's own stack may stay up meanwhile. Every
process it starts inherits a marker in its environment, which is how the test finds them all in /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tools import stack

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 240
STOP_BOUND = 15.0  # seconds from the signal until nothing is left


def marked_processes(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environment = (entry / "environ").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker.encode() in environment and state != "Z":
                found.append(int(entry.name))
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.fixture
def make_run(tmp_path):
    """`make run` in a process group of its own, on spare ports, with a catalogue of its own."""
    ports = stack.spare_stack_ports()
    marker = f"BUCKS_DVA_STOP_TEST={uuid.uuid4().hex}"
    env = {
        **os.environ,
        "RASA_PORT": str(ports["rasa_port"]),
        "ACTION_SERVER_PORT": str(ports["actions_port"]),
        "ADMIN_PORT": str(ports["admin_port"]),
        "WEBSITE_PORT": str(ports["website_port"]),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'catalogue.db'}",
        marker.split("=")[0]: marker.split("=")[1],
    }
    log = (tmp_path / "make-run.log").open("w")
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run"], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + START_TIMEOUT
    while not all(stack.port_open(port) for port in ports.values()):
        assert make.poll() is None, (tmp_path / "make-run.log").read_text()[-3000:]
        assert time.monotonic() < deadline, "make run did not open its ports"
        time.sleep(0.5)
    yield make, marker, list(ports.values())
    for pid in marked_processes(marker):  # whatever a failed test left behind
        os.kill(pid, signal.SIGKILL)
    log.close()


def assert_all_gone(marker: str, ports: list[int]) -> float:
    started = time.monotonic()
    while time.monotonic() - started < STOP_BOUND:
        left = marked_processes(marker)
        if not left and not any(stack.port_open(port) for port in ports):
            return time.monotonic() - started
        time.sleep(0.2)
    left = {pid: command_line(pid) for pid in marked_processes(marker)}
    open_ports = [port for port in ports if stack.port_open(port)]
    raise AssertionError(f"still running after {STOP_BOUND} s: {left}; ports open: {open_ports}")


def test_sigterm_to_the_process_group_stops_everything(make_run):
    make, marker, ports = make_run
    os.killpg(make.pid, signal.SIGTERM)
    print(f"stopped in {assert_all_gone(marker, ports):.1f} s")


def test_ctrl_c_twice_stops_everything(make_run):
    make, marker, ports = make_run
    os.killpg(make.pid, signal.SIGINT)
    time.sleep(0.3)
    os.killpg(make.pid, signal.SIGINT)
    print(f"stopped in {assert_all_gone(marker, ports):.1f} s")


def test_sigkill_of_the_launcher_leaves_no_orphan(make_run):
    make, marker, ports = make_run
    launcher = [pid for pid in marked_processes(marker) if "tools.stack" in command_line(pid)]
    assert len(launcher) == 1
    os.kill(launcher[0], signal.SIGKILL)
    print(f"stopped in {assert_all_gone(marker, ports):.1f} s")
