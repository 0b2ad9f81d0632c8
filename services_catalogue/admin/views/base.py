"""What every admin page shares: who may see it, where strangers are sent, and small request helpers."""

from __future__ import annotations

from flask import Response, abort, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView
from flask_login import current_user

from ...records import RecordError
from ..accounts import can

PER_PAGE = 50
MAX_PAGE = 1_000_000  # far past any last page; larger would overflow the database's OFFSET
NOT_ALLOWED = "Your account cannot do this. Ask an admin if you need to."


class StaffAccess:
    """Signed-out visitors go to the sign-in page; signed-in staff without the role get a 403 page."""

    role = "editor"
    in_menu = True

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and can(current_user, self.role)

    def is_visible(self) -> bool:
        return self.in_menu

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("signin.index", next=request.path))
        abort(403, description=NOT_ALLOWED)

    def render(self, template: str, **kwargs) -> str:
        return super().render(f"staff/{template}", **kwargs)  # type: ignore[misc]  # BaseView, which this mixes into


class StaffView(StaffAccess, BaseView):
    def __init__(self, name: str, endpoint: str, role: str = "editor", in_menu: bool = True):
        super().__init__(name=name, endpoint=endpoint, url=endpoint)
        self.role, self.in_menu = role, in_menu


class StaffIndexView(StaffAccess, AdminIndexView):
    pass


def require(role: str) -> None:
    """For a page most staff can see with a button only some may press."""
    if not can(current_user, role):
        abort(403, description=NOT_ALLOWED)


def page_number() -> int:
    try:
        return min(max(1, int(request.args.get("page", 1))), MAX_PAGE)
    except ValueError:
        return 1


def whole_number(text: str | None, default: int = -1) -> int:
    try:
        return int(text or "")
    except ValueError:
        return default


def problem_lines(errors: list[RecordError]) -> list[str]:
    return [f"{error.field[0].upper()}{error.field[1:]}: {error.message}." for error in errors]


def download(text: str, filename: str, mimetype: str) -> Response:
    return Response(text, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
