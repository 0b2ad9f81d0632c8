"""The website demo on http://localhost:8080/: the council page and the chat widget's files, nothing else.

A stand-in for the council's own web server, with the headers we ask of it: a Content-Security-Policy with no
'unsafe-inline' (the page and widget have no inline scripts, styles or handlers) that lets the page talk only to
the Rasa server and its own origin (the widget fetches its words in other languages from beside itself), no
referrer, no sniffing, no caching (so a chat page is never restored from cache).
`python -m website.server`; WEBSITE_PORT and RASA_URL change the port and the Rasa origin.
"""

from __future__ import annotations

import logging
import os
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent
HOME = "demo/index.html"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
ALLOWED_METHODS = "GET, HEAD"


def security_headers(rasa_url: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            f"connect-src 'self' {rasa_url}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }


def file_for(url_path: str) -> Path | None:
    """The file a URL names, only if it is one of ours to serve: under website/, of a served type."""
    relative = unquote(urlsplit(url_path).path).lstrip("/") or HOME
    try:
        path = (ROOT / relative).resolve()
        if ROOT not in path.parents or path.suffix not in CONTENT_TYPES or not path.is_file():
            return None
    except (OSError, ValueError):  # a NUL byte ("%00") or a name too long for the file system
        return None
    return path


class Handler(BaseHTTPRequestHandler):
    server_version = "website"
    sys_version = ""
    headers_to_send: dict[str, str] = {}

    def _reply(
        self, status: HTTPStatus, body: bytes, content_type: str, with_body: bool, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        for name, value in {**self.headers_to_send, **(extra or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _serve(self, with_body: bool) -> None:
        path = file_for(self.path)
        if path is None:
            self._reply(HTTPStatus.NOT_FOUND, b"Not found.\n", "text/plain; charset=utf-8", with_body)
        else:
            self._reply(HTTPStatus.OK, path.read_bytes(), CONTENT_TYPES[path.suffix], with_body)

    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def _not_allowed(self) -> None:
        self._reply(
            HTTPStatus.METHOD_NOT_ALLOWED,
            b"Only GET and HEAD.\n",
            "text/plain; charset=utf-8",
            True,
            {"Allow": ALLOWED_METHODS},  # RFC 9110: a 405 names the methods that work
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def log_message(self, format: str, *args) -> None:
        """Quiet, like the other servers at LOG_LEVEL=WARNING: paths are never personal, but logs stay small."""


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """The standard library prints the client's address and a traceback; we log the error's type alone."""
        logger.error(f"website: a request failed ({type(sys.exc_info()[1]).__name__})")


def make_server(port: int, rasa_url: str) -> ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"headers_to_send": security_headers(rasa_url)})
    return Server(("127.0.0.1", port), handler)


def main() -> None:
    server = make_server(
        int(os.environ.get("WEBSITE_PORT", "8080")), os.environ.get("RASA_URL", "http://localhost:5005").rstrip("/")
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
