"""Services: the list, the edit form that saves a draft, and archive and restore."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import func, or_, select

from ...db import session_scope
from ...models import STATUSES, Service
from ...records import RecordError
from ...staff_models import PendingChange
from ..forms import ActionForm, ServiceForm
from ..service_form import add_blank_rows, form_data, record_from_form, set_choices
from ..workflow import (
    ChangeRefused,
    EditBase,
    StaleEdit,
    check,
    find_service,
    propose,
    set_status,
    waiting_change,
    working_record,
)
from .base import PER_PAGE, StaffView, page_number, problem_lines, require, whole_number


class ServicesView(StaffView):
    @expose("/")
    def index(self):
        search = (request.args.get("q") or "").strip()
        status = request.args.get("status") if request.args.get("status") in STATUSES else ""
        page = page_number()
        query = select(Service)
        if search:
            pattern = f"%{search.lower()}%"
            query = query.where(or_(func.lower(Service.name).like(pattern), Service.key.like(pattern)))
        if status:
            query = query.where(Service.status == status)
        with session_scope() as db:
            total = db.scalar(select(func.count()).select_from(query.subquery()))
            services = list(db.scalars(query.order_by(Service.name).offset((page - 1) * PER_PAGE).limit(PER_PAGE)))
            waiting = set(db.scalars(select(PendingChange.service_key).where(PendingChange.state == "waiting")))
        return self.render(
            "services_list.html",
            services=services,
            waiting=waiting,
            search=search,
            status=status,
            statuses=STATUSES,
            page=page,
            pages=max(1, -(-total // PER_PAGE)),
            total=total,
        )

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
            service = find_service(db, key) if key else None
            record, base = working_record(db, key) if key else (None, EditBase(0, 0))
            if key and record is None:
                abort(404, description="There is no service with that key.")
            if request.method == "POST":
                form = ServiceForm()
            else:
                form = ServiceForm(data=form_data(record) if record else None)
                form.base_version.data, form.draft_id.data = base.version, base.draft_id
            set_choices(form, db)
            if service is not None and service.status == "archived":
                problems.append("This service is archived. Restore it before changing it.")
            elif form.validate_on_submit():
                change_id, problems, stale = self._save(db, form, key)
                if change_id:
                    flash("Your change is saved as a draft. An approver will check and publish it.", "success")
                    return redirect(url_for("changes.show", change_id=change_id))
            elif request.method == "POST":
                problems = [error for errors in form.errors.values() for error in _messages(errors)]
            add_blank_rows(form)
            draft = waiting_change(db, key) if key else None
            page = self.render(
                "service_form.html",
                form=form,
                key=key,
                service=service,
                draft=draft,
                problems=problems,
                stale=stale,
                action=ActionForm(version=service.version if service else ""),
            )
        return page, 409 if stale else 200

    @staticmethod
    def _save(db, form: ServiceForm, key: str | None) -> tuple[int | None, list[str], str | None]:
        """(draft id, problems, stale message): the draft is saved only when there are no problems."""
        new_key = key or (form.key.data or "").strip()
        record, errors = record_from_form(form, new_key)
        if key is None and (find_service(db, new_key) or waiting_change(db, new_key)):
            errors.append(RecordError("This service", "key", f"'{new_key}' is already used by another service"))
        errors += check(db, record)
        if errors:
            return None, problem_lines(errors), None
        posted = EditBase(whole_number(form.base_version.data), whole_number(form.draft_id.data))
        try:
            return propose(db, current_user, record, posted).id, [], None
        except StaleEdit as error:
            db.rollback()
            return None, [], error.message

    @expose("/<key>/archive", methods=("POST",))
    def archive(self, key: str):
        return self._set_status(key, "archived", "Archived. The assistant no longer offers this service.")

    @expose("/<key>/restore", methods=("POST",))
    def restore(self, key: str):
        return self._set_status(key, "published", "Restored and published.")

    def _set_status(self, key: str, status: str, done: str):
        require("approver")
        form = ActionForm()
        try:
            with session_scope() as db:
                set_status(db, current_user, key, whole_number(form.version.data), status)
        except (StaleEdit, ChangeRefused) as error:
            flash(error.message, "error")
        else:
            flash(done, "success")
        return redirect(url_for(".edit", key=key))


def _messages(errors) -> list[str]:
    """WTForms nests the errors of repeated sub-forms in lists and dicts."""
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _messages(value)]
    if isinstance(errors, list):
        return [message for value in errors for message in _messages(value)]
    return [str(errors)]
