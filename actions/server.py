"""Runs the action server bound to localhost (ACTION_SERVER_HOST to change), which `rasa run actions` cannot do.

On top of rasa-sdk's app: our security headers on every response, and errors answered with their own status and
a short JSON message. rasa-sdk's handler answers every exception, even a 404 or a body that is not JSON, with a
500 that echoes the request body (the conversation).
"""

import logging
import os
from http import HTTPStatus

from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from common import privacy_logging, security_headers

logger = logging.getLogger(__name__)
# Longer than aiohttp's 15 s: Rasa keeps its connections here open between calls (bot/rasa_speedups.py), and the
# client, not the server, must be the one to close an idle one, or a call could meet a connection being closed.
KEEP_ALIVE_SECONDS = 30


def error_reply(_request: Request, error: Exception) -> HTTPResponse:
    status = error.status_code if isinstance(error, SanicException) else HTTPStatus.INTERNAL_SERVER_ERROR
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        logger.error("Action server: a request failed.", exc_info=error)  # privacy_logging keeps only its type
    return response.json({"error": HTTPStatus(status).phrase}, status=status)


def main() -> None:
    privacy_logging.install()
    app = create_app("actions", cors_origins=None)
    app.error_handler.add(Exception, error_reply)  # replaces rasa-sdk's
    app.register_middleware(security_headers.add_to_response, "response")
    app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_SECONDS
    app.run(
        host=os.environ.get("ACTION_SERVER_HOST", "127.0.0.1"),
        port=int(os.environ.get("ACTION_SERVER_PORT", "5055")),
        workers=1,
        access_log=False,
        motd=False,
    )


if __name__ == "__main__":
    main()
