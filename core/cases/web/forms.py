"""Forms of the case-file pages and the JSON API (Chinese messages).

The same form classes serve both: a page posts them as HTML forms, the API flattens its JSON
body into the same field names (``formdata_from_json``), so a field has one name everywhere —
``parties-0-id_number`` on the page, in the API's ``errors`` and in ``MatterError.errors``.

The forms only parse and check types; the rules of the case file (what may be registered, which
step is allowed) stay in ``core.cases.services`` and ``core.cases.rating``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, Regexp, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from core.accounts.models import Agency, User
from core.cases.clocks.clocks import today
from core.cases.lifecycle.handling import MAX_EXTENSION_DAYS
from core.cases.lifecycle.opinions import DELIVERY_METHODS, OUTCOMES, PETITIONER_VIEWS
from core.cases.lifecycle.registration import MAX_REPRESENTATIVES, PartyInput, Registration
from core.cases.lifecycle.table import Transition
from core.cases.lifecycle.triage import LEGAL_ROUTES, NON_ACCEPTANCE_GROUNDS
from core.cases.models import ContentCategory, Matter
from core.cases.models.matter import CHANNELS, FLAGS, HANDLING_TYPES, PURPOSES
from core.cases.people.idcard import id_number_problem
from core.cases.records.rating import METHODS as RATING_METHODS
from core.cases.records.rating import VALUES as RATING_VALUES
from core.extensions import db

#: Petitioner rows on the registration page: the lead plus up to five more (a collective visit
#: sends at most five representatives, 条例第20条第3款).
PARTY_ROWS = 1 + MAX_REPRESENTATIVES
ID_TYPES = {
    "resident_id": "居民身份证",
    "passport": "护照",
    "hmt_permit": "港澳台居民证件",
    "other": "其他证件",
}
CHOOSE = "请从列表中选择。"
BAD_DATE = "请输入正确的日期（年-月-日）。"
BAD_INT = "请输入整数。"


def opt_int(value: Any) -> int | None:
    """Coerce a select value to an id; blank means none."""
    if value in (None, "", "None"):
        return None
    return int(value)


class Required:
    """The field must have a value (0 and ``False`` count as values); Chinese message."""

    field_flags = {"required": True}

    def __init__(self, message: str = "此项为必填项。"):
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
    """Select options from ``(value, label)`` or ``(value, label, attributes)`` pairs."""
    return [p if isinstance(p, SelectChoice) else SelectChoice(*p) for p in pairs]


def _select(label: str, choices: Iterable, *, required: str | None = None, **kw) -> SelectField:
    validators = [Required(required)] if required else [Optional()]
    return SelectField(
        label,
        choices=opts(choices),
        validators=validators,
        invalid_choice_message=CHOOSE,
        invalid_value_message=CHOOSE,
        **kw,
    )


def _blank(choices: Mapping[str, str], blank: str = "— 请选择 —") -> list[SelectChoice]:
    return opts([("", blank), *choices.items()])


# --- registration ---------------------------------------------------------------------------


class PartyForm(Form):
    """One petitioner row: the lead (row 0) or another petitioner / representative."""

    name = StringField("姓名或单位名称", [Length(max=100, message="姓名不能超过 100 字。")])
    id_type = SelectField(
        "证件类型",
        choices=opts(ID_TYPES.items()),
        default="resident_id",
        invalid_choice_message=CHOOSE,
    )
    id_number = StringField("证件号码", [Length(max=40, message="证件号码过长。")])
    mobile = StringField(
        "手机号码",
        [Optional(), Regexp(r"^1\d{10}$", message="手机号码应为以 1 开头的 11 位数字。")],
    )
    address = StringField("住址", [Length(max=200, message="住址不能超过 200 字。")])
    is_representative = BooleanField("推选代表")

    def is_blank(self) -> bool:
        """Whether nothing was entered in the row (blank rows are ignored)."""
        return not any(
            (f.data or "").strip() for f in (self.name, self.id_number, self.mobile, self.address)
        )

    def validate_name(self, field) -> None:  # noqa: D102
        if not self.is_blank() and not (field.data or "").strip():
            raise StopValidation("请填写信访人姓名或单位名称。")

    def validate_id_number(self, field) -> None:  # noqa: D102
        value = (field.data or "").strip()
        if value and self.id_type.data == "resident_id":
            problem = id_number_problem(value)
            if problem:
                raise StopValidation(problem)


class RegistrationForm(FlaskForm):
    """登记: what the desk enters for a new matter (REGULATION.md §1.3)."""

    channel = _select("信访形式", CHANNELS.items(), required="请选择信访形式。", default="visit")
    received_on = DateField(
        "收到日期",
        [Required("请填写收到日期。")],
        default=today,
        invalid_value_message=BAD_DATE,
    )
    purpose = _select("信访目的", PURPOSES.items(), required="请选择信访目的。", default="remedy")
    handling_type = _select(
        "事项类别", HANDLING_TYPES.items(), required="请选择事项类别。", default="complaint"
    )
    category_1 = _select("内容分类（一级）", [], coerce=opt_int)
    category_2 = _select("二级", [], coerce=opt_int)
    category_3 = _select("三级", [], coerce=opt_int)
    summary = TextAreaField(
        "内容摘要（诉求、事实和理由）",
        [
            Required("请填写内容摘要（诉求、事实和理由）。"),
            Length(max=5000, message="内容摘要不能超过 5000 字。"),
        ],
    )
    demands = TextAreaField(
        "具体诉求（每行一项）", [Length(max=5000, message="诉求不能超过 5000 字。")]
    )
    place_text = StringField("问题属地", [Length(max=200, message="问题属地不能超过 200 字。")])
    complained_party = StringField("被反映人或单位", [Length(max=200, message="不能超过 200 字。")])
    complained_post = StringField("职务", [Length(max=100, message="不能超过 100 字。")])
    complained_agency_id = _select("被反映单位（本系统机构）", [], coerce=opt_int)
    head_count = IntegerField(
        "信访人数",
        [
            Required("请填写信访人数。"),
            NumberRange(min=1, max=100000, message="信访人数应为 1 以上的整数。"),
        ],
        default=1,
        invalid_value_message=BAD_INT,
    )
    people_involved = IntegerField(
        "涉及人数",
        [Optional(), NumberRange(min=1, max=10000000, message="涉及人数应为 1 以上的整数。")],
        invalid_value_message=BAD_INT,
    )
    flags = MultiCheckboxField(
        "标识",
        choices=opts(FLAGS.items()),
        invalid_choice_message="未知的标识。",
        invalid_value_message="未知的标识。",
    )
    repeat_of = StringField(
        "重复信访：原信访件编号", [Length(max=38, message="编号不能超过 38 位。")]
    )
    external_number = StringField("上级交办编号", [Length(max=60, message="编号不能超过 60 位。")])
    parties = FieldList(FormField(PartyForm), min_entries=1)

    def setup(self) -> RegistrationForm:
        """Load the choices that come from the database (categories, agencies)."""
        categories = list(
            db.session.execute(
                select(ContentCategory)
                .where(ContentCategory.active.is_(True))
                .order_by(ContentCategory.code)
            ).scalars()
        )
        for level, fld in ((1, self.category_1), (2, self.category_2), (3, self.category_3)):
            fld.choices = opts(
                [("", "— 不选 —")]
                + [
                    (c.id, c.name, {"data-parent": str(c.parent_id or "")})
                    for c in categories
                    if c.level == level
                ]
            )
        self.complained_agency_id.choices = opts([("", "— 无 —"), *agency_choices()])
        return self

    def extra_rows_used(self) -> bool:
        """Whether anything was entered (or refused) in the rows after the lead's."""
        return any(
            not e.form.is_blank() or e.form.is_representative.data or e.errors
            for e in list(self.parties)[1:]
        )

    def pad_parties(self, rows: int = PARTY_ROWS) -> None:
        """Show ``rows`` petitioner rows on the page (the extra ones blank)."""
        while len(self.parties) < rows:
            self.parties.append_entry()

    # Field checks that need the database ----------------------------------------------------

    def validate_category_2(self, field) -> None:  # noqa: D102
        self._check_parent(field, self.category_1.data, "所选二级分类不属于所选一级分类。")

    def validate_category_3(self, field) -> None:  # noqa: D102
        self._check_parent(field, self.category_2.data, "所选三级分类不属于所选二级分类。")

    @staticmethod
    def _check_parent(field, parent_id: int | None, message: str) -> None:
        if field.data is None:
            return
        node = db.session.get(ContentCategory, field.data)
        if node is None or (parent_id is not None and node.parent_id != parent_id):
            raise StopValidation(message)

    def validate_repeat_of(self, field) -> None:  # noqa: D102
        if (field.data or "").strip() and self.repeat_of_id() is None:
            raise StopValidation("找不到该编号的信访事项，或您无权查看。")

    def repeat_of_id(self) -> int | None:
        """The earlier matter this one repeats (looked up through the record rules)."""
        number = (self.repeat_of.data or "").strip()
        if not number:
            return None
        return db.session.execute(select(Matter.id).where(Matter.number == number)).scalar()

    def category_id(self) -> int | None:
        """The deepest category chosen."""
        return self.category_3.data or self.category_2.data or self.category_1.data

    def to_registration(self) -> tuple[Registration, list[int]]:
        """The service's input, and for each party the form row it came from.

        Blank rows are skipped, so the service's ``parties-<i>-…`` errors must be mapped back
        to the row numbers of the page (``remap_party_errors``).
        """
        parties, rows = [], []
        for i, entry in enumerate(self.parties):
            row = entry.form
            if row.is_blank():
                continue
            rows.append(i)
            parties.append(
                PartyInput(
                    name=(row.name.data or "").strip(),
                    id_type=row.id_type.data or "resident_id",
                    id_number=(row.id_number.data or "").strip(),
                    mobile=(row.mobile.data or "").strip(),
                    address=(row.address.data or "").strip(),
                    is_lead=i == 0,
                    is_representative=bool(row.is_representative.data),
                )
            )
        external = (self.external_number.data or "").strip()
        reg = Registration(
            channel=self.channel.data,
            summary=self.summary.data or "",
            received_on=self.received_on.data,
            parties=parties,
            purpose=self.purpose.data,
            handling_type=self.handling_type.data,
            category_id=self.category_id(),
            demands=(self.demands.data or "").splitlines(),
            place_text=(self.place_text.data or "").strip(),
            complained_party=(self.complained_party.data or "").strip(),
            complained_post=(self.complained_post.data or "").strip(),
            complained_agency_id=self.complained_agency_id.data,
            people_involved=self.people_involved.data or self.head_count.data or 1,
            head_count=self.head_count.data or 1,
            flags=list(self.flags.data or []),
            repeat_of_id=self.repeat_of_id(),
            external_numbers={"higher": external} if external else {},
        )
        return reg, rows


