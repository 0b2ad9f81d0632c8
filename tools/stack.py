"""Starts the whole assistant on localhost and stops it cleanly: `make run` and the test suite share this.

Rasa :5005 (REST and web chat channels), action server :5055, website demo :8080, staff admin and catalogue
API :8081 (RASA_PORT, ACTION_SERVER_PORT, WEBSITE_PORT and ADMIN_PORT move them).
Stopping cannot be cut short: once it begins, more SIGTERM or Ctrl+C are ignored, every part gets SIGTERM at
once, and what is still running a few seconds later gets SIGKILL. Each part also gets SIGTERM from the kernel if
the launcher itself dies (SIGKILL included), so no part is left holding a port.
As the local launcher it is the SMS channel's dev mode: without SENDER_HASH_SECRET, Rasa gets one generated
once into var/ (bot/channels/pseudonym.py); started any other way, Rasa refuses to start without it.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.channels import pseudonym

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "assistant.tar.gz"
RASA_PORT, ACTIONS_PORT, WEBSITE_PORT, ADMIN_PORT = 5005, 5055, 8080, 8081

QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Part:
    name: str
    port: int
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def started(self) -> subprocess.Popen:
        if self.process is None:
            raise RuntimeError(f"The {self.name} has not been started.")
        return self.process


def parts(
    model: Path = MODEL,
    rasa_port: int = RASA_PORT,
    actions_port: int = ACTIONS_PORT,
    admin_port: int = ADMIN_PORT,
    website_port: int = WEBSITE_PORT,
) -> list[Part]:
    return [
        Part(
            "action server",
            actions_port,
            [str(BIN / "python"), "-m", "actions.server"],
            {"ACTION_SERVER_PORT": str(actions_port)},
        ),
        Part(
            "Rasa",
            rasa_port,
            [
                str(BIN / "python"),
                "-m",
                "bot.serve",
                "run",
                "--model",
                str(model),
                "--endpoints",
                "bot/endpoints.yml",
                "--credentials",
                "bot/credentials.yml",
                "--interface",
                "127.0.0.1",
                "--port",
                str(rasa_port),
                "--quiet",
            ],
            {**pseudonym.dev_secret_env(), "ACTION_ENDPOINT_URL": f"http://localhost:{actions_port}/webhook"},
        ),
        Part(
            "staff admin and catalogue API",
            admin_port,
            [
                str(BIN / "gunicorn"),
                "--bind",
                f"127.0.0.1:{admin_port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
                "services_catalogue.web:create_app()",
            ],
        ),
        Part(
            "website",
            website_port,
            [str(BIN / "python"), "-m", "website.server"],
            {"WEBSITE_PORT": str(website_port), "RASA_URL": f"http://localhost:{rasa_port}"},
        ),
    ]


LOCK_FILE = "/tmp/bucks-dva-stack.lock"


@contextlib.contextmanager
def ports_held():
    """The ports are fixed, so test sessions and benchmarks on one machine take turns."""
    with open(LOCK_FILE, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def spare_ports(count: int) -> list[int]:
    """Free ports chosen by the kernel, for a second stack beside `make run` (tests, benchmarks)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def spare_stack_ports() -> dict[str, int]:
    """Keyword arguments for `parts()`: every part on a spare port."""
    names = ("rasa_port", "actions_port", "admin_port", "website_port")
    return dict(zip(names, spare_ports(len(names))))


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 8.0


def _ends_with_its_parent() -> None:
    """In the child before it runs: the kernel sends it SIGTERM when the process that started it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before the line above took effect
        os.kill(os.getpid(), signal.SIGTERM)


def start(part: Part, env: dict[str, str] | None = None, output=None) -> Part:
    environment = {**os.environ, **QUIET_ENV, **part.env, **(env or {})}
    part.process = subprocess.Popen(
        part.command,
        cwd=ROOT,
        env=environment,
        stdout=output,
        stderr=output,
        start_new_session=True,
        preexec_fn=_ends_with_its_parent,
    )
    return part


def wait_until_ready(running: list[Part], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    for part in running:
        while not port_open(part.port):
            if part.started.poll() is not None:
                raise RuntimeError(f"The {part.name} stopped while starting (exit {part.started.returncode}).")
            if time.monotonic() > deadline:
                raise RuntimeError(f"The {part.name} did not open port {part.port} in {timeout:.0f} s.")
            time.sleep(0.25)


def _signal_group(part: Part, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(part.started.pid, signum)  # the whole group: gunicorn's workers too


def stop_all(running: list[Part], grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM to every part at once, a shared grace period, then SIGKILL to what is left. Signals that arrive
    meanwhile are ignored, so a second Ctrl+C or make's forwarded SIGTERM cannot cut the clean-up short."""
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        started = [part for part in running if part.process]
        for part in started:
            _signal_group(part, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for part in started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                part.started.wait(timeout=max(0.0, deadline - time.monotonic()))
        for part in started:
            _signal_group(part, signal.SIGKILL)  # a stray child of a part that already exited, too
            part.started.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def stop(part: Part) -> None:
    stop_all([part])


def _port_from_env(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a plain `kill` stops every part, as Ctrl+C does
    ports: dict[str, Any] = {
        "rasa_port": _port_from_env("RASA_PORT", RASA_PORT),
        "actions_port": _port_from_env("ACTION_SERVER_PORT", ACTIONS_PORT),
        "admin_port": _port_from_env("ADMIN_PORT", ADMIN_PORT),
        "website_port": _port_from_env("WEBSITE_PORT", WEBSITE_PORT),
    }
    busy = [p for p in parts(**ports) if port_open(p.port)]
    if busy:
        sys.exit("Port(s) already in use: " + ", ".join(f"{p.port} ({p.name})" for p in busy))
    running: list[Part] = []
    try:
        running += [start(p) for p in parts(**ports)]
        wait_until_ready(running)
        rasa, actions, admin, website = (ports[k] for k in ("rasa_port", "actions_port", "admin_port", "website_port"))
        print("\nThe assistant is running:")
        print(f"  REST channel     http://localhost:{rasa}/webhooks/rest/webhook")
        print(f"  SMS (Twilio)     http://localhost:{rasa}/webhooks/sms/webhook (docs/sms.md)")
        print(f"  Action server    http://localhost:{actions}/health")
        print(f"  Website chat     http://localhost:{website}/ (the demo council page)")
        print(f"  Staff admin      http://localhost:{admin}/admin/")
        print(f"  Catalogue API    http://localhost:{admin}/services")
        print("Press Ctrl+C to stop.", flush=True)
        while all(p.started.poll() is None for p in running):
            time.sleep(1)
        print("A part of the stack stopped; stopping the rest.", file=sys.stderr)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        stop_all(running)


if __name__ == "__main__":
    main()
