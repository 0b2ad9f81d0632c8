"""The conversation id of an SMS sender: a keyed hash of their phone number, never the number itself.

HMAC-SHA256 of the E.164 form of the number ("07700 900123" and "+447700900123" are one person) under
SENDER_HASH_SECRET. Without the secret nobody can test guessed numbers against stored ids, so it is required:
Rasa refuses to start without it. The one exception is the local launcher (tools/stack.py, used by `make run` and
the benchmarks): it generates a secret once into var/sender-hash-secret, readable by its owner only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import phonenumbers

from common.local_secret import local_secret

SECRET_VARIABLE = "SENDER_HASH_SECRET"
DEV_SECRET_FILE = Path(__file__).resolve().parents[2] / "var" / "sender-hash-secret"
MIN_SECRET_LENGTH = 16


class MissingSecret(RuntimeError):
    pass


def configured_secret() -> bytes:
    secret = os.environ.get(SECRET_VARIABLE, "")
    if len(secret) < MIN_SECRET_LENGTH:
        raise MissingSecret(
            f"{SECRET_VARIABLE} must be set to a random value of at least {MIN_SECRET_LENGTH} characters "
            f"(for example: python -c 'import secrets; print(secrets.token_hex(32))'). It keys the hash that "
            f"stands in for SMS senders' phone numbers. `make run` generates one for local use."
        )
    return secret.encode("utf-8")


def e164(number: str) -> str:
    """The number in E.164 form; UK numbers may come without +44. Short codes and names pass through."""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return number.strip()
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def sender_id(number: str, secret: bytes) -> str:
    return "sms-" + hmac.new(secret, e164(number).encode("utf-8"), hashlib.sha256).hexdigest()


def dev_secret_env(path: Path = DEV_SECRET_FILE) -> dict[str, str]:
    """For the local launcher only: the configured secret wins; otherwise one generated once into `path`."""
    if os.environ.get(SECRET_VARIABLE):
        return {}
    return {SECRET_VARIABLE: local_secret(SECRET_VARIABLE, path)}
