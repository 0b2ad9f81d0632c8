"""Signing in, limited per account and per client address.

Five wrong passwords in a row lock the account for 15 minutes (and the audit log records it); twenty failures
from one address within 15 minutes refuse that address for the rest of the window, whichever emails it tries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..models import utcnow
from ..staff_models import LoginFailure, StaffAccount
from . import accounts, audit

LOCK_AFTER = 5
LOCK_FOR = dt.timedelta(minutes=15)
ADDRESS_LIMIT = 20
KEEP_FAILURES_FOR = dt.timedelta(days=1)

WRONG = "That email address and password do not match. Check them and try again."
LOCKED = "This account is locked after too many wrong passwords. Try again in 15 minutes, or ask an admin to unlock it."
BUSY_ADDRESS = "Too many failed sign-ins from your network. Wait 15 minutes and try again."
SWITCHED_OFF = "This account has been switched off. Ask an admin if you need it again."


@dataclass(frozen=True)
class SignIn:
    account: StaffAccount | None
    refusal: str | None


def _recent_failures_from(session: Session, address: str, now: dt.datetime) -> int:
    return session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.address == address, LoginFailure.at > now - LOCK_FOR)
    )


def sign_in(session: Session, email: str, password: str, address: str) -> SignIn:
    """Never raises for a refusal, so the caller's transaction keeps the failure it recorded."""
    now = utcnow()
    if _recent_failures_from(session, address, now) >= ADDRESS_LIMIT:
        return SignIn(None, BUSY_ADDRESS)
    account = accounts.find(session, email)
    if account and account.locked_until and account.locked_until > now:
        return SignIn(None, LOCKED)
    # Checked even for an unknown address, so the reply takes as long either way.
    if accounts.password_matches(account, password) and account is not None:
        if not account.active:
            return SignIn(None, SWITCHED_OFF)
        account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
        if accounts.hasher.check_needs_rehash(account.password_hash):
            account.password_hash = accounts.hasher.hash(password)
        audit.record(session, account.email, "signed in", "account", account.email, note=f"from {address}")
        return SignIn(account, None)
    return SignIn(None, _record_failure(session, account, email, address, now))


def _record_failure(session: Session, account: StaffAccount | None, email: str, address: str, now: dt.datetime) -> str:
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - KEEP_FAILURES_FOR))
    session.add(LoginFailure(address=address, email=email.strip().lower()[:254], at=now))
    if account is None:
        return WRONG
    account.failed_logins += 1
    if account.failed_logins < LOCK_AFTER:
        return WRONG
    account.failed_logins, account.locked_until = 0, now + LOCK_FOR
    audit.record(
        session,
        "sign-in limit",
        "locked account",
        "account",
        account.email,
        note=f"{LOCK_AFTER} wrong passwords in a row, the last from {address}; locked for 15 minutes",
    )
    return LOCKED
