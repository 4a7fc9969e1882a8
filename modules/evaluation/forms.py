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

from core.api import opts


class PeriodForm(FlaskForm):
    period_type = SelectField(
        "考核期类型",
        choices=opts(
            [("month", "月度"), ("quarter", "季度"), ("year", "年度"), ("custom", "自定")]
        ),
        default="month",
    )
    starts_on = DateField(
        "开始日期（月度、季度、年度填其中任一天）",
        validators=[DataRequired("请填写开始日期。")],
    )
    ends_on = DateField("结束日期（仅自定考核期）", validators=[Optional()])
    name = StringField("考核期名称（可不填，按类型自动命名）", validators=[Length(max=100)])
    scope = SelectField(
        "考核对象",
        choices=opts([("unit", "责任单位"), ("bureau", "信访部门（登记机关）")]),
        default="unit",
    )
    root_agency_id = SelectField("考核范围", validate_choice=False)
    channel = SelectField("信访渠道", validate_choice=False)


class VersionForm(FlaskForm):
    """A button that acts on the period as the page showed it (compute, publish)."""

    version = HiddenField()


class AdjustmentForm(FlaskForm):
    version = HiddenField()
    agency_id = SelectField("责任单位", validate_choice=False)
    points = DecimalField(
        "加减分（加分为正，减分为负）",
        places=2,
        validators=[Optional()],
    )
    reason = TextAreaField("理由", validators=[Optional(), Length(max=2000)])


class SchemeForm(FlaskForm):
    """The 基本满意 rule; each item's fields are ``weight-<id>``, ``target-<id>``… in the page."""

    version = HiddenField()
    basically_counts = BooleanField("“基本满意”计为满意")


class AssessmentForm(FlaskForm):
    version = HiddenField()
    self_score = DecimalField("自评分（0–100）", places=2, validators=[Optional()])
    self_note = TextAreaField("自评说明", validators=[Optional(), Length(max=4000)])


class ReviewForm(FlaskForm):
    version = HiddenField()
    decision = SelectField(
        "复核结论",
        choices=opts([("accept", "复核通过"), ("return", "退回自评")]),
        default="accept",
    )
    review_note = TextAreaField("复核意见（退回时必填）", validators=[Optional(), Length(max=2000)])
