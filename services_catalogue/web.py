"""The staff-side web application on :8081: the Open Referral UK API at / and the staff admin at /admin/."""

from __future__ import annotations

from flask import Flask, abort, jsonify, make_response, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from common import privacy_logging, security_headers

from .admin import init_admin
from .admin.errors import error_page, is_admin_request
from .api import api
from .db import CatalogueUnavailable

MAX_REQUEST_BYTES = 2 * 1024 * 1024

# The admin's pages load only their own CSS and scripts; the API's JSON gets common/security_headers.py's.
ADMIN_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def unreadable_fields() -> bool:
    """What no browser sends and the catalogue cannot take: a NUL character (PostgreSQL cannot store one) and a
    form part whose name could not be read (Flask-WTF's token check fails on it)."""
    fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
    return "\x00" in request.path or any(name is None or "\x00" in name or "\x00" in value for name, value in fields)


def create_app() -> Flask:
    privacy_logging.install()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.json.sort_keys = False  # type: ignore[attr-defined]  # Flask's default provider has it
    app.register_blueprint(api)

    @app.before_request
    def refuse_unreadable_fields():
        if unreadable_fields():
            abort(400, description="The request holds a field or character that cannot be read.")

    init_admin(app)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if is_admin_request():
            response = make_response(error_page(error.code or 500, error))
        else:
            response = make_response(jsonify({"error": error.name, "message": error.description}), error.code)
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)  # RFC 9110: a 405 says what is allowed
        return response

    @app.errorhandler(CatalogueUnavailable)
    def catalogue_down(_error):
        if is_admin_request():
            return error_page(503)
        return jsonify(
            {"error": "Service Unavailable", "message": "The catalogue is unavailable. Try again soon."}
        ), 503

    @app.errorhandler(Exception)
    def unexpected(_error):
        app.logger.exception("Unexpected error")
        if is_admin_request():
            return error_page(500)
        return jsonify({"error": "Internal Server Error", "message": "Something went wrong."}), 500

    @app.after_request
    def secure(response):
        response.headers.update(ADMIN_HEADERS if is_admin_request() else security_headers.API_HEADERS)
        return response

    return app
