"""Staff accounts: roles, password rules and hashing, and creating or changing an account."""

from __future__ import annotations

import re
import secrets
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..staff_models import ROLES, StaffAccount
from . import audit

MIN_PASSWORD_LENGTH = 12
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Each role can do everything the roles before it can.
RANK = {role: rank for rank, role in enumerate(ROLES)}
ROLE_NAMES = {
    "editor": "Editor: drafts changes",
    "approver": "Approver: publishes and archives",
    "admin": "Admin: also manages accounts",
}

hasher = PasswordHasher()
_DUMMY_HASH = hasher.hash(secrets.token_hex(16))


class Actor(Protocol):
    """Whoever acts: a signed-in Staff snapshot or a StaffAccount row."""

    id: int
    email: str
    role: str


class AccountProblem(ValueError):
    """A plain-words reason an account cannot be created or changed."""


def can(account, role: str) -> bool:
    """Signed-out visitors have no role, so they can do nothing."""
    held = getattr(account, "role", None)
    return held in RANK and RANK[held] >= RANK[role]


def password_problem(password: str) -> str | None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"The password must be at least {MIN_PASSWORD_LENGTH} characters long."
    return None


def password_matches(account: StaffAccount | None, password: str) -> bool:
    """Always does the work of one check, so a missing account takes as long as a wrong password."""
    try:
        return hasher.verify(account.password_hash if account else _DUMMY_HASH, password) and account is not None
    except (VerificationError, InvalidHashError):
        return False


def find(session: Session, email: str) -> StaffAccount | None:
    return session.scalars(select(StaffAccount).where(func.lower(StaffAccount.email) == email.strip().lower())).first()


def snapshot(account: StaffAccount) -> dict:
    """What the audit log keeps about an account: never the password hash."""
    return {"email": account.email, "name": account.name, "role": account.role, "active": account.active}


def create_account(session: Session, email: str, name: str, role: str, password: str, actor: str) -> StaffAccount:
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise AccountProblem(f"'{email}' is not an email address.")
    if role not in ROLES:
        raise AccountProblem(f"The role must be one of {', '.join(ROLES)}.")
    problem = password_problem(password)
    if problem:
        raise AccountProblem(problem)
    if find(session, email):
        raise AccountProblem(f"There is already an account for {email}.")
    account = StaffAccount(
        email=email,
        name=name.strip() or email,
        role=role,
        password_hash=hasher.hash(password),
        session_token=secrets.token_hex(16),
        active=True,
        failed_logins=0,
    )
    session.add(account)
    session.flush()
    audit.record(session, actor, "created account", "account", email, after=snapshot(account))
    return account


def set_password(session: Session, account: StaffAccount, password: str, actor: str) -> None:
    """Also signs the account out of every other session."""
    problem = password_problem(password)
    if problem:
        raise AccountProblem(problem)
    account.password_hash = hasher.hash(password)
    account.session_token = secrets.token_hex(16)
    session.flush()
    audit.record(session, actor, "changed password", "account", account.email)


def update_account(session: Session, account: StaffAccount, name: str, role: str, active: bool, actor: str) -> None:
    if role not in ROLES:
        raise AccountProblem(f"The role must be one of {', '.join(ROLES)}.")
    before = snapshot(account)
    account.name, account.role = name.strip() or account.email, role
    if account.active and not active:
        account.session_token = secrets.token_hex(16)
    account.active = active
    session.flush()
    audit.record(session, actor, "changed account", "account", account.email, before, snapshot(account))


def unlock(session: Session, account: StaffAccount, actor: str) -> None:
    account.locked_until, account.failed_logins = None, 0
    session.flush()
    audit.record(session, actor, "unlocked account", "account", account.email)
