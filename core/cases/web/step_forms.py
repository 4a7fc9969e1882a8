"""The forms of the lifecycle steps, one class per step, built from its fields.

Core's steps list their fields in ``TRANSITION_FIELDS``; a step a module adds gets its required
fields as text areas.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from flask_babel import lazy_gettext, lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from core.cases.clocks import clocks
from core.cases.clocks.clocks import today
from core.cases.lifecycle.handling import MAX_EXTENSION_DAYS
from core.cases.lifecycle.opinions import DELIVERY_METHODS, OUTCOMES, PETITIONER_VIEWS
from core.cases.lifecycle.table import Transition
from core.cases.lifecycle.triage import LEGAL_ROUTES, NON_ACCEPTANCE_GROUNDS
from core.cases.models import Matter
from core.cases.web.forms import (
    BAD_DATE,
    BAD_INT,
    CHOOSE,
    Required,
    agency_choices,
    data_opts,
    opt_int,
    opts,
    select_field,
    user_choices,
    with_blank,
)
from core.web.i18n import _l


class DemandForm(Form):
    """One request of the petitioner and the outcome decided for it (条例第32条)."""

    demand = StringField(_l("请求事项"), [Length(max=500, message=_l("不能超过 500 字。"))])
    outcome = SelectField(
        _l("处理结果"), choices=with_blank(OUTCOMES), invalid_choice_message=CHOOSE, default=""
    )


class TransitionForm(FlaskForm):
    """Base of the step forms: the matter ``version`` the user saw (optimistic locking)."""

    version = HiddenField()

    def service_data(self) -> dict[str, Any]:
        """The ``data`` for ``perform``: typed values, blanks left out."""
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
    "improvement_proposal": ("agency_id", "text"),
    "proposal_feedback": ("text",),
}

TEXT_LABELS = {
    "propose": _l("拟办意见"),
    "instruct": _l("阅批意见"),
    "investigate": _l("调查情况"),
    "supervise": _l("督办要求"),
    "improvement_proposal": _l("改进建议（完善政策、改进工作的建议）"),
    "proposal_feedback": _l("书面反馈（采纳情况）"),
    "object": _l("异议理由（为何不属本机关职权）"),
    "reject_objection": _l("不同意异议的理由"),
    "reject_draft": _l("退回修改的理由"),
    "send_back": _l("退回重办的理由"),
    "extend": _l("延期理由（将书面告知信访人）"),
}


def _field(name: str, required: bool, transition: Transition):
    """The unbound field for ``name`` in the form of ``transition``."""
    need = [Required()] if required else [Optional()]
    text_label = TEXT_LABELS.get(transition.name, _l("说明") if required else _l("说明（可选）"))
    if name == "agency_id":
        return select_field(
            _l("有权处理的机关（责任单位）"),
            [],
            coerce=opt_int,
            required=_l("请选择有权处理的机关（责任单位）。") if required else None,
        )
    if name == "follower_id":
        return select_field(
            _l("跟踪人"),
            [],
            coerce=opt_int,
            required=_l("请选择督办跟踪人。") if required else None,
        )
    if name == "route":
        return select_field(
            _l("法定途径"),
            with_blank(LEGAL_ROUTES),
            required=_l("请选择法定途径。") if required else None,
        )
    if name == "ground":
        return select_field(
            _l("不予受理的理由"),
            with_blank(NON_ACCEPTANCE_GROUNDS),
            required=_l("请选择不予受理的理由。") if required else None,
        )
    if name == "method":
        return select_field(
            _l("送达方式"),
            DELIVERY_METHODS.items(),
            required=_l("请选择送达方式。"),
            default="in_person",
        )
    if name == "petitioner_view":
        views = [(k, lazy_pgettext("petitioner view", v)) for k, v in PETITIONER_VIEWS.items()]
        return select_field(_l("信访人意见"), views, default="unclear")
    if name == "signed":
        return select_field(
            _l("签收情况"), [("true", _l("已签收")), ("false", _l("拒绝签收"))], default="true"
        )
    if name in ("deadline", "delivered_on", "on"):
        label = {
            "deadline": _l("办理期限"),
            "delivered_on": _l("送达日期"),
            "on": _l("收到申请日期"),
        }[name]
        return DateField(label, need, invalid_value_message=BAD_DATE)
    if name == "days":
        return IntegerField(
            lazy_gettext("延长天数（1–%(days)s）", days=MAX_EXTENSION_DAYS),
            [
                *need,
                NumberRange(
                    min=1,
                    max=MAX_EXTENSION_DAYS,
                    message=_l("延长期限应为 %(min)s 至 %(max)s 日。"),
                ),
            ],
            invalid_value_message=BAD_INT,
        )
    if name == "demands":
        return FieldList(FormField(DemandForm), min_entries=1)
    if name == "hearing_held":
        return BooleanField(_l("已举行听证"))
    if name == "leader":
        return StringField(
            _l("交办领导"), [Optional(), Length(max=50, message=_l("不能超过 50 字。"))]
        )
    if name == "deliverer":
        return StringField(_l("送达人"), [*need, Length(max=50, message=_l("不能超过 50 字。"))])
    if name == "deliverer_phone":
        return StringField(
            _l("送达人电话"), [Optional(), Length(max=20, message=_l("不能超过 20 位。"))]
        )
    labels = {
        "standard": _l("办理要求/标准"),
        "answer": _l("答复内容"),
        "facts": _l("事实和理由（经调查核实）"),
        "basis": _l("依据（法律、法规、政策）"),
        "decision": _l("处理意见（结论，可选）"),
        "report": _l("办结报告（交办事项，报交办机关审核）"),
        "body": _l("有权处理的机关（如××区劳动人事争议仲裁委员会）"),
        "reason": text_label if transition.name in TEXT_LABELS else _l("理由"),
        "text": text_label,
    }
    return TextAreaField(
        labels.get(name, name), [*need, Length(max=10000, message=_l("不能超过 10000 字。"))]
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
        if "deadline" in fields:
            # A higher level's deadline governs the matter: offer it for the assignment slip.
            higher = clocks.running(matter, "higher_deadline")
            if higher is not None:
                defaults["deadline"] = higher.due
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
        form.agency_id.choices = opts([("", _l("— 请选择 —"))]) + data_opts(
            agency_choices(exclude=[matter.agency_id])
        )
    if "follower_id" in form._fields:
        from core.accounts.record_rules import visible_agency_ids

        ids = visible_agency_ids(user) if user is not None else None
        form.follower_id.choices = opts([("", _l("— 请选择 —"))]) + data_opts(user_choices(ids))
    return form
