"""Forms of the lawyers' desk (CSRF from Flask-WTF stays on).

Labels, choices and messages are Chinese, marked with ``_l`` and shown in the reader's language.
"""

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

from core.api import _l, opts

from .models import HALF_DAYS, KINDS, PLACE_KINDS, ROUTES, STATUSES

WEEKDAY_CHOICES = opts(
    (str(i), day)
    for i, day in enumerate(
        (
            _l("星期一"),
            _l("星期二"),
            _l("星期三"),
            _l("星期四"),
            _l("星期五"),
            _l("星期六"),
            _l("星期日"),
        )
    )
)


class LawyerForm(FlaskForm):
    name = StringField(
        _l("姓名"), validators=[DataRequired(_l("请填写律师姓名。")), Length(max=50)]
    )
    firm = StringField(_l("律师事务所"), validators=[Optional(), Length(max=100)])
    licence_no = StringField(_l("执业证号"), validators=[Optional(), Length(max=30)])
    specialties = StringField(_l("擅长领域"), validators=[Optional(), Length(max=200)])
    languages = StringField(
        _l("语言（含方言、少数民族语言）"), validators=[Optional(), Length(max=100)]
    )
    nominated_by = StringField(
        _l("推荐单位"), default="县律师协会", validators=[Optional(), Length(max=100)]
    )
    eligible = BooleanField(_l("具备值班资格"), default=True)
    username = StringField(
        _l("登录账户（用户名，可不填）"), validators=[Optional(), Length(max=100)]
    )
    note = TextAreaField(_l("备注"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class StatusForm(FlaskForm):
    status = SelectField(_l("状态"), choices=opts(STATUSES.items()))
    reason = StringField(
        _l("原因"), validators=[DataRequired(_l("请填写变更原因。")), Length(max=200)]
    )
    version = HiddenField()


class ConflictForm(FlaskForm):
    agency_id = SelectField(_l("机关（被反映单位等）"), coerce=int, validate_choice=False)
    party = StringField(_l("或当事人名称"), validators=[Optional(), Length(max=200)])
    relation = StringField(
        _l("关系"),
        default="常年法律顾问",
        validators=[DataRequired(_l("请填写关系。")), Length(max=100)],
    )
    since = DateField(_l("起"), validators=[Optional()])
    until = DateField(_l("止（仍在代理可不填）"), validators=[Optional()])


class SlotForm(FlaskForm):
    day = DateField(_l("值班日期"), validators=[DataRequired(_l("请填写值班日期。"))])
    half_day = SelectField(_l("时段"), choices=opts(HALF_DAYS.items()), default="am")
    lawyer_id = SelectField(_l("值班律师"), coerce=int, validate_choice=False)
    place_kind = SelectField(_l("地点类别"), choices=opts(PLACE_KINDS.items()), default="hall")
    place = StringField(_l("地点（窗口号或合作单位）"), validators=[Optional(), Length(max=100)])
    note = StringField(_l("备注"), validators=[Optional(), Length(max=200)])


class PatternForm(FlaskForm):
    lawyer_id = SelectField(_l("值班律师"), coerce=int, validate_choice=False)
    weekdays = SelectMultipleField(_l("每周"), choices=WEEKDAY_CHOICES, validate_choice=False)
    month_day = IntegerField(
        _l("或每月几日"), validators=[Optional(), NumberRange(1, 31, _l("请填写 1 至 31。"))]
    )
    half_day = SelectField(_l("时段"), choices=opts(HALF_DAYS.items()), default="am")
    place_kind = SelectField(_l("地点类别"), choices=opts(PLACE_KINDS.items()), default="hall")
    place = StringField(_l("地点（窗口号或合作单位）"), validators=[Optional(), Length(max=100)])
    starts_on = DateField(_l("自"), validators=[DataRequired(_l("请填写开始日期。"))])
    ends_on = DateField(_l("至"), validators=[DataRequired(_l("请填写结束日期。"))])


class AbsentForm(FlaskForm):
    reason = StringField(
        _l("缺勤原因"), validators=[DataRequired(_l("请填写缺勤原因。")), Length(max=200)]
    )
    version = HiddenField()


class SwapForm(FlaskForm):
    lawyer_id = SelectField(_l("换由"), coerce=int, validate_choice=False)
    reason = StringField(_l("原因"), validators=[Optional(), Length(max=200)])
    version = HiddenField()


class AttachForm(FlaskForm):
    """One click at the desk: a duty lawyer onto a matter (by id or typed number)."""

    lawyer_id = HiddenField()
    slot_id = HiddenField()
    matter_id = HiddenField()
    matter_number = StringField(_l("信访件编号"), validators=[Optional(), Length(max=38)])


class SessionLawyerForm(FlaskForm):
    lawyer_id = SelectField(_l("律师"), coerce=int, validate_choice=False)


class ConsultationForm(FlaskForm):
    matter_number = StringField(
        _l("关联信访事项编号（可不填）"), validators=[Optional(), Length(max=38)]
    )
    visitor_name = StringField(_l("来访人姓名"), validators=[Optional(), Length(max=50)])
    visitor_phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=20)])
    consulted_on = DateField(_l("咨询日期"), validators=[Optional()])
    kind = SelectField(_l("类别"), choices=opts(KINDS.items()), default="consultation")
    question = TextAreaField(
        _l("咨询的问题"), validators=[DataRequired(_l("请填写咨询的问题。")), Length(max=5000)]
    )
    advice = TextAreaField(_l("法律分析与建议"), validators=[Optional(), Length(max=10000)])
    route = SelectField(
        _l("建议的解决途径"),
        choices=opts([("", _l("（暂不建议）")), *ROUTES.items()]),
        validators=[Optional()],
    )
    body = StringField(_l("有权处理的机关"), validators=[Optional(), Length(max=200)])
    minutes = IntegerField(
        _l("用时（分钟）"),
        default=30,
        validators=[Optional(), NumberRange(1, 480, _l("请填写 1 至 480。"))],
    )
    version = HiddenField()


class OpinionForm(FlaskForm):
    opinion = TextAreaField(
        _l("律师意见"), validators=[DataRequired(_l("请填写律师意见。")), Length(max=20000)]
    )
    version = HiddenField()


class CommissionForm(FlaskForm):
    lawyer_id = SelectField(_l("律师"), coerce=int, validate_choice=False)
    question = TextAreaField(
        _l("委托论证的问题"),
        validators=[DataRequired(_l("请填写委托论证的问题。")), Length(max=5000)],
    )
    deadline = DateField(_l("论证期限"), validators=[DataRequired(_l("请填写论证期限。"))])


class DeliverForm(FlaskForm):
    text = TextAreaField(
        _l("论证意见"), validators=[DataRequired(_l("请填写论证意见。")), Length(max=50000)]
    )
    minutes = IntegerField(_l("用时（分钟）"), validators=[DataRequired(_l("请填写用时。"))])
    version = HiddenField()


class MandateForm(FlaskForm):
    lawyer_id = SelectField(_l("受托律师"), coerce=int, validate_choice=False)
    principal = StringField(
        _l("委托人"), validators=[DataRequired(_l("请填写委托人。")), Length(max=50)]
    )
    scope = StringField(
        _l("代理事项和权限"),
        default="代理申诉",
        validators=[DataRequired(_l("请填写代理事项。")), Length(max=200)],
    )
    signed_on = DateField(_l("委托日期"), validators=[DataRequired(_l("请填写委托日期。"))])


class DeleteForm(FlaskForm):
    """An empty form: only its CSRF token matters."""
