"""The admin's secret key and session settings.

ADMIN_SECRET_KEY signs the session cookie. Without it, a key is generated once and kept in var/admin-secret
(readable by its owner only) so `make run` works on a laptop and sessions survive a restart.
ADMIN_SECURE_COOKIES=0 drops the cookie's Secure flag for plain-http local use and tests; anywhere else leave
it unset, so the cookie only travels over https.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from common.local_secret import local_secret

SECRET_FILE = Path("var/admin-secret")
IDLE_TIMEOUT = dt.timedelta(minutes=30)


def secret_key(path: Path = SECRET_FILE) -> str:
    return local_secret("ADMIN_SECRET_KEY", path)


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
