"""Accounts, for admins: add staff, change roles, switch accounts off, reset passwords and unlock."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select

from ...db import session_scope
from ...models import utcnow
from ...staff_models import StaffAccount
from ..accounts import AccountProblem, create_account, set_password, unlock, update_account
from ..forms import AccountForm, ActionForm, NewAccountForm, SetPasswordForm
from .base import StaffView, whole_number

STALE = "Someone else changed this account since you opened it; reload and try again."


def _account(db, account_id: int) -> StaffAccount:
    account = db.get(StaffAccount, account_id)
    if account is None:
        abort(404, description="There is no account with that number.")
    return account


class AccountsView(StaffView):
    def __init__(self):
        super().__init__("Accounts", "accounts", role="admin")

    @expose("/")
    def index(self):
        with session_scope() as db:
            accounts = list(db.scalars(select(StaffAccount).order_by(StaffAccount.email)))
        return self.render("accounts_list.html", accounts=accounts, now=utcnow())

    @expose("/new", methods=("GET", "POST"))
    def new(self):
        form = NewAccountForm()
        problem = None
        if form.validate_on_submit():
            try:
                with session_scope() as db:
                    create_account(
                        db,
                        form.email.data,
                        form.name.data or "",
                        form.role.data,
                        form.password.data,
                        current_user.email,
                    )
            except AccountProblem as error:
                problem = str(error)
            else:
                flash(f"Account created for {form.email.data.strip().lower()}.", "success")
                return redirect(url_for(".index"))
        return self.render("account_new.html", form=form, problem=problem)

    @expose("/<int:account_id>", methods=("GET", "POST"))
    def edit(self, account_id: int):
        problem = None
        with session_scope() as db:
            account = _account(db, account_id)
            form = AccountForm(obj=account)
            if form.validate_on_submit():
                if whole_number(form.version.data) != account.version:
                    problem = STALE
                elif account.id == current_user.id and (form.role.data != "admin" or not form.active.data):
                    problem = "You cannot take away your own admin role or switch yourself off."
                else:
                    try:
                        update_account(
                            db, account, form.name.data or "", form.role.data, form.active.data, current_user.email
                        )
                    except AccountProblem as error:
                        problem = str(error)
                    else:
                        flash("Account saved.", "success")
                        return redirect(url_for(".index"))
            page = self.render(
                "account_form.html",
                form=form,
                account=account,
                problem=problem,
                password_form=SetPasswordForm(formdata=None),
                action=ActionForm(version=account.version),
            )
        return page, 409 if problem == STALE else 200

    @expose("/<int:account_id>/password", methods=("POST",))
    def reset_password(self, account_id: int):
        form = SetPasswordForm()
        if not form.validate_on_submit():
            flash(" ".join(form.password.errors) or "Enter a new password.", "error")
            return redirect(url_for(".edit", account_id=account_id))
        try:
            with session_scope() as db:
                set_password(db, _account(db, account_id), form.password.data, current_user.email)
        except AccountProblem as error:
            flash(str(error), "error")
        else:
            flash("Password set. The account has been signed out everywhere.", "success")
        return redirect(url_for(".edit", account_id=account_id))

    @expose("/<int:account_id>/unlock", methods=("POST",))
    def unlock(self, account_id: int):
        with session_scope() as db:
            unlock(db, _account(db, account_id), current_user.email)
        flash("Account unlocked.", "success")
        return redirect(url_for(".edit", account_id=account_id))
