"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from flask import flash, redirect, request, session, url_for
from flask_admin import expose
from flask_login import current_user, login_user, logout_user

from ...db import session_scope
from ...staff_models import StaffAccount
from ..accounts import AccountProblem, password_matches, set_password
from ..forms import ChangePasswordForm, SignInForm
from ..identity import Staff
from ..signin import sign_in
from .base import StaffView


def _safe_next() -> str:
    """Only back into the admin, never to another site."""
    target = request.args.get("next") or ""
    if target.startswith("/admin/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("admin.index")


def start_session(staff: Staff) -> None:
    session.clear()
    login_user(staff)
    session.permanent = True


class SignInView(StaffView):
    def is_accessible(self) -> bool:
        return True

    @expose("/", methods=("GET", "POST"))
    def index(self):
        if current_user.is_authenticated:
            return redirect(url_for("admin.index"))
        form = SignInForm()
        refusal = None
        if form.validate_on_submit():
            with session_scope() as db:
                result = sign_in(db, form.email.data, form.password.data, request.remote_addr or "unknown")
                staff = Staff.of(result.account) if result.account else None
            if staff:
                start_session(staff)
                return redirect(_safe_next())
            refusal = result.refusal
        return self.render("signin.html", form=form, refusal=refusal), 401 if refusal else 200

    @expose("/out", methods=("POST",))
    def sign_out(self):
        logout_user()
        session.clear()
        flash("You have signed out.", "info")
        return redirect(url_for("signin.index"))


class PasswordView(StaffView):
    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = ChangePasswordForm()
        problem = None
        if form.validate_on_submit():
            problem = self._change(form)
            if problem is None:
                flash("Your password has been changed. Any other sessions have been signed out.", "success")
                return redirect(url_for("admin.index"))
        return self.render("password.html", form=form, problem=problem)

    @staticmethod
    def _change(form: ChangePasswordForm) -> str | None:
        if form.password.data != form.repeat.data:
            return "The two new passwords are different."
        with session_scope() as db:
            account = db.get(StaffAccount, current_user.id)
            if not password_matches(account, form.current.data):
                return "Your current password is not right."
            try:
                set_password(db, account, form.password.data, current_user.email)
            except AccountProblem as error:
                return str(error)
            staff = Staff.of(account)
        start_session(staff)
        return None
