"""Starts the whole assistant on localhost and stops it cleanly: `make run` and the test suite share this.

Rasa :5005 (REST and web chat channels), action server :5055, website demo :8080, staff admin and catalogue
API :8081.
As the local launcher it is the SMS channel's dev mode: without SENDER_HASH_SECRET, Rasa gets one generated
once into var/ (bot/channels/pseudonym.py); started any other way, Rasa refuses to start without it.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

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


def parts(model: Path = MODEL, rasa_port: int = RASA_PORT, actions_port: int = ACTIONS_PORT,
          admin_port: int = ADMIN_PORT, website_port: int = WEBSITE_PORT) -> list[Part]:
    return [
        Part("action server", actions_port, [str(BIN / "python"), "-m", "actions.server"],
             {"ACTION_SERVER_PORT": str(actions_port)}),
        Part("Rasa", rasa_port, [
            str(BIN / "python"), "-m", "bot.serve", "run", "--model", str(model), "--endpoints", "bot/endpoints.yml",
            "--credentials", "bot/credentials.yml", "--interface", "127.0.0.1", "--port", str(rasa_port),
            "--quiet",
        ], {**pseudonym.dev_secret_env(), "ACTION_ENDPOINT_URL": f"http://localhost:{actions_port}/webhook"}),
        Part("staff admin and catalogue API", admin_port, [
            str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{admin_port}", "--workers", "2", "--log-level", "warning",
            "services_catalogue.web:create_app()",
        ]),
        Part("website", website_port, [str(BIN / "python"), "-m", "website.server"],
             {"WEBSITE_PORT": str(website_port), "RASA_URL": f"http://localhost:{rasa_port}"}),
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


def start(part: Part, env: dict[str, str] | None = None, output=None) -> Part:
    environment = {**os.environ, **QUIET_ENV, **part.env, **(env or {})}
    part.process = subprocess.Popen(part.command, cwd=ROOT, env=environment, stdout=output, stderr=output,
                                    start_new_session=True)
    return part


def wait_until_ready(running: list[Part], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    for part in running:
        while not port_open(part.port):
            if part.process.poll() is not None:
                raise RuntimeError(f"The {part.name} stopped while starting (exit {part.process.returncode}).")
            if time.monotonic() > deadline:
                raise RuntimeError(f"The {part.name} did not open port {part.port} in {timeout:.0f} s.")
            time.sleep(0.25)


def stop(part: Part) -> None:
    if part.process and part.process.poll() is None:
        os.killpg(part.process.pid, signal.SIGTERM)
        try:
            part.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(part.process.pid, signal.SIGKILL)
            part.process.wait()


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a plain `kill` still stops every part
    busy = [p for p in parts() if port_open(p.port)]
    if busy:
        sys.exit("Port(s) already in use: " + ", ".join(f"{p.port} ({p.name})" for p in busy))
    running = [start(p) for p in parts()]
    try:
        wait_until_ready(running)
        print("\nThe assistant is running:")
        print(f"  REST channel     http://localhost:{RASA_PORT}/webhooks/rest/webhook")
        print(f"  SMS (Twilio)     http://localhost:{RASA_PORT}/webhooks/sms/webhook (docs/sms.md)")
        print(f"  Action server    http://localhost:{ACTIONS_PORT}/health")
        print(f"  Website chat     http://localhost:{WEBSITE_PORT}/ (the demo council page)")
        print(f"  Staff admin      http://localhost:{ADMIN_PORT}/admin/")
        print(f"  Catalogue API    http://localhost:{ADMIN_PORT}/services")
        print("Press Ctrl+C to stop.", flush=True)
        while all(p.process.poll() is None for p in running):
            time.sleep(1)
        print("A part of the stack stopped; stopping the rest.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        for part in reversed(running):
            stop(part)


if __name__ == "__main__":
    main()
