"""Forms of the account pages (Chinese validation messages)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from core.web.i18n import _l

NOT_A_CHOICE = _l("请从列表中选择。")

AGENCY_LEVELS = [
    SelectChoice("national", _l("国家级")),
    SelectChoice("province", _l("省级")),
    SelectChoice("city", _l("市级")),
    SelectChoice("county", _l("县（区）级")),
    SelectChoice("bureau", _l("信访局/群众工作局")),
    SelectChoice("department", _l("职能部门")),
    SelectChoice("town", _l("乡镇（街道）")),
    SelectChoice("community", _l("村（社区）")),
    SelectChoice("station", _l("工作站/室")),
]


class LoginForm(FlaskForm):
    """The login form."""

    username = StringField(
        _l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=128)]
    )
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。"))])
    #: Asked after repeated failures (``core.accounts.throttle``); its label is the question.
    challenge = StringField(_l("验证问题"), validators=[Length(max=20)])


class UserForm(FlaskForm):
    """Editing a user: agency, extra agencies, roles, active; ``version`` for optimistic locking."""

    version = HiddenField()
    display_name = StringField(
        _l("姓名"), validators=[DataRequired(_l("请输入姓名。")), Length(max=100)]
    )
    agency_id = SelectField(_l("所属机构"), coerce=int, invalid_choice_message=NOT_A_CHOICE)
    extra_agency_ids = SelectMultipleField(
        _l("另授权机构"), coerce=int, invalid_choice_message=_l("无效的机构：%(value)s")
    )
    role_ids = SelectMultipleField(
        _l("角色"), coerce=int, invalid_choice_message=_l("无效的角色：%(value)s")
    )
    active = BooleanField(_l("启用"))


class NewLocalUserForm(FlaskForm):
    """Creating a local account (sites without a directory)."""

    username = StringField(
        _l("用户名"),
        validators=[
            DataRequired(_l("请输入用户名。")),
            Regexp(
                r"^[A-Za-z0-9_.-]{2,64}$",
                message=_l("用户名只能包含字母、数字、下划线、点和横线。"),
            ),
        ],
    )
    display_name = StringField(
        _l("姓名"), validators=[DataRequired(_l("请输入姓名。")), Length(max=100)]
    )
    password = PasswordField(_l("初始密码"), validators=[DataRequired(_l("请输入初始密码。"))])
    agency_id = SelectField(_l("所属机构"), coerce=int, invalid_choice_message=NOT_A_CHOICE)


class AgencyForm(FlaskForm):
    """Creating or editing an agency."""

    version = HiddenField()
    code = StringField(
        _l("机构代码"),
        validators=[
            DataRequired(_l("请输入机构代码。")),
            Regexp(
                r"^[A-Za-z0-9_-]{1,32}$", message=_l("机构代码只能包含字母、数字、下划线和横线。")
            ),
        ],
    )
    name = StringField(
        _l("机构名称"), validators=[DataRequired(_l("请输入机构名称。")), Length(max=100)]
    )
    level = SelectField(_l("层级"), choices=AGENCY_LEVELS, invalid_choice_message=NOT_A_CHOICE)
    region_code = StringField(
        _l("行政区划代码"),
        validators=[
            Optional(),
            Regexp(r"^\d{6}(\d{3})?(\d{3})?$", message=_l("行政区划代码应为 6、9 或 12 位数字。")),
        ],
    )
    parent_id = SelectField(_l("上级机构"), coerce=int, invalid_choice_message=NOT_A_CHOICE)


class DirectoryPreviewForm(FlaskForm):
    """Asking what a directory user would get."""

    username = StringField(
        _l("目录用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=128)]
    )


class ChangePasswordForm(FlaskForm):
    """A local user changing their own password."""

    current_password = PasswordField(
        _l("当前密码"), validators=[DataRequired(_l("请输入当前密码。"))]
    )
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码。"))])
    confirm_password = PasswordField(
        _l("再次输入新密码"),
        validators=[
            DataRequired(_l("请再次输入新密码。")),
            EqualTo("new_password", message=_l("两次输入的新密码不一致。")),
        ],
    )


class ConfirmForm(FlaskForm):
    """A bare form for POST buttons (carries the CSRF token)."""

    confirm = BooleanField(_l("确认"))
    number = IntegerField(validators=[Optional()])
