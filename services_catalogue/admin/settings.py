"""The admin's secret key and session settings.

ADMIN_SECRET_KEY signs the session cookie. Without it, a key is generated once and kept in var/admin-secret
(readable by its owner only) so `make run` works on a laptop and sessions survive a restart.
ADMIN_SECURE_COOKIES=0 drops the cookie's Secure flag for plain-http local use and tests; anywhere else leave
it unset, so the cookie only travels over https.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

SECRET_FILE = Path("var/admin-secret")
IDLE_TIMEOUT = dt.timedelta(minutes=30)


def secret_key(path: Path = SECRET_FILE) -> str:
    configured = os.environ.get("ADMIN_SECRET_KEY")
    if configured:
        return configured
    if not path.exists():
        _create_secret(path)
    return path.read_text(encoding="ascii").strip()


def _create_secret(path: Path) -> None:
    """Written whole under a temporary name and linked into place, so gunicorn workers starting together
    all read the one complete key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def session_config() -> dict:
    """Flask settings: the session expires after 30 idle minutes and its cookie is HttpOnly and SameSite=Strict."""
    return {
        "SESSION_COOKIE_NAME": "catalogue_admin",
        "SESSION_COOKIE_PATH": "/admin",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_SECURE": os.environ.get("ADMIN_SECURE_COOKIES", "1") != "0",
        "PERMANENT_SESSION_LIFETIME": IDLE_TIMEOUT,
        "SESSION_REFRESH_EACH_REQUEST": True,
        "WTF_CSRF_CHECK_DEFAULT": False,  # checked for every /admin request instead; the API has no forms
    }
