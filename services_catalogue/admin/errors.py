"""Error pages for staff: a calm page in the admin's look instead of the API's JSON."""

from __future__ import annotations

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

ADMIN_PREFIX = "/admin"

MESSAGES = {
    400: "The form could not be read. If it had expired, go back, reload the page and try again.",
    401: "Please sign in.",
    403: "Your account cannot do this. Ask an admin if you need to.",
    404: "There is nothing at this address.",
    405: "That page cannot be used that way.",
    413: "That file is too large. Split it into smaller files of under 2 MB.",
    500: (
        "Something went wrong on our side. Your change was not saved; try again, and tell the team if it keeps "
        "happening."
    ),
    503: "The catalogue is unavailable. Try again in a few minutes.",
}
CSRF_MESSAGE = (
    "This form had expired or did not come from this site, so nothing was saved. Reload the page and try again."
)


def is_admin_request() -> bool:
    return request.path == ADMIN_PREFIX or request.path.startswith(ADMIN_PREFIX + "/")


def error_page(code: int, error: HTTPException | None = None):
    """The description an HTTPException carries when we wrote it ourselves, else a standard sentence."""
    message = MESSAGES.get(code, "That did not work.")
    if isinstance(error, CSRFError):
        message = CSRF_MESSAGE
    elif error is not None and error.description and error.description != type(error).description:
        message = error.description
    return render_template("staff/error.html", code=code, message=message), code
