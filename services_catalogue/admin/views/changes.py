"""Drafts waiting for approval: the side-by-side comparison, and publish or reject."""

from __future__ import annotations

import json

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...db import session_scope
from ...staff_models import PendingChange
from ..accounts import can
from ..diff import side_by_side
from ..forms import ActionForm
from ..workflow import ChangeRefused, StaleEdit, find_service, plain_record, publish, reject
from .base import StaffView, require

RECENT = 30


class ChangesView(StaffView):
    @expose("/")
    def index(self):
        with session_scope() as db:
            query = select(PendingChange).options(
                selectinload(PendingChange.proposed_by), selectinload(PendingChange.decided_by)
            )
            waiting = list(db.scalars(query.where(PendingChange.state == "waiting").order_by(PendingChange.id)))
            decided = list(
                db.scalars(
                    query.where(PendingChange.state != "waiting").order_by(PendingChange.id.desc()).limit(RECENT)
                )
            )
        return self.render("changes_list.html", waiting=waiting, decided=decided)

    @expose("/<int:change_id>")
    def show(self, change_id: int):
        return self._page(change_id)

    def _page(self, change_id: int, problem: str | None = None, status: int = 200):
        with session_scope() as db:
            change = db.scalars(
                select(PendingChange)
                .options(selectinload(PendingChange.proposed_by), selectinload(PendingChange.decided_by))
                .where(PendingChange.id == change_id)
            ).first()
            if change is None:
                abort(404, description="There is no draft with that number.")
            rows = side_by_side(plain_record(find_service(db, change.service_key)), json.loads(change.record))
        may_decide = change.state == "waiting" and can(current_user, "approver")
        return self.render(
            "change.html",
            change=change,
            rows=rows,
            problem=problem,
            may_decide=may_decide,
            own=change.proposed_by_id == current_user.id,
            action=ActionForm(),
        ), status

    @expose("/<int:change_id>/publish", methods=("POST",))
    def publish(self, change_id: int):
        return self._decide(change_id, publish, "Published. The assistant shows the new details from now on.")

    @expose("/<int:change_id>/reject", methods=("POST",))
    def reject(self, change_id: int):
        return self._decide(change_id, reject, "Rejected. The published service is unchanged.")

    def _decide(self, change_id: int, decision, done: str):
        require("approver")
        try:
            with session_scope() as db:
                decision(db, current_user, change_id)
        except (ChangeRefused, StaleEdit) as error:
            return self._page(change_id, error.message, 409)
        flash(done, "success")
        return redirect(url_for(".index"))
