"""gunicorn, which serves the admin and the API, logs a malformed request itself, before Flask sees it: the log
line must hold neither the client's address nor the raw request line."""

from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.stack

REQUEST_MARK = "private-words-7f3a"


def test_a_malformed_request_is_logged_without_the_address_or_the_request_line(start_spare_stack):
    admin = start_spare_stack(parts=("staff admin and catalogue API",))
    with socket.create_connection(("127.0.0.1", admin.ports["admin_port"]), timeout=10) as connection:
        connection.sendall(f"GET /{REQUEST_MARK} HTTP/1.1 {REQUEST_MARK}\r\nHost: localhost\r\n\r\n".encode())
        answer = connection.recv(4096).decode("latin-1")
    admin.stop_all()
    log = admin.log_path.read_text(encoding="utf-8", errors="replace")
    assert answer.startswith("HTTP/1.1 400")
    assert "Invalid request" in log
    assert REQUEST_MARK not in log and "ip=" not in log
