"""Forms of the relief fund (Flask-WTF: every POST carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
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

from core.api import _l, opts

from .models import GROUNDS, KINDS, METHODS, RELATIONS, UNDERTAKING_KINDS
from .money import AmountError, parse_yuan


class AmountField(StringField):
    """An amount in yuan typed by a person; ``fen`` holds the parsed whole fen (分).

    ``optional``: an empty field is allowed (``fen`` stays ``None``).
    """

    fen: int | None = None

    def __init__(self, *args, optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional = optional

    def pre_validate(self, form) -> None:
        self.fen = None
        if self.optional and not (self.data or "").strip():
            return
        try:
            self.fen = parse_yuan(self.data)
        except AmountError as exc:
            raise ValidationError(_l(str(exc))) from exc


class ApplicationForm(FlaskForm):
    matter_number = StringField(
        _l("信访事项编号"), validators=[DataRequired(_l("请填写信访事项编号。")), Length(max=38)]
    )
    kind = SelectField(_l("救助类别"), choices=opts(KINDS.items()), default="petition")
    ground = SelectField(_l("救助情形"), choices=opts(GROUNDS.items()), default="reasonable")
    civil_affairs = BooleanField(_l("信访人符合民政社会救助条件（应转介）"))
    amount = AmountField(_l("申请金额（元）"), optional=True)
    reason = TextAreaField(
        _l("申请理由"), validators=[DataRequired(_l("请填写申请理由。")), Length(max=2000)]
    )
    hardship = TextAreaField(
        _l("信访人家庭困难情况及证明"),
        validators=[DataRequired(_l("请填写信访人生活困难情况。")), Length(max=2000)],
    )
    case_summary = TextAreaField(
        _l("案情摘要（默认取信访事项摘要）"), validators=[Length(max=4000)]
    )
    evidence = MultipleFileField(_l("家庭困难证明材料扫描件（PDF、JPEG、PNG）"))


class VersionForm(FlaskForm):
    """Submit, cancel or close: the version the page was rendered with, and a note."""

    version = HiddenField()
    matter_version = HiddenField()
    note = TextAreaField(_l("说明"), validators=[Optional(), Length(max=2000)])


class SignForm(FlaskForm):
    """Sign the current step.

    The opinion, an amount where the step sets one, and the digest of what the page showed
    (the signature's "what they saw").
    """

    version = HiddenField()
    seen = HiddenField()
    amount = AmountField(_l("同意金额（元）"), optional=True)
    opinion = TextAreaField(_l("审批意见"), validators=[Optional(), Length(max=2000)])


class RefuseForm(FlaskForm):
    version = HiddenField()
    opinion = TextAreaField(
        _l("不同意的理由"), validators=[DataRequired(_l("请填写不同意的理由。")), Length(max=2000)]
    )


class UndertakingForm(FlaskForm):
    version = HiddenField()
    kind = SelectField(_l("文书"), choices=opts(UNDERTAKING_KINDS.items()), default="promise")
    signed_on = DateField(_l("签署日期"), validators=[DataRequired(_l("请填写签署日期。"))])
    scan = FileField(_l("扫描件（PDF、JPEG、PNG）"))


class PaymentForm(FlaskForm):
    version = HiddenField()
    amount = AmountField(_l("本次拨付金额（元）"))
    paid_on = DateField(_l("拨付日期"), validators=[DataRequired(_l("请填写拨付日期。"))])
    method = SelectField(_l("拨付方式"), choices=opts(METHODS.items()), default="transfer")
    reference = StringField(
        _l("转账流水号或收据编号"),
        validators=[DataRequired(_l("请填写转账流水号或收据编号。")), Length(max=100)],
    )
    receipt = FileField(_l("信访人签收的收据扫描件"))
    final = BooleanField(_l("最后一笔（未拨付部分退回账户）"))


class RelationForm(FlaskForm):
    user_id = SelectField(_l("工作人员"), coerce=int, validate_choice=True)
    relation = SelectField(_l("与信访人的关系"), choices=opts(RELATIONS.items()))


class BudgetForm(FlaskForm):
    agency_id = SelectField(_l("单位"), coerce=int, validate_choice=True)
    year = IntegerField(
        _l("年度"),
        validators=[DataRequired(_l("请填写年度。")), NumberRange(2000, 2100, _l("年度不正确。"))],
    )
    amount = AmountField(_l("年度预算（元）"))
    note = StringField(_l("说明（如批准文号）"), validators=[Optional(), Length(max=200)])


class TopUpForm(FlaskForm):
    agency_id = SelectField(_l("单位"), coerce=int, validate_choice=True)
    year = IntegerField(
        _l("年度"),
        validators=[DataRequired(_l("请填写年度。")), NumberRange(2000, 2100, _l("年度不正确。"))],
    )
    amount = AmountField(_l("追加金额（元）"))
    source = StringField(
        _l("资金来源（如批准文号）"),
        validators=[DataRequired(_l("请填写追加资金的来源。")), Length(max=200)],
    )
    topped_on = DateField(_l("到账日期"), validators=[DataRequired(_l("请填写日期。"))])


class CarryOverForm(FlaskForm):
    budget_id = HiddenField()


class ReportForm(FlaskForm):
    """Report period (GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    budget_id = SelectField(_l("资金账户"), coerce=int, validate_choice=True)
    start = DateField(_l("起始日期"), validators=[Optional()])
    end = DateField(_l("截止日期"), validators=[Optional()])
