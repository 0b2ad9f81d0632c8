"""The admin's forms. Every one is a FlaskForm, so every form carries and checks a CSRF token.

Fields are plain text where the records module already checks the value (phone numbers, dates, web
addresses), so the same plain-words messages appear whether a change comes from a form or a CSV file.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import FieldList, FormField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import AREA_KINDS, PHONE_TYPES
from ..staff_models import ROLES
from .accounts import MIN_PASSWORD_LENGTH, ROLE_NAMES

DATE_INPUT = {"type": "date"}


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        validators=[DataRequired("Enter your email address."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class ActionForm(FlaskForm):
    """A button: publish, reject, archive, restore, unlock, sign out. `version` is what the page showed."""

    version = HiddenField()


class PhoneForm(Form):
    number = StringField("Number", validators=[Length(max=40)])
    line_type = SelectField("Kind of line", choices=[(t, t) for t in PHONE_TYPES], default="voice")
    description = StringField("Note for callers (hours, cost, who answers)", validators=[Length(max=500)])
    languages = StringField("Languages spoken (codes, e.g. pl, ur)", validators=[Length(max=200)])
    source = StringField("Source: where this number was read", validators=[Length(max=1000)])
    verified_on = StringField("Verified on", render_kw=DATE_INPUT)
    verified_by = StringField("Verified by", validators=[Length(max=200)])
    remove = BooleanField("Remove this number")


class TranslationForm(Form):
    language = StringField("Language code (e.g. pl)", validators=[Length(max=8)])
    description = TextAreaField("Description in that language", validators=[Length(max=5000)])


class ServiceForm(FlaskForm):
    key = StringField("Key (lower-case letters, digits and hyphens; cannot change later)", validators=[Length(max=120)])
    name = StringField("Name", validators=[DataRequired("Enter the service's name."), Length(max=300)])
    organization = SelectField("Organisation", choices=[])
    description = TextAreaField("Description", validators=[Length(max=5000)])
    needs = CheckboxList("Needs it helps with", choices=[])
    areas = CheckboxList("Areas it serves", choices=[])
    languages = StringField("Languages it works in (codes, e.g. en, pl, ur)", validators=[Length(max=200)])
    minimum_age = StringField("Minimum age", validators=[Length(max=3)])
    maximum_age = StringField("Maximum age", validators=[Length(max=3)])
    eligibility_note = TextAreaField("Who can use it", validators=[Length(max=2000)])
    opening_hours = StringField(
        "Opening hours ('24/7' or 'MO-FR 09:00-17:00; SA 10:00-14:00')", validators=[Length(max=300)]
    )
    hours_note = StringField("Note on opening hours", validators=[Length(max=500)])
    staff_note = TextAreaField("Note for staff (not shown to the public)", validators=[Length(max=2000)])
    website = StringField("Website", validators=[Length(max=500)])
    website_source = StringField("Website source: where it was read", validators=[Length(max=1000)])
    website_verified_on = StringField("Website verified on", render_kw=DATE_INPUT)
    website_verified_by = StringField("Website verified by", validators=[Length(max=200)])
    phones = FieldList(FormField(PhoneForm), min_entries=0, max_entries=20)
    translations = FieldList(FormField(TranslationForm), min_entries=0, max_entries=20)
    base_version = HiddenField()
    draft_id = HiddenField()


class OrganisationForm(FlaskForm):
    key = StringField("Key (lower-case letters, digits and hyphens; cannot change later)", validators=[Length(max=120)])
    name = StringField("Name", validators=[DataRequired("Enter the organisation's name."), Length(max=300)])
    description = TextAreaField("Description", validators=[Length(max=5000)])
    website = StringField("Website", validators=[Length(max=500)])
    website_source = StringField("Website source: where it was read", validators=[Length(max=1000)])
    website_verified_on = StringField("Website verified on", render_kw=DATE_INPUT)
    website_verified_by = StringField("Website verified by", validators=[Length(max=200)])
    fingerprint = HiddenField()


class NeedForm(FlaskForm):
    code = StringField(
        "Code the assistant uses (lower-case letters, digits and _; cannot change later)", validators=[Length(max=60)]
    )
    name = StringField("Name", validators=[DataRequired("Enter the need's name."), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=2000)])
    active = BooleanField("In use", default=True)
    fingerprint = HiddenField()


class AreaForm(FlaskForm):
    code = StringField(
        "Code (lower-case letters, digits and hyphens; cannot change later)", validators=[Length(max=60)]
    )
    name = StringField("Name", validators=[DataRequired("Enter the area's name."), Length(max=200)])
    kind = SelectField("Kind", choices=[(kind, kind) for kind in AREA_KINDS], default="town")
    parent = SelectField("Part of", choices=[])
    aliases = StringField("Other names people use (comma-separated)", validators=[Length(max=1000)])
    postcodes = StringField("Postcode districts (comma-separated, e.g. HP19, HP20)", validators=[Length(max=1000)])
    fingerprint = HiddenField()


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to check.")])


class ConfirmImportForm(FlaskForm):
    csv_text = HiddenField(validators=[DataRequired("The file was lost; choose it again.")])


def _role_field():
    return SelectField("Role", choices=[(role, ROLE_NAMES[role]) for role in ROLES], default="editor")


def _password_field(label: str):
    return PasswordField(
        label,
        render_kw={"autocomplete": "new-password"},
        validators=[
            DataRequired("Enter a password."),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=f"Use at least {MIN_PASSWORD_LENGTH} characters."),
        ],
    )


class NewAccountForm(FlaskForm):
    email = StringField("Email address", validators=[DataRequired("Enter an email address."), Length(max=254)])
    name = StringField("Name", validators=[Length(max=200)])
    role = _role_field()
    password = _password_field("First password (tell them in person; they should change it)")


class AccountForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=200)])
    role = _role_field()
    active = BooleanField("Can sign in")
    version = HiddenField()


class SetPasswordForm(FlaskForm):
    password = _password_field("New password")


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password = _password_field("New password")
    repeat = PasswordField(
        "New password again",
        validators=[DataRequired("Enter the new password again.")],
        render_kw={"autocomplete": "new-password"},
    )
