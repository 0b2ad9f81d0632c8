"""Who is signed in: a small snapshot of the account, kept apart from the database session."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin

from ..staff_models import StaffAccount


@dataclass(frozen=True)
class Staff(UserMixin):
    id: int
    email: str
    name: str
    role: str
    session_token: str

    @classmethod
    def of(cls, account: StaffAccount) -> Staff:
        return cls(account.id, account.email, account.name, account.role, account.session_token)

    def get_id(self) -> str:
        # The token changes with the password or when the account is switched off, ending older sessions.
        return f"{self.id}:{self.session_token}"
