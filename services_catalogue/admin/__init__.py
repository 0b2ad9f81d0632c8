"""The staff admin at /admin/: accounts and roles, drafts and approval, the audit log, import and export.

init_admin(app) adds it to the catalogue's Flask app (services_catalogue.web). Pages are Flask-Admin views;
sign-in uses Flask-Login; every form is a Flask-WTF form and every /admin request with a body must carry the
CSRF token.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_admin import Admin
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from ..db import session_scope
from ..staff_models import StaffAccount
from . import reference, settings
from .accounts import can
from .errors import ADMIN_PREFIX, is_admin_request
from .identity import Staff
from .views.accounts import AccountsView
from .views.audit import AuditView
from .views.changes import ChangesView
from .views.dashboard import DashboardView
from .views.reference import ReferenceView
from .views.services import ServicesView
from .views.signin import PasswordView, SignInView
from .views.transfer import TransferView

assets = Blueprint(
    "staff_assets",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path=f"{ADMIN_PREFIX}/assets",
)


class RowNumber(IntegerConverter):
    """`<int:...>` in the admin's addresses: a number beyond what the database's integer columns hold is no row
    (404), not an overflow (500)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _load_staff(user_id: str) -> Staff | None:
    account_id, _, token = user_id.partition(":")
    if not account_id.isdigit() or not token:
        return None
    with session_scope() as db:
        account = db.scalars(
            select(StaffAccount).where(
                StaffAccount.id == int(account_id), StaffAccount.session_token == token, StaffAccount.active
            )
        ).first()
        return Staff.of(account) if account else None


def init_admin(app: Flask) -> None:
    app.config.update(settings.session_config())
    app.url_map.converters["int"] = RowNumber  # before the views add their routes
    if not app.secret_key:
        app.secret_key = settings.secret_key()
    csrf = CSRFProtect(app)
    login = LoginManager(app)
    login.session_protection = "strong"
    login.user_loader(_load_staff)
    app.register_blueprint(assets)

    @app.context_processor
    def permissions():
        return {"can": can}

    @app.before_request
    def check_csrf():
        if is_admin_request():
            csrf.protect()

    @app.after_request
    def no_store(response):
        if is_admin_request():
            response.headers["Cache-Control"] = "no-store"
        return response

    admin = Admin(
        app,
        name="Services catalogue admin",
        url=ADMIN_PREFIX,
        index_view=DashboardView(name="Dashboard", url=ADMIN_PREFIX, endpoint="admin"),
    )
    admin.add_view(ServicesView("Services", "services"))
    admin.add_view(ChangesView("Drafts waiting", "changes"))
    admin.add_view(ReferenceView(reference.ORGANISATIONS, "organisations"))
    admin.add_view(ReferenceView(reference.NEEDS, "needs"))
    admin.add_view(ReferenceView(reference.AREAS, "areas"))
    admin.add_view(TransferView("Import and export", "transfer"))
    admin.add_view(AuditView("Audit log", "audit", role="approver"))
    admin.add_view(AccountsView())
    admin.add_view(PasswordView("My password", "password"))
    admin.add_view(SignInView("Sign in", "signin", in_menu=False))
