"""Forms of the evaluation pages (CSRF from Flask-WTF stays on)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from core.api import _l, opts


class PeriodForm(FlaskForm):
    period_type = SelectField(
        _l("考核期类型"),
        choices=opts(
            [
                ("month", _l("月度")),
                ("quarter", _l("季度")),
                ("year", _l("年度")),
                ("custom", _l("自定")),
            ]
        ),
        default="month",
    )
    starts_on = DateField(
        _l("开始日期（月度、季度、年度填其中任一天）"),
        validators=[DataRequired(_l("请填写开始日期。"))],
    )
    ends_on = DateField(_l("结束日期（仅自定考核期）"), validators=[Optional()])
    name = StringField(_l("考核期名称（可不填，按类型自动命名）"), validators=[Length(max=100)])
    scope = SelectField(
        _l("考核对象"),
        choices=opts([("unit", _l("责任单位")), ("bureau", _l("信访部门（登记机关）"))]),
        default="unit",
    )
    root_agency_id = SelectField(_l("考核范围"), validate_choice=False)
    channel = SelectField(_l("信访渠道"), validate_choice=False)


class VersionForm(FlaskForm):
    """A button that acts on the period as the page showed it (compute, publish)."""

    version = HiddenField()


class AdjustmentForm(FlaskForm):
    version = HiddenField()
    agency_id = SelectField(_l("责任单位"), validate_choice=False)
    points = DecimalField(
        _l("加减分（加分为正，减分为负）"),
        places=2,
        validators=[Optional()],
    )
    reason = TextAreaField(_l("理由"), validators=[Optional(), Length(max=2000)])


class SchemeForm(FlaskForm):
    """The 基本满意 rule; each item's fields are ``weight-<id>``, ``target-<id>``… in the page."""

    version = HiddenField()
    basically_counts = BooleanField(_l("“基本满意”计为满意"))


class AssessmentForm(FlaskForm):
    version = HiddenField()
    self_score = DecimalField(_l("自评分（0–100）"), places=2, validators=[Optional()])
    self_note = TextAreaField(_l("自评说明"), validators=[Optional(), Length(max=4000)])


class ReviewForm(FlaskForm):
    version = HiddenField()
    decision = SelectField(
        _l("复核结论"),
        choices=opts([("accept", _l("复核通过")), ("return", _l("退回自评"))]),
        default="accept",
    )
    review_note = TextAreaField(
        _l("复核意见（退回时必填）"), validators=[Optional(), Length(max=2000)]
    )
