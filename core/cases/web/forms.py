"""Forms of the case-file pages and the JSON API (Chinese messages): the kit they share.

The same form classes serve both: a page posts them as HTML forms, the API flattens its JSON
body into the same field names (``formdata_from_json``), so a field has one name everywhere —
``parties-0-id_number`` on the page, in the API's ``errors`` and in ``MatterError.errors``.
The registration form is in ``registration_form``, the forms of the lifecycle steps in
``step_forms``; the rating and upload forms are here.

The forms only parse and check types; the rules of the case file (what may be registered, which
step is allowed) stay in ``core.cases.lifecycle`` and ``core.cases.records.rating``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from core.accounts.models import Agency, User
from core.cases.records.rating import METHODS as RATING_METHODS
from core.cases.records.rating import VALUES as RATING_VALUES
from core.extensions import db
from core.web.i18n import _l

CHOOSE = _l("请从列表中选择。")
BAD_DATE = _l("请输入正确的日期（年-月-日）。")
BAD_INT = _l("请输入整数。")


def opt_int(value: Any) -> int | None:
    """Coerce a select value to an id; blank means none."""
    if value in (None, "", "None"):
        return None
    return int(value)


class Required:
    """The field must have a value (0 and ``False`` count as values); Chinese message."""

    field_flags = {"required": True}

    def __init__(self, message: str = _l("此项为必填项。")):
        self.message = message

    def __call__(self, form, field) -> None:
        """Stop the chain with the message when the field is empty."""
        data = field.data
        if data is None or data == [] or (isinstance(data, str) and not data.strip()):
            entered = any(str(v).strip() for v in (field.raw_data or []) if v is not None)
            if entered and field.process_errors:
                # Something was entered but could not be read: that message says more.
                raise StopValidation()
            field.errors[:] = []
            raise StopValidation(self.message)


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one multi-valued field (the flags)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def opts(pairs: Iterable) -> list[SelectChoice]:
    """Select options from ``(value, label)`` or ``(value, label, attributes)`` pairs.

    A label that is text is shown in the reader's language: the labels passed here are data
    labels (states, kinds, reasons) already in a catalog through ``N_``.
    """
    return [p if isinstance(p, SelectChoice) else _choice(*p) for p in pairs]


def _choice(value, label, *rest) -> SelectChoice:
    return SelectChoice(value, _l(label) if isinstance(label, str) else label, *rest)


def data_opts(pairs: Iterable) -> list[SelectChoice]:
    """Select options whose labels are data people entered (agencies, users, categories).

    Shown as they are: a name that happens to equal a catalog entry (其他) is not translated.
    """
    return [SelectChoice(*p) for p in pairs]


def select_field(
    label: str, choices: Iterable, *, required: str | None = None, **kw
) -> SelectField:
    """A select of ``choices``; ``required`` is the message when nothing is chosen."""
    validators = [Required(required)] if required else [Optional()]
    return SelectField(
        label,
        choices=opts(choices),
        validators=validators,
        invalid_choice_message=CHOOSE,
        invalid_value_message=CHOOSE,
        **kw,
    )


def with_blank(choices: Mapping[str, str], blank: str = _l("— 请选择 —")) -> list[SelectChoice]:
    """``choices`` as select options after a blank first one."""
    return opts([("", blank), *choices.items()])


# --- choices shared by the forms -------------------------------------------------------------


def agency_choices(exclude: Iterable[int] = ()) -> list[tuple[int, str]]:
    """Active agencies as an indented tree for a select."""
    skip = set(exclude)
    agencies = db.session.execute(
        select(Agency).where(Agency.active.is_(True)).order_by(Agency.path)
    ).scalars()
    return [
        (a.id, "　" * max(a.path.count("/") - 2, 0) + a.name) for a in agencies if a.id not in skip
    ]


def user_choices(agency_ids: Iterable[int] | None) -> list[tuple[int, str]]:
    """Active users of ``agency_ids`` (``None``: all) for a select."""
    stmt = select(User).where(User.active.is_(True)).order_by(User.display_name)
    if agency_ids is not None:
        stmt = stmt.where(User.agency_id.in_(list(agency_ids)))
    return [
        (u.id, f"{u.display_name}（{u.agency.name if u.agency else gettext('无机构')}）")
        for u in db.session.execute(stmt).scalars()
    ]


# --- satisfaction, attachments ---------------------------------------------------------------


class RatingForm(FlaskForm):
    """The petitioner's rating of one object, entered after a return visit (回访)."""

    target = HiddenField()
    value = RadioField(_l("评价"), choices=opts(RATING_VALUES.items()), validate_choice=False)
    method = SelectField(
        _l("回访方式"), choices=opts(RATING_METHODS.items()), default="phone", validate_choice=False
    )
    reason = TextAreaField(_l("不满意的理由（评价为不满意时必填）"))


def rating_form(target: str, *, formdata: Any = None, api: bool = False) -> RatingForm:
    """The rating form for ``target`` (prefixed by it on the page)."""
    if api:
        return RatingForm(formdata=formdata, meta={"csrf": False})
    form = RatingForm(formdata=formdata, prefix=f"rate_{target}")
    if formdata is None:
        form.target.data = target
    return form


class UploadForm(FlaskForm):
    """Attaching a file (PDF, JPEG or PNG, at most 20 MB) to a matter."""

    file = FileField(
        _l("文件（PDF、JPEG、PNG，不超过 20 MB）"), [FileRequired(_l("请选择要上传的文件。"))]
    )


# --- helpers ---------------------------------------------------------------------------------


def all_fields(form) -> Iterable:
    """Every leaf field of ``form``, nested rows included."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                yield from all_fields(entry.form) if isinstance(entry, FormField) else [entry]
        elif isinstance(field, FormField):
            yield from all_fields(field.form)
        else:
            yield field


def _short_name(form, field) -> str:
    prefix = form._prefix
    return field.name[len(prefix) :] if prefix and field.name.startswith(prefix) else field.name


def field_errors(form) -> dict[str, str]:
    """``{field name: first message}`` without the page prefix (as the API reports them).

    The messages are plain text (a form's own messages are lazy strings, which JSON cannot hold).
    """
    return {_short_name(form, f): str(f.errors[0]) for f in all_fields(form) if f.errors}


def apply_errors(form, errors: Mapping[str, str]) -> dict[str, str]:
    """Attach the service's errors to the form's fields; return those that match no field.

    The messages are shown in the reader's language when a catalog has them (the services
    write Chinese; their fixed messages are listed with ``N_``).
    """
    by_name = {_short_name(form, f): f for f in all_fields(form)}
    left = {}
    for key, message in errors.items():
        shown = gettext(message) if isinstance(message, str) and message else message
        field = by_name.get(key)
        if field is None:
            left[key] = shown
        else:
            field.errors = [*field.errors, shown]
    return left


def formdata_from_json(body: Mapping[str, Any]) -> MultiDict:
    """Flatten a JSON object into form data: lists of objects become ``name-<i>-key``."""
    out: MultiDict = MultiDict()

    def put(key: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            out.add(key, "true" if value else "false")
        elif isinstance(value, Mapping):
            for k, v in value.items():
                put(f"{key}-{k}", v)
        elif isinstance(value, list | tuple):
            if all(not isinstance(v, Mapping | list | tuple) for v in value):
                for v in value:
                    if v is not None:
                        out.add(key, "true" if v is True else "false" if v is False else str(v))
            else:
                for i, v in enumerate(value):
                    put(f"{key}-{i}", v)
        else:
            out.add(key, str(value))

    for key, value in body.items():
        put(str(key), value)
    return out
