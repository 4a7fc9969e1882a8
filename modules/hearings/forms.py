"""Forms of the hearing pages (CSRF from Flask-WTF stays on).

Labels, choices and messages are Chinese, marked with ``_l`` and shown in the reader's language.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from core.api import _l, opts

from .models import PANELIST_KINDS, REASONS, RISKS, ROLES


class ApplyForm(FlaskForm):
    """A petitioner's application for a hearing, as the desk records it."""

    matter = StringField(
        _l("信访事项（编号）"),
        validators=[DataRequired(_l("请填写信访事项编号。")), Length(max=40)],
    )
    reason = SelectField(_l("听证理由"), choices=opts(REASONS.items()))
    grounds = TextAreaField(
        _l("申请听证的事项和理由"),
        validators=[DataRequired(_l("请填写申请听证的事项和理由。")), Length(max=5000)],
    )
    told_on = DateField(_l("告知听证权利（或收到书面答复）的日期"), validators=[Optional()])
    applied_on = DateField(_l("申请日期"), validators=[InputRequired(_l("请填写申请日期。"))])


class AcceptForm(FlaskForm):
    version = HiddenField()
    late_reason = StringField(_l("逾期受理的理由（如不可抗力）"), validators=[Length(max=300)])


class RefuseForm(FlaskForm):
    version = HiddenField()
    refusal_reason = TextAreaField(
        _l("不予受理的理由"),
        validators=[DataRequired(_l("请填写不予受理的理由。")), Length(max=3000)],
    )


class _ScheduleFields(FlaskForm):
    reason = SelectField(_l("听证理由"), choices=opts(REASONS.items()))
    scheduled_at = DateTimeLocalField(
        _l("开始时间"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("请填写听证时间（年-月-日 时:分）。"))],
    )
    ends_at = DateTimeLocalField(_l("结束时间"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    venue_id = SelectField(_l("听证室"), coerce=int, validate_choice=False)
    presiding_officer_id = SelectField(_l("主持人"), coerce=int, validate_choice=False)
    clerk_id = SelectField(_l("记录员"), coerce=int, validate_choice=False)
    public = BooleanField(_l("公开听证"), default=True)
    closed_reason = StringField(_l("不公开的理由"), validators=[Optional(), Length(max=200)])


class ScheduleForm(_ScheduleFields):
    matter = StringField(
        _l("信访事项（编号）"),
        validators=[DataRequired(_l("请填写信访事项编号。")), Length(max=40)],
    )
    panelist_ids = SelectMultipleField(
        _l("听证员（从听证员库选取）"), coerce=int, validate_choice=False
    )


class RescheduleForm(_ScheduleFields):
    """Change the schedule of a planned hearing (the matter stays; a new notice goes out)."""

    version = HiddenField()
    change_reason = StringField(_l("变更或延期的理由"), validators=[Optional(), Length(max=300)])


class ParticipantForm(FlaskForm):
    version = HiddenField()
    role = SelectField(_l("身份"), choices=opts(ROLES.items()))
    panelist_id = SelectField(_l("从听证员库选取"), coerce=int, validate_choice=False)
    name = StringField(_l("姓名"), validators=[Optional(), Length(max=100)])
    organisation = StringField(_l("单位或职务"), validators=[Optional(), Length(max=200)])
    power_of_attorney = BooleanField(_l("已提交授权委托书（委托代理人）"))


class VersionForm(FlaskForm):
    """A button with the version the page showed (start, remove, publish)."""

    version = HiddenField()
    on = DateField(_l("日期"), validators=[Optional()])


class RecusalForm(FlaskForm):
    version = HiddenField()
    participant_id = SelectField(_l("申请回避的人员"), coerce=int, validate_choice=False)
    recusal_reason = StringField(
        _l("理由（与本事项有直接利害关系等）"),
        validators=[DataRequired(_l("请填写申请回避的理由。")), Length(max=500)],
    )
    granted = SelectField(_l("决定"), choices=opts([("y", _l("准予回避")), ("n", _l("不予准许"))]))


class NoShowForm(FlaskForm):
    version = HiddenField()
    no_show_note = StringField(
        _l("未到场情况"), default="信访人无正当理由未到场", validators=[Length(max=500)]
    )


class RecordForm(FlaskForm):
    """The record (听证笔录); attendance, signatures and views come as per-participant fields."""

    version = HiddenField()
    heard = TextAreaField(
        _l("听证笔录（陈述、举证、质证、辩论）"),
        validators=[DataRequired(_l("请填写听证笔录。")), Length(max=50000)],
    )
    deliberation = TextAreaField(_l("合议情况"), validators=[Optional(), Length(max=10000)])


class ConcludeForm(FlaskForm):
    version = HiddenField()
    conclusion = TextAreaField(
        _l("听证结论"), validators=[DataRequired(_l("请填写听证结论。")), Length(max=10000)]
    )
    on = DateField(_l("结论日期"), validators=[Optional()])


class SuspendForm(FlaskForm):
    version = HiddenField()
    suspend_reason = StringField(
        _l("中止理由（需要重新鉴定、当事人因不可抗力不能参加等）"),
        validators=[DataRequired(_l("请填写中止听证的理由。")), Length(max=300)],
    )


class CancelForm(FlaskForm):
    version = HiddenField()
    # Not ``reason``: the schedule form on the same page has one (element ids must differ).
    cancel_reason = StringField(
        _l("取消理由"), validators=[DataRequired(_l("请填写取消理由。")), Length(max=300)]
    )


class VenueForm(FlaskForm):
    name = StringField(
        _l("听证室名称"), validators=[DataRequired(_l("请填写听证室名称。")), Length(max=100)]
    )
    capacity = IntegerField(
        _l("容纳人数"),
        validators=[
            InputRequired(_l("请填写容纳人数。")),
            NumberRange(2, 500, _l("容纳人数为 2–500。")),
        ],
    )
    address = StringField(_l("地址"), validators=[Optional(), Length(max=200)])


class PanelistForm(FlaskForm):
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=100)])
    kind = SelectField(_l("类别"), choices=opts(PANELIST_KINDS.items()))
    organisation = StringField(_l("单位或职务"), validators=[Optional(), Length(max=200)])


class AssessmentForm(FlaskForm):
    title = StringField(
        _l("拟决策事项"), validators=[DataRequired(_l("请填写拟决策事项。")), Length(max=200)]
    )
    department = StringField(
        _l("决策部门"), validators=[DataRequired(_l("请填写决策部门。")), Length(max=200)]
    )
    plan = TextAreaField(
        _l("决策方案要点"), validators=[DataRequired(_l("请填写决策方案要点。")), Length(max=10000)]
    )


class AssessForm(FlaskForm):
    version = HiddenField()
    heard_on = DateField(_l("听证日期"), validators=[InputRequired(_l("请填写听证日期。"))])
    hearing_summary = TextAreaField(
        _l("听证情况"), validators=[DataRequired(_l("请填写听证情况。")), Length(max=10000)]
    )
    risk = SelectField(_l("社会稳定风险等级"), choices=opts(RISKS.items()))
    recommendation = TextAreaField(
        _l("评估建议"), validators=[DataRequired(_l("请填写评估建议。")), Length(max=10000)]
    )


class DecideForm(FlaskForm):
    version = HiddenField()
    decision_taken = TextAreaField(
        _l("作出的决策"), validators=[DataRequired(_l("请填写作出的决策。")), Length(max=10000)]
    )
