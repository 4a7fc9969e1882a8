"""Forms of the lawyers' desk (CSRF from Flask-WTF stays on); labels in Chinese."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.api import opts

from .models import HALF_DAYS, KINDS, PLACE_KINDS, ROUTES, STATUSES

WEEKDAY_CHOICES = opts([(str(i), f"星期{d}") for i, d in enumerate("一二三四五六日")])


class LawyerForm(FlaskForm):
    name = StringField("姓名", validators=[DataRequired("请填写律师姓名。"), Length(max=50)])
    firm = StringField("律师事务所", validators=[Optional(), Length(max=100)])
    licence_no = StringField("执业证号", validators=[Optional(), Length(max=30)])
    specialties = StringField("擅长领域", validators=[Optional(), Length(max=200)])
    languages = StringField(
        "语言（含方言、少数民族语言）", validators=[Optional(), Length(max=100)]
    )
    nominated_by = StringField(
        "推荐单位", default="县律师协会", validators=[Optional(), Length(max=100)]
    )
    eligible = BooleanField("具备值班资格", default=True)
    username = StringField("登录账户（用户名，可不填）", validators=[Optional(), Length(max=100)])
    note = TextAreaField("备注", validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class StatusForm(FlaskForm):
    status = SelectField("状态", choices=opts(STATUSES.items()))
    reason = StringField("原因", validators=[DataRequired("请填写变更原因。"), Length(max=200)])
    version = HiddenField()


class ConflictForm(FlaskForm):
    agency_id = SelectField("机关（被反映单位等）", coerce=int, validate_choice=False)
    party = StringField("或当事人名称", validators=[Optional(), Length(max=200)])
    relation = StringField(
        "关系", default="常年法律顾问", validators=[DataRequired("请填写关系。"), Length(max=100)]
    )
    since = DateField("起", validators=[Optional()])
    until = DateField("止（仍在代理可不填）", validators=[Optional()])


class SlotForm(FlaskForm):
    day = DateField("值班日期", validators=[DataRequired("请填写值班日期。")])
    half_day = SelectField("时段", choices=opts(HALF_DAYS.items()), default="am")
    lawyer_id = SelectField("值班律师", coerce=int, validate_choice=False)
    place_kind = SelectField("地点类别", choices=opts(PLACE_KINDS.items()), default="hall")
    place = StringField("地点（窗口号或合作单位）", validators=[Optional(), Length(max=100)])
    note = StringField("备注", validators=[Optional(), Length(max=200)])


class PatternForm(FlaskForm):
    lawyer_id = SelectField("值班律师", coerce=int, validate_choice=False)
    weekdays = SelectMultipleField("每周", choices=WEEKDAY_CHOICES, validate_choice=False)
    month_day = IntegerField(
        "或每月几日", validators=[Optional(), NumberRange(1, 31, "请填写 1 至 31。")]
    )
    half_day = SelectField("时段", choices=opts(HALF_DAYS.items()), default="am")
    place_kind = SelectField("地点类别", choices=opts(PLACE_KINDS.items()), default="hall")
    place = StringField("地点（窗口号或合作单位）", validators=[Optional(), Length(max=100)])
    starts_on = DateField("自", validators=[DataRequired("请填写开始日期。")])
    ends_on = DateField("至", validators=[DataRequired("请填写结束日期。")])


class AbsentForm(FlaskForm):
    reason = StringField("缺勤原因", validators=[DataRequired("请填写缺勤原因。"), Length(max=200)])
    version = HiddenField()


class SwapForm(FlaskForm):
    lawyer_id = SelectField("换由", coerce=int, validate_choice=False)
    reason = StringField("原因", validators=[Optional(), Length(max=200)])
    version = HiddenField()


class AttachForm(FlaskForm):
    """One click at the desk: a duty lawyer onto a matter (by id or typed number)."""

    lawyer_id = HiddenField()
    slot_id = HiddenField()
    matter_id = HiddenField()
    matter_number = StringField("信访件编号", validators=[Optional(), Length(max=38)])


class SessionLawyerForm(FlaskForm):
    lawyer_id = SelectField("律师", coerce=int, validate_choice=False)


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
    body = StringField("有权处理的机关", validators=[Optional(), Length(max=200)])
    minutes = IntegerField(
        "用时（分钟）",
        default=30,
        validators=[Optional(), NumberRange(1, 480, "请填写 1 至 480。")],
    )
    version = HiddenField()


class OpinionForm(FlaskForm):
    opinion = TextAreaField(
        "律师意见", validators=[DataRequired("请填写律师意见。"), Length(max=20000)]
    )
    version = HiddenField()


class CommissionForm(FlaskForm):
    lawyer_id = SelectField("律师", coerce=int, validate_choice=False)
    question = TextAreaField(
        "委托论证的问题", validators=[DataRequired("请填写委托论证的问题。"), Length(max=5000)]
    )
    deadline = DateField("论证期限", validators=[DataRequired("请填写论证期限。")])


class DeliverForm(FlaskForm):
    text = TextAreaField(
        "论证意见", validators=[DataRequired("请填写论证意见。"), Length(max=50000)]
    )
    minutes = IntegerField("用时（分钟）", validators=[DataRequired("请填写用时。")])
    version = HiddenField()


class MandateForm(FlaskForm):
    lawyer_id = SelectField("受托律师", coerce=int, validate_choice=False)
    principal = StringField("委托人", validators=[DataRequired("请填写委托人。"), Length(max=50)])
    scope = StringField(
        "代理事项和权限",
        default="代理申诉",
        validators=[DataRequired("请填写代理事项。"), Length(max=200)],
    )
    signed_on = DateField("委托日期", validators=[DataRequired("请填写委托日期。")])


class DeleteForm(FlaskForm):
    """An empty form: only its CSRF token matters."""
