"""Several Rasa processes on one machine, as in production: nginx in front of them, and a Redis of their own
holding the conversations and their locks. For the scale-out test and bench; both are `tools.stack` parts, so
`stack.start`, `wait_until_ready` and `stop` run them.

nginx proxies to the Rasa processes with the production proxy settings (deploy/nginx/rasa-proxy.conf): round
robin, and a process that is down is skipped. Its access log holds which process answered each request and the
status, nothing else, so a test can tell where each turn went.
"""

from __future__ import annotations

import os
import pwd
import shutil
import time
from pathlib import Path

from tools.stack import ROOT, Part

PROXY_SETTINGS = ROOT / "deploy" / "nginx" / "rasa-proxy.conf"
REDIS_SETTINGS = ROOT / "deploy" / "redis" / "bucks-dva.conf"
ACCESS_LOG = "access.log"
# Debian puts nginx in /usr/sbin, which is not on every user's PATH. None when not installed.
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin") or ""  # "" when not installed
REDIS_SERVER = shutil.which("redis-server") or ""


def nginx_config(port: int, rasa_ports: list[int], folder: Path) -> str:
    """A whole nginx configuration that keeps every file it writes in `folder`."""
    servers = "\n".join(
        f"        server 127.0.0.1:{rasa_port} max_fails=1 fail_timeout=10s;" for rasa_port in rasa_ports
    )
    temp_paths = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # `user` is ignored unless nginx starts as root; as root, the workers keep our user rather than nobody,
    # so they can use `folder`.
    return f"""user {pwd.getpwuid(os.geteuid()).pw_name};
daemon off;
# One worker, so one round robin: requests one after another go to the processes strictly in turn.
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{
    worker_connections 512;
}}
http {{
    log_format answered_by '$upstream_addr $status';
    access_log {folder / ACCESS_LOG} answered_by;
{temp_paths}
    upstream bucks_dva_rasa {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location /webhooks/ {{
            include {PROXY_SETTINGS};
        }}
    }}
}}
"""


def nginx_part(port: int, rasa_ports: list[int], folder: Path) -> Part:
    """nginx on `port`, round robin over the Rasa processes on `rasa_ports`."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "nginx.conf"
    config.write_text(nginx_config(port, rasa_ports, folder))
    return Part("nginx", port, [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)])


def answered_by(folder: Path, count: int, timeout: float = 5) -> list[str]:
    """For the first `count` requests nginx answered, in order, the Rasa address(es) it tried ("127.0.0.1:5005",
    or "127.0.0.1:5006, 127.0.0.1:5005" when the first was down). nginx logs a request just after replying, so
    this waits for the log to catch up."""
    log = folder / ACCESS_LOG
    deadline = time.monotonic() + timeout
    while True:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            return [line.rsplit(" ", 1)[0] for line in lines[:count]]
        time.sleep(0.05)


def redis_part(port: int, folder: Path) -> Part:
    """A Redis with production's settings (deploy/redis/bucks-dva.conf: nothing on disk), on `port`."""
    folder.mkdir(parents=True, exist_ok=True)
    return Part("Redis", port, [REDIS_SERVER, str(REDIS_SETTINGS), "--port", str(port), "--dir", str(folder)])
