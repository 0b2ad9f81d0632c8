"""Organisations, needs and areas: one page type for the three, edited directly by approvers."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from ...db import session_scope
from ..reference import Kind, StaleEntry, fingerprint
from .base import StaffView


class ReferenceView(StaffView):
    def __init__(self, kind: Kind, endpoint: str):
        super().__init__(kind.plural, endpoint, role="approver")
        self.kind = kind

    @expose("/")
    def index(self):
        with session_scope() as db:
            items = [self.kind.to_item(row) for row in self.kind.load_all(db)]
        return self.render("reference_list.html", kind=self.kind, items=items)

    @expose("/new", methods=("GET", "POST"))
    def new(self):
        return self._edit(None)

    @expose("/<key>/", methods=("GET", "POST"))
    def edit(self, key: str):
        return self._edit(key)

    def _edit(self, key: str | None):
        problems: list[str] = []
        stale = None
        with session_scope() as db:
            existing = self.kind.find(db, key) if key else None
            if key and existing is None:
                abort(404, description=f"There is no {self.kind.noun} with that code.")
            if request.method == "POST":
                form = self.kind.form()
            else:
                item = self.kind.to_item(existing) if existing is not None else None
                form = self.kind.form(data=self.kind.form_data(item) if item else None)
                form.fingerprint.data = fingerprint(item) if item else ""
            self.kind.set_choices(form, db)
            if form.validate_on_submit():
                new_key = key or (getattr(form, self.kind.key_field).data or "").strip()
                try:
                    problems = self.kind.save(db, current_user.email, new_key, key is None, form)
                except StaleEntry as error:
                    db.rollback()
                    stale = str(error)
                if not problems and not stale:
                    flash(f"Saved. The assistant uses the new {self.kind.noun} details from now on.", "success")
                    return redirect(url_for(".index"))
            elif request.method == "POST":
                problems = [message for messages in form.errors.values() for message in messages]
            page = self.render(
                "reference_form.html", kind=self.kind, form=form, key=key, problems=problems, stale=stale
            )
        return page, 409 if stale else 200
