"""Forms of the lawyers' desk (CSRF from Flask-WTF stays on)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.api import opts

from .models import KINDS, ROUTES


class DutyForm(FlaskForm):
    day = DateField("值班日期", validators=[DataRequired("请填写值班日期。")])
    lawyer_id = SelectField("值班律师", coerce=int, validate_choice=False)
    place = StringField(
        "值班地点",
        default="接访大厅",
        validators=[DataRequired("请填写值班地点。"), Length(max=100)],
    )
    note = StringField("备注", validators=[Optional(), Length(max=200)])


class ConsultationForm(FlaskForm):
    matter_number = StringField(
        "关联信访事项编号（可不填）", validators=[Optional(), Length(max=38)]
    )
    visitor_name = StringField("来访人姓名", validators=[Optional(), Length(max=50)])
    visitor_phone = StringField("联系电话", validators=[Optional(), Length(max=20)])
    consulted_on = DateField("咨询日期", validators=[Optional()])
    kind = SelectField("类别", choices=opts(KINDS.items()), default="consultation")
    question = TextAreaField(
        "咨询的问题", validators=[DataRequired("请填写咨询的问题。"), Length(max=5000)]
    )
    advice = TextAreaField("法律分析与建议", validators=[Optional(), Length(max=10000)])
    route = SelectField(
        "建议的解决途径",
        choices=opts([("", "（暂不建议）"), *ROUTES.items()]),
        validators=[Optional()],
    )
    version = HiddenField()


class OpinionForm(FlaskForm):
    opinion = TextAreaField(
        "律师意见", validators=[DataRequired("请填写律师意见。"), Length(max=20000)]
    )
    version = HiddenField()


class DeleteForm(FlaskForm):
    """An empty form: only its CSRF token matters."""
