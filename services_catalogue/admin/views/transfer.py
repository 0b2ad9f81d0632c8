"""Import and export: check a CSV file, import it only when every row passes, and download the catalogue."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_admin import expose
from flask_login import current_user

from ...db import session_scope
from ...records import ImportRejected
from ..forms import ConfirmImportForm, ImportForm
from ..transfer import import_csv, preview, services_csv, services_oruk_json
from .base import StaffView, download, problem_lines, require


class TransferView(StaffView):
    @expose("/")
    def index(self):
        return self.render("transfer.html", form=ImportForm())

    @expose("/preview", methods=("POST",))
    def check(self):
        require("approver")
        form = ImportForm()
        if not form.validate_on_submit():
            return self.render("transfer.html", form=form), 400
        try:
            text = form.file.data.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors.append("The file is not UTF-8 text. Save it from your spreadsheet as 'CSV UTF-8'.")
            return self.render("transfer.html", form=form), 400
        with session_scope() as db:
            result = preview(db, text)
        return self.render("import_preview.html", preview=result, confirm=ConfirmImportForm(csv_text=text))

    @expose("/import", methods=("POST",))
    def run_import(self):
        require("approver")
        form = ConfirmImportForm()
        if not form.validate_on_submit():
            flash("The file was lost between the check and the import; choose it again.", "error")
            return redirect(url_for(".index"))
        try:
            with session_scope() as db:
                count = import_csv(db, form.csv_text.data, current_user.email)
        except ImportRejected as rejected:
            flash("Nothing was imported: " + " ".join(problem_lines(rejected.errors)), "error")
            return redirect(url_for(".index"))
        flash(f"Imported {count} service(s). Published ones are offered by the assistant from now on.", "success")
        return redirect(url_for("services.index"))

    @expose("/services.csv")
    def export_csv(self):
        with session_scope() as db:
            text = services_csv(db)
        return download(text, "services.csv", "text/csv")

    @expose("/services-oruk.json")
    def export_oruk(self):
        with session_scope() as db:
            text = services_oruk_json(db)
        return download(text, "services-open-referral-uk.json", "application/json")
