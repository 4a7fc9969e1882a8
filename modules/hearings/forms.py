"""Forms of the hearing pages (CSRF from Flask-WTF stays on); messages in Chinese."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.api import opts

from .models import REASONS, ROLES, STAGES


class _ScheduleFields(FlaskForm):
    reason = SelectField("听证理由", choices=opts(REASONS.items()))
    stage = SelectField("所处环节", choices=opts(STAGES.items()))
    scheduled_at = DateTimeLocalField(
        "听证时间",
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired("请填写听证时间（年-月-日 时:分）。")],
    )
    venue = StringField("听证地点", validators=[DataRequired("请填写听证地点。"), Length(max=200)])
    presiding_officer_id = SelectField("主持人", coerce=int, validate_choice=False)
    public = BooleanField("公开听证", default=True)
    closed_reason = StringField("不公开的理由", validators=[Optional(), Length(max=200)])


class ScheduleForm(_ScheduleFields):
    matter = StringField(
        "信访事项（编号或内部序号）",
        validators=[DataRequired("请填写信访事项编号。"), Length(max=40)],
    )


class RescheduleForm(_ScheduleFields):
    """Change the schedule of a planned hearing (the matter stays)."""

    version = HiddenField()


class ParticipantForm(FlaskForm):
    version = HiddenField()
    role = SelectField("身份", choices=opts(ROLES.items()))
    name = StringField("姓名", validators=[DataRequired("请填写参加人姓名。"), Length(max=100)])
    organisation = StringField("单位或职务", validators=[Optional(), Length(max=200)])


class RemoveParticipantForm(FlaskForm):
    version = HiddenField()


class HoldForm(FlaskForm):
    version = HiddenField()
    heard = TextAreaField(
        "听证笔录摘要（陈述、举证、质询、辩论）",
        validators=[DataRequired("请填写听证笔录摘要。"), Length(max=20000)],
    )
    opinions = TextAreaField("听证员意见", validators=[Optional(), Length(max=10000)])


class ConcludeForm(FlaskForm):
    version = HiddenField()
    conclusion = TextAreaField(
        "听证结论", validators=[DataRequired("请填写听证结论。"), Length(max=10000)]
    )


class CancelForm(FlaskForm):
    version = HiddenField()
    # Not ``reason``: the schedule form on the same page has one (element ids must differ).
    cancel_reason = StringField(
        "取消理由", validators=[DataRequired("请填写取消理由。"), Length(max=300)]
    )
