"""Forms of the letters desk and of the public pages (CSRF from Flask-WTF stays on)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.api import _l, opts

from .services import RATING_VALUES

BATCH_ROWS = 6


class OnlineForm(FlaskForm):
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=50)])
    id_number = StringField(_l("身份证号码"), validators=[Optional(), Length(max=18)])
    mobile = StringField(_l("手机号码"), validators=[Optional(), Length(max=20)])
    address = StringField(_l("通信地址"), validators=[Optional(), Length(max=200)])
    content = TextAreaField(
        _l("信访内容（诉求、事实和理由）"),
        validators=[DataRequired(_l("请填写信访内容。")), Length(max=5000)],
    )
    files = MultipleFileField(_l("附件（PDF、JPEG、PNG）"))
    challenge_token = HiddenField()
    challenge_answer = StringField(_l("验证题"), validators=[Optional(), Length(max=4)])
    # A field people never see (hidden by the stylesheet); programs that fill every field do.
    website = StringField(_l("网址（请勿填写）"), validators=[Optional()])


class QueryForm(FlaskForm):
    code = StringField(
        _l("查询码"), validators=[DataRequired(_l("请填写查询码。")), Length(max=32)]
    )


class RateForm(FlaskForm):
    bureau = RadioField(
        _l("对信访部门的评价"), choices=opts(RATING_VALUES.items()), validate_choice=False
    )
    unit = RadioField(
        _l("对责任单位的评价"), choices=opts(RATING_VALUES.items()), validate_choice=False
    )
    reason = TextAreaField(_l("理由（不满意时必填）"), validators=[Optional(), Length(max=2000)])


class LetterForm(FlaskForm):
    name = StringField(_l("来信人"), validators=[Optional(), Length(max=50)])
    anonymous = BooleanField(_l("匿名来信"))
    id_number = StringField(_l("身份证号码"), validators=[Optional(), Length(max=18)])
    mobile = StringField(_l("联系电话"), validators=[Optional(), Length(max=20)])
    address = StringField(_l("来信地址"), validators=[Optional(), Length(max=200)])
    summary = TextAreaField(_l("内容摘要"), validators=[DataRequired(_l("请填写内容摘要。"))])
    demands = TextAreaField(_l("诉求（每行一项）"), validators=[Optional()])
    received_on = DateField(_l("收信日期"), validators=[DataRequired(_l("请填写收信日期。"))])
    postmark_on = DateField(_l("邮戳日期"), validators=[Optional()])
    postmark_place = StringField(_l("邮戳地"), validators=[Optional(), Length(max=100)])
    envelope = TextAreaField(_l("信封上的寄信人信息"), validators=[Optional(), Length(max=1000)])
    pages = IntegerField(_l("信件页数"), validators=[Optional(), NumberRange(min=0, max=999)])
    repeat_of = StringField(
        _l("重复信访：原信访件编号（如有）"), validators=[Optional(), Length(max=38)]
    )
    external_number = StringField(_l("上级交办编号"), validators=[Optional(), Length(max=60)])
    external_source = StringField(_l("交办机关"), validators=[Optional(), Length(max=100)])
    external_deadline = DateField(_l("上级要求办结期限"), validators=[Optional()])
    files = MultipleFileField(_l("扫描件（PDF、JPEG、PNG）"))


class FirstHandlerForm(FlaskForm):
    user_id = SelectField(_l("首办责任人"), coerce=int)


class JointReviewForm(FlaskForm):
    agencies = SelectMultipleField(_l("参加会审的单位"), coerce=int)
    conclusion = TextAreaField(_l("会审意见"), validators=[DataRequired(_l("请填写会审意见。"))])


class ReplyForm(FlaskForm):
    recipient = StringField(
        _l("收信人"), validators=[DataRequired(_l("请填写收信人。")), Length(max=100)]
    )
    address = StringField(_l("收信地址"), validators=[Optional(), Length(max=300)])


class ReviewForm(FlaskForm):
    note = TextAreaField(_l("评查意见"), validators=[DataRequired(_l("请填写评查意见。"))])
