"""Forms of the relief fund (Flask-WTF: every POST carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from core.api import opts

from .models import KINDS, METHODS
from .money import AmountError, parse_yuan


class AmountField(StringField):
    """An amount in yuan typed by a person; ``fen`` holds the parsed whole fen (分)."""

    fen: int | None = None

    def pre_validate(self, form) -> None:
        self.fen = None
        try:
            self.fen = parse_yuan(self.data)
        except AmountError as exc:
            raise ValidationError(str(exc)) from exc


class ApplicationForm(FlaskForm):
    matter_number = StringField(
        "信访事项编号", validators=[DataRequired("请填写信访事项编号。"), Length(max=38)]
    )
    kind = SelectField("救助类别", choices=opts(KINDS.items()), default="petition")
    amount = AmountField("申请金额（元）")
    reason = TextAreaField(
        "申请理由", validators=[DataRequired("请填写申请理由。"), Length(max=2000)]
    )
    hardship = TextAreaField(
        "信访人生活困难情况",
        validators=[DataRequired("请填写信访人生活困难情况。"), Length(max=2000)],
    )
    undertaking = BooleanField("信访人已签署息诉罢访承诺书")


class VersionForm(FlaskForm):
    """Submit or cancel: only the version the page was rendered with."""

    version = HiddenField()
    note = TextAreaField("说明", validators=[Optional(), Length(max=2000)])


class DecisionForm(FlaskForm):
    version = HiddenField()
    amount = AmountField("批准金额（元）")
    note = TextAreaField("审批意见", validators=[Optional(), Length(max=2000)])


class RejectForm(FlaskForm):
    version = HiddenField()
    note = TextAreaField(
        "不予批准的理由", validators=[DataRequired("请填写不予批准的理由。"), Length(max=2000)]
    )


class PaymentForm(FlaskForm):
    version = HiddenField()
    amount = AmountField("拨付金额（元）")
    paid_on = DateField("拨付日期", validators=[DataRequired("请填写拨付日期。")])
    method = SelectField("拨付方式", choices=opts(METHODS.items()), default="transfer")
    reference = StringField(
        "转账流水号或收据编号",
        validators=[DataRequired("请填写转账流水号或收据编号。"), Length(max=100)],
    )
    undertaking = BooleanField("信访人已签署息诉罢访承诺书")


class BudgetForm(FlaskForm):
    agency_id = SelectField("单位", coerce=int, validate_choice=True)
    year = IntegerField(
        "年度",
        validators=[
            DataRequired("请填写年度。"),
            NumberRange(2000, 2100, "年度不正确。"),
        ],
    )
    amount = AmountField("年度额度（元）")
    note = StringField("说明（如批准文号）", validators=[Optional(), Length(max=200)])