def remap_party_errors(errors: Mapping[str, str], rows: list[int]) -> dict[str, str]:
    """Turn the service's ``parties-<n>-field`` (n-th non-blank party) into form row names."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "parties" and parts[1].isdigit():
            n = int(parts[1])
            if n < len(rows):
                key = f"parties-{rows[n]}-{parts[2]}"
        out[key] = message
    return out


def registration_form(formdata: Any = None, *, api: bool = False) -> RegistrationForm:
    """A registration form with its choices loaded (``formdata`` ``None``: a blank form)."""
    kwargs: dict[str, Any] = {"meta": {"csrf": False}} if api else {}
    return RegistrationForm(formdata=formdata, **kwargs).setup()


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
        (u.id, f"{u.display_name}（{u.agency.name if u.agency else '无机构'}）")
        for u in db.session.execute(stmt).scalars()
    ]


# --- lifecycle steps -------------------------------------------------------------------------


class DemandForm(Form):
    """One request of the petitioner and the outcome decided for it (条例第32条)."""

    demand = StringField("请求事项", [Length(max=500, message="不能超过 500 字。")])
    outcome = SelectField(
        "处理结果", choices=_blank(OUTCOMES), invalid_choice_message=CHOOSE, default=""
    )


class TransitionForm(FlaskForm):
    """Base of the step forms: the matter ``version`` the user saw (optimistic locking)."""

    version = HiddenField()

    def service_data(self) -> dict[str, Any]:
        """The ``data`` for ``services.perform``: typed values, blanks left out."""
        data: dict[str, Any] = {}
        for name, field in self._fields.items():
            if name in ("csrf_token", "version", "on"):
                continue
            if name == "demands":
                value: Any = [
                    {
                        "demand": (e.form.demand.data or "").strip(),
                        "outcome": e.form.outcome.data or "",
                    }
                    for e in field
                ]
                value = [d for d in value if d["demand"] or d["outcome"]]
            elif name == "signed":
                value = field.data != "false"
            else:
                value = field.data
            if isinstance(value, str):
                value = value.strip()
            if value is None or value == "" or value == []:
                continue
            data[name] = value
        return data

    def event_date(self) -> date | None:
        """The day the event happened, when the step asks for it (default: today)."""
        field = self._fields.get("on")
        return field.data if field is not None else None


#: The fields each core step asks for, in order. Steps added by modules get their required
#: fields as text areas.
TRANSITION_FIELDS: dict[str, tuple[str, ...]] = {
    "forward": ("agency_id", "text"),
    "assign": ("agency_id", "leader", "standard", "deadline", "text"),
    "route_legal": ("route", "text"),
    "refer_discipline": ("text",),
    "not_accept": ("ground", "text"),
    "refuse_repeat": ("text",),
    "answer_on_spot": ("answer",),
    "object": ("reason",),
    "accept_objection": ("text",),
    "reject_objection": ("reason",),
    "accept": (),
    "propose": ("text",),
    "instruct": ("text",),
    "investigate": ("text",),
    "extend": ("days", "reason"),
    "draft_opinion": ("demands", "facts", "basis", "decision"),
    "reject_draft": ("reason",),
    "approve_opinion": (),
    "record_delivery": (
        "method",
        "deliverer",
        "deliverer_phone",
        "delivered_on",
        "signed",
        "petitioner_view",
        "report",
    ),
    "approve_completion": ("text",),
    "send_back": ("reason",),
    "request_review": ("on",),
    "issue_review_opinion": ("demands", "facts", "basis", "decision"),
    "record_review_delivery": ("method", "deliverer", "delivered_on", "signed"),
    "request_reexam": ("on",),
    "issue_reexam_opinion": ("demands", "facts", "basis", "decision", "hearing_held"),
    "supervise": ("follower_id", "text"),
}

TEXT_LABELS = {
    "propose": "拟办意见",
    "instruct": "阅批意见",
    "investigate": "调查情况",
    "supervise": "督办要求",
    "object": "异议理由（为何不属本机关职权）",
    "reject_objection": "不同意异议的理由",
    "reject_draft": "退回修改的理由",
    "send_back": "退回重办的理由",
    "extend": "延期理由（将书面告知信访人）",
}


def _field(name: str, required: bool, transition: Transition):
    """The unbound field for ``name`` in the form of ``transition``."""
    need = [Required()] if required else [Optional()]
    text_label = TEXT_LABELS.get(transition.name, "说明" if required else "说明（可选）")
    if name == "agency_id":
        return _select(
            "有权处理的机关（责任单位）",
            [],
            coerce=opt_int,
            required="请选择有权处理的机关（责任单位）。" if required else None,
        )
    if name == "follower_id":
        return _select(
            "跟踪人", [], coerce=opt_int, required="请选择督办跟踪人。" if required else None
        )
    if name == "route":
        return _select(
            "法定途径", _blank(LEGAL_ROUTES), required="请选择法定途径。" if required else None
        )
    if name == "ground":
        return _select(
            "不予受理的理由",
            _blank(NON_ACCEPTANCE_GROUNDS),
            required="请选择不予受理的理由。" if required else None,
        )
    if name == "method":
        return _select(
            "送达方式", DELIVERY_METHODS.items(), required="请选择送达方式。", default="in_person"
        )
    if name == "petitioner_view":
        return _select("信访人意见", PETITIONER_VIEWS.items(), default="unclear")
    if name == "signed":
        return _select("签收情况", [("true", "已签收"), ("false", "拒绝签收")], default="true")
    if name in ("deadline", "delivered_on", "on"):
        label = {"deadline": "办理期限", "delivered_on": "送达日期", "on": "收到申请日期"}[name]
        return DateField(label, need, invalid_value_message=BAD_DATE)
    if name == "days":
        return IntegerField(
            f"延长天数（1–{MAX_EXTENSION_DAYS}）",
            [
                *need,
                NumberRange(
                    min=1,
                    max=MAX_EXTENSION_DAYS,
                    message=f"延长期限应为 1 至 {MAX_EXTENSION_DAYS} 日。",
                ),
            ],
            invalid_value_message=BAD_INT,
        )
    if name == "demands":
        return FieldList(FormField(DemandForm), min_entries=1)
    if name == "hearing_held":
        return BooleanField("已举行听证")
    if name == "leader":
        return StringField("交办领导", [Optional(), Length(max=50, message="不能超过 50 字。")])
    if name == "deliverer":
        return StringField("送达人", [*need, Length(max=50, message="不能超过 50 字。")])
    if name == "deliverer_phone":
        return StringField("送达人电话", [Optional(), Length(max=20, message="不能超过 20 位。")])
    labels = {
        "standard": "办理要求/标准",
        "answer": "答复内容",
        "facts": "事实和理由（经调查核实）",
        "basis": "依据（法律、法规、政策）",
        "decision": "处理意见（结论，可选）",
        "report": "办结报告（交办事项，报交办机关审核）",
        "reason": text_label if transition.name in TEXT_LABELS else "理由",
        "text": text_label,
    }
    return TextAreaField(
        labels.get(name, name), [*need, Length(max=10000, message="不能超过 10000 字。")]
    )


@cache
def _form_class(name: str, fields: tuple[str, ...], required: tuple[str, ...]) -> type:
    from core.cases.lifecycle.table import TRANSITIONS

    transition = TRANSITIONS[name]
    attrs = {f: _field(f, f in required, transition) for f in fields}
    return type(f"{name.title().replace('_', '')}Form", (TransitionForm,), attrs)


def transition_fields(transition: Transition) -> tuple[str, ...]:
    """The fields the form of ``transition`` shows, in order."""
    fields = TRANSITION_FIELDS.get(transition.name)
    if fields is None:
        fields = tuple(transition.required) + (() if "text" in transition.required else ("text",))
    return fields


def transition_form(
    transition: Transition,
    matter: Matter,
    *,
    formdata: Any = None,
    api: bool = False,
    user: Any = None,
) -> TransitionForm:
    """The form of one step for ``matter``: prefixed on the page, plain for the API.

    Without ``formdata`` the form is filled with its defaults (the matter's demands for an
    opinion, today's date, the user as deliverer) and the matter's current version.
    """
    cls = _form_class(transition.name, transition_fields(transition), tuple(transition.required))
    kwargs: dict[str, Any] = {}
    if api:
        kwargs["meta"] = {"csrf": False}
    else:
        kwargs["prefix"] = transition.name
    if formdata is None:
        defaults: dict[str, Any] = {"version": matter.version}
        fields = transition_fields(transition)
        if "demands" in fields:
            defaults["demands"] = [{"demand": d, "outcome": ""} for d in matter.demands or []]
        if "delivered_on" in fields:
            defaults["delivered_on"] = today()
        if "on" in fields:
            defaults["on"] = today()
        if "deliverer" in fields and user is not None:
            defaults["deliverer"] = user.display_name
        form = cls(formdata=None, **kwargs, **defaults)
        if "demands" in fields and not api:
            # Room for requests the desk did not list.
            for _ in range(2):
                form.demands.append_entry()
    else:
        form = cls(formdata=formdata, **kwargs)
    if "report" in form._fields and matter.triage_route != "assign":
        # Only an assigned matter goes back with a completion report (办结报告).
        del form.report
    if "agency_id" in form._fields:
        form.agency_id.choices = opts(
            [("", "— 请选择 —"), *agency_choices(exclude=[matter.agency_id])]
        )
    if "follower_id" in form._fields:
        from core.accounts.record_rules import visible_agency_ids

        ids = visible_agency_ids(user) if user is not None else None
        form.follower_id.choices = opts([("", "— 请选择 —"), *user_choices(ids)])
    return form


# --- satisfaction, attachments ---------------------------------------------------------------


class RatingForm(FlaskForm):
    """The petitioner's rating of one object, entered after a return visit (回访)."""

    target = HiddenField()
    value = RadioField("评价", choices=opts(RATING_VALUES.items()), validate_choice=False)
    method = SelectField(
        "回访方式", choices=opts(RATING_METHODS.items()), default="phone", validate_choice=False
    )
    reason = TextAreaField("不满意的理由（评价为不满意时必填）")


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

    file = FileField("文件（PDF、JPEG、PNG，不超过 20 MB）", [FileRequired("请选择要上传的文件。")])


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
    """``{field name: first message}`` without the page prefix (as the API reports them)."""
    return {_short_name(form, f): f.errors[0] for f in all_fields(form) if f.errors}


def apply_errors(form, errors: Mapping[str, str]) -> dict[str, str]:
    """Attach the service's errors to the form's fields; return those that match no field."""
    by_name = {_short_name(form, f): f for f in all_fields(form)}
    left = {}
    for key, message in errors.items():
        field = by_name.get(key)
        if field is None:
            left[key] = message
        else:
            field.errors = [*field.errors, message]
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
