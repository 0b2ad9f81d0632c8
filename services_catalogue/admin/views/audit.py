"""The audit log: a searchable list, one entry's before and after side by side, and a CSV export."""

from __future__ import annotations

import io

from flask import abort, request
from flask_admin import expose

from ...db import session_scope
from ...staff_models import AuditEntry
from .. import audit
from ..diff import side_by_side
from .base import PER_PAGE, StaffView, download, page_number


class AuditView(StaffView):
    @expose("/")
    def index(self):
        search = (request.args.get("q") or "").strip()[:200]
        page = page_number()
        with session_scope() as db:
            entries, total = audit.page_of_entries(db, search, page, PER_PAGE)
        return self.render(
            "audit_list.html",
            entries=entries,
            search=search,
            page=page,
            pages=max(1, -(-total // PER_PAGE)),
            total=total,
        )

    @expose("/<int:entry_id>")
    def show(self, entry_id: int):
        with session_scope() as db:
            entry = db.get(AuditEntry, entry_id)
        if entry is None:
            abort(404, description="There is no audit entry with that number.")
        rows = side_by_side(audit.from_json(entry.before), audit.from_json(entry.after))
        return self.render("audit_entry.html", entry=entry, rows=rows)

    @expose("/audit-log.csv")
    def export(self):
        out = io.StringIO()
        with session_scope() as db:
            audit.write_csv(audit.all_entries(db, (request.args.get("q") or "").strip()[:200]), out)
        return download(out.getvalue(), "audit-log.csv", "text/csv")
