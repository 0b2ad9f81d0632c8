"""The security headers of every response from our API servers: Rasa, the action server, the catalogue API.

They answer JSON, TwiML or plain text, never a page, so the Content-Security-Policy allows nothing at all (a
browser that is sent to one of these addresses, or frames it, runs and shows nothing of it), and nothing is
cached: a chat reply is about someone's life. The website demo (website/server.py) and the staff admin
(services_catalogue/web.py) serve pages and keep their own page policies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the Flask app reads API_HEADERS without importing Sanic
    from sanic import Blueprint, Sanic
    from sanic.request import Request
    from sanic.response import BaseHTTPResponse, HTTPResponse

API_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


# What Rasa's root route says instead of "Hello from Rasa: <version>": a version tells a scanner which advisories
# apply, and a health check needs only an answer.
ROOT_ANSWER = "OK"


def add_to_response(request: Request, response: BaseHTTPResponse) -> HTTPResponse | None:
    """Sanic response middleware; it also runs for 404s, 405s, 413s and error pages."""
    response.headers.update(API_HEADERS)
    if request.path == "/" and response.status == 200:
        from sanic.response import text

        return text(ROOT_ANSWER, headers=API_HEADERS)
    return None


def send_from_whole_app(blueprint: Blueprint) -> None:
    """For a Rasa input channel's blueprint. Blueprint middleware covers only the blueprint's own routes, and
    `rasa run` builds the Sanic app itself, so the blueprint reaches the app through a server listener and adds
    the middleware there: Rasa's own routes (/) and unrouted requests (404) get the headers too. Each of our
    channels does this; Sanic registers the same middleware only once."""

    @blueprint.listener("before_server_start")
    async def add_middleware(app: Sanic, _loop) -> None:
        app.register_middleware(add_to_response, "response")
