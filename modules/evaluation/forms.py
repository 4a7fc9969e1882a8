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


class PeriodForm(FlaskForm):
    name = StringField(
        "考核期名称", validators=[DataRequired("请填写考核期名称。"), Length(max=100)]
    )
    starts_on = DateField("开始日期", validators=[DataRequired("请填写开始日期。")])
    ends_on = DateField("结束日期", validators=[DataRequired("请填写结束日期。")])


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
    """The 基本满意 rule; the weights are fields ``weight-<indicator id>`` in the template."""

    version = HiddenField()
    basically_counts = BooleanField("“基本满意”计为满意")
