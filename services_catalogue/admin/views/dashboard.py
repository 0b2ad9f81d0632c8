"""The review dashboard: details not verified for 180 days, drafts waiting, and gaps in local services."""

from __future__ import annotations

import csv
import io

from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...db import session_scope
from ...models import Area, TaxonomyTerm
from ...review import STALE_AFTER_DAYS, review
from ...staff_models import PendingChange
from .base import StaffIndexView, download


def _gaps(db, result) -> list[tuple[str, str, str]]:
    """(kind, code, name) for every need and town no published local service covers."""
    need_names = dict(db.execute(select(TaxonomyTerm.code, TaxonomyTerm.name)).all())
    town_names = dict(db.execute(select(Area.code, Area.name)).all())
    return [("need", code, need_names[code]) for code in result.needs_without_local_service] + [
        ("town", code, town_names[code]) for code in result.towns_without_local_service
    ]


class DashboardView(StaffIndexView):
    @expose("/")
    def index(self):
        with session_scope() as db:
            result = review(db)
            waiting = list(
                db.scalars(
                    select(PendingChange)
                    .options(selectinload(PendingChange.proposed_by))
                    .where(PendingChange.state == "waiting")
                    .order_by(PendingChange.proposed_at)
                )
            )
            gaps = _gaps(db, result)
        return self.render("dashboard.html", review=result, waiting=waiting, gaps=gaps, stale_days=STALE_AFTER_DAYS)

    @expose("/gaps.csv")
    def gaps_csv(self):
        with session_scope() as db:
            gaps = _gaps(db, review(db))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("kind", "code", "name"))
        writer.writerows(gaps)
        return download(out.getvalue(), "gaps-in-local-services.csv", "text/csv")
