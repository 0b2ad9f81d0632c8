"""The staff admin's tables: accounts, failed sign-ins, the audit log and changes waiting for approval."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import relationship

from .models import Base, utcnow

ROLES = ("editor", "approver", "admin")


class StaffAccount(Base):
    __tablename__ = "staff_account"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    role = Column(String(20), nullable=False)
    password_hash = Column(String(200), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    # Part of the session cookie; replacing it signs the account out everywhere (password change, deactivation).
    session_token = Column(String(64), nullable=False)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_login_at = Column(DateTime, nullable=True)
    version = Column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class LoginFailure(Base):
    """One wrong password, kept briefly so sign-ins can be limited per client address."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_address_at", "address", "at"),)

    id = Column(Integer, primary_key=True)
    address = Column(String(64), nullable=False)
    email = Column(String(254), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)


class AuditEntry(Base):
    """Who changed what and when, with the record before and after as JSON. Never updated or deleted."""

    __tablename__ = "audit_entry"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    actor = Column(String(254), nullable=False)  # an email, kept as text so the log outlives any account
    action = Column(String(40), nullable=False)
    subject_type = Column(String(40), nullable=False)
    subject_key = Column(String(254), nullable=False, index=True)
    before = Column(Text, nullable=True)
    after = Column(Text, nullable=True)
    note = Column(Text, nullable=True)


class AuditLogIsPermanent(RuntimeError):
    """Something tried to change or remove an audit entry."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_audit_rewrite(_mapper, _connection, entry: AuditEntry) -> None:
    raise AuditLogIsPermanent(f"Audit entry {entry.id} cannot be changed or deleted.")


class PendingChange(Base):
    """A service as an editor wants it, waiting for an approver. `base_version` is the service version the
    editor started from (None for a new service): publishing refuses it when the service has moved on."""

    __tablename__ = "pending_change"

    id = Column(Integer, primary_key=True)
    service_key = Column(String(120), nullable=False, index=True)
    # Equal to service_key while waiting and NULL afterwards: the unique index allows one waiting change per service.
    waiting_key = Column(String(120), nullable=True, unique=True)
    base_version = Column(Integer, nullable=True)
    record = Column(Text, nullable=False)
    state = Column(String(20), nullable=False, default="waiting", index=True)
    proposed_by_id = Column(Integer, ForeignKey("staff_account.id"), nullable=False)
    proposed_at = Column(DateTime, nullable=False, default=utcnow)
    decided_by_id = Column(Integer, ForeignKey("staff_account.id"), nullable=True)
    decided_at = Column(DateTime, nullable=True)
    version = Column(Integer, nullable=False, default=1)

    proposed_by = relationship("StaffAccount", foreign_keys=[proposed_by_id])
    decided_by = relationship("StaffAccount", foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}
