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

NOT_A_CHOICE = "请从列表中选择。"

AGENCY_LEVELS = [
    SelectChoice("national", "国家级"),
    SelectChoice("province", "省级"),
    SelectChoice("city", "市级"),
    SelectChoice("county", "县（区）级"),
    SelectChoice("bureau", "信访局/群众工作局"),
    SelectChoice("department", "职能部门"),
    SelectChoice("town", "乡镇（街道）"),
    SelectChoice("community", "村（社区）"),
    SelectChoice("station", "工作站/室"),
]


class LoginForm(FlaskForm):
    """The login form."""

    username = StringField("用户名", validators=[DataRequired("请输入用户名。"), Length(max=128)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码。")])
    #: Asked after repeated failures (``core.accounts.throttle``); its label is the question.
    challenge = StringField("验证问题", validators=[Length(max=20)])


class UserForm(FlaskForm):
    """Editing a user: agency, extra agencies, roles, active; ``version`` for optimistic locking."""

    version = HiddenField()
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名。"), Length(max=100)])
    agency_id = SelectField("所属机构", coerce=int, invalid_choice_message=NOT_A_CHOICE)
    extra_agency_ids = SelectMultipleField(
        "另授权机构", coerce=int, invalid_choice_message="无效的机构：%(value)s"
    )
    role_ids = SelectMultipleField(
        "角色", coerce=int, invalid_choice_message="无效的角色：%(value)s"
    )
    active = BooleanField("启用")


class NewLocalUserForm(FlaskForm):
    """Creating a local account (sites without a directory)."""

    username = StringField(
        "用户名",
        validators=[
            DataRequired("请输入用户名。"),
            Regexp(
                r"^[A-Za-z0-9_.-]{2,64}$", message="用户名只能包含字母、数字、下划线、点和横线。"
            ),
        ],
    )
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名。"), Length(max=100)])
    password = PasswordField("初始密码", validators=[DataRequired("请输入初始密码。")])
    agency_id = SelectField("所属机构", coerce=int, invalid_choice_message=NOT_A_CHOICE)


class AgencyForm(FlaskForm):
    """Creating or editing an agency."""

    version = HiddenField()
    code = StringField(
        "机构代码",
        validators=[
            DataRequired("请输入机构代码。"),
            Regexp(r"^[A-Za-z0-9_-]{1,32}$", message="机构代码只能包含字母、数字、下划线和横线。"),
        ],
    )
    name = StringField("机构名称", validators=[DataRequired("请输入机构名称。"), Length(max=100)])
    level = SelectField("层级", choices=AGENCY_LEVELS, invalid_choice_message=NOT_A_CHOICE)
    region_code = StringField(
        "行政区划代码",
        validators=[
            Optional(),
            Regexp(r"^\d{6}(\d{3})?(\d{3})?$", message="行政区划代码应为 6、9 或 12 位数字。"),
        ],
    )
    parent_id = SelectField("上级机构", coerce=int, invalid_choice_message=NOT_A_CHOICE)


class DirectoryPreviewForm(FlaskForm):
    """Asking what a directory user would get."""

    username = StringField(
        "目录用户名", validators=[DataRequired("请输入用户名。"), Length(max=128)]
    )


class ChangePasswordForm(FlaskForm):
    """A local user changing their own password."""

    current_password = PasswordField("当前密码", validators=[DataRequired("请输入当前密码。")])
    new_password = PasswordField("新密码", validators=[DataRequired("请输入新密码。")])
    confirm_password = PasswordField(
        "再次输入新密码",
        validators=[
            DataRequired("请再次输入新密码。"),
            EqualTo("new_password", message="两次输入的新密码不一致。"),
        ],
    )


class ConfirmForm(FlaskForm):
    """A bare form for POST buttons (carries the CSRF token)."""

    confirm = BooleanField("确认")
    number = IntegerField(validators=[Optional()])
