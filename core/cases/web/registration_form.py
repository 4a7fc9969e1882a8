"""登记: the registration form (the desk's page and ``POST /api/v1/matters``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, Regexp, StopValidation

from core.cases.clocks.clocks import today
from core.cases.lifecycle.registration import MAX_REPRESENTATIVES, PartyInput, Registration
from core.cases.models import ContentCategory, Matter
from core.cases.models.matter import CHANNELS, FLAGS, HANDLING_TYPES, PURPOSES
from core.cases.people.idcard import id_number_problem
from core.cases.web.forms import (
    BAD_DATE,
    BAD_INT,
    CHOOSE,
    MultiCheckboxField,
    Required,
    agency_choices,
    data_opts,
    opt_int,
    opts,
    select_field,
)
from core.extensions import db
from core.web.i18n import _l

#: Petitioner rows on the registration page: the lead plus up to five more (a collective visit
#: sends at most five representatives, 条例第20条第3款).
PARTY_ROWS = 1 + MAX_REPRESENTATIVES
ID_TYPES = {
    "resident_id": _l("居民身份证"),
    "passport": _l("护照"),
    "hmt_permit": _l("港澳台居民证件"),
    "other": _l("其他证件"),
}


class PartyForm(Form):
    """One petitioner row: the lead (row 0) or another petitioner / representative."""

    name = StringField(_l("姓名或单位名称"), [Length(max=100, message=_l("姓名不能超过 100 字。"))])
    id_type = SelectField(
        _l("证件类型"),
        choices=opts(ID_TYPES.items()),
        default="resident_id",
        invalid_choice_message=CHOOSE,
    )
    id_number = StringField(_l("证件号码"), [Length(max=40, message=_l("证件号码过长。"))])
    mobile = StringField(
        _l("手机号码"),
        [Optional(), Regexp(r"^1\d{10}$", message=_l("手机号码应为以 1 开头的 11 位数字。"))],
    )
    address = StringField(_l("住址"), [Length(max=200, message=_l("住址不能超过 200 字。"))])
    is_representative = BooleanField(_l("推选代表"))

    def iswith_blank(self) -> bool:
        """Whether nothing was entered in the row (blank rows are ignored)."""
        return not any(
            (f.data or "").strip() for f in (self.name, self.id_number, self.mobile, self.address)
        )

    def validate_name(self, field) -> None:  # noqa: D102
        if not self.iswith_blank() and not (field.data or "").strip():
            raise StopValidation(_l("请填写信访人姓名或单位名称。"))

    def validate_id_number(self, field) -> None:  # noqa: D102
        value = (field.data or "").strip()
        if value and self.id_type.data == "resident_id":
            problem = id_number_problem(value)
            if problem:
                # Its messages are listed in core/web/i18n_labels.py.
                raise StopValidation(gettext(problem))


class RegistrationForm(FlaskForm):
    """登记: what the desk enters for a new matter (REGULATION.md §1.3)."""

    channel = select_field(
        _l("信访形式"), CHANNELS.items(), required=_l("请选择信访形式。"), default="visit"
    )
    received_on = DateField(
        _l("收到日期"),
        [Required(_l("请填写收到日期。"))],
        default=today,
        invalid_value_message=BAD_DATE,
    )
    purpose = select_field(
        _l("信访目的"), PURPOSES.items(), required=_l("请选择信访目的。"), default="remedy"
    )
    handling_type = select_field(
        _l("事项类别"), HANDLING_TYPES.items(), required=_l("请选择事项类别。"), default="complaint"
    )
    category_1 = select_field(_l("内容分类（一级）"), [], coerce=opt_int)
    category_2 = select_field(_l("二级"), [], coerce=opt_int)
    category_3 = select_field(_l("三级"), [], coerce=opt_int)
    summary = TextAreaField(
        _l("内容摘要（诉求、事实和理由）"),
        [
            Required(_l("请填写内容摘要（诉求、事实和理由）。")),
            Length(max=5000, message=_l("内容摘要不能超过 5000 字。")),
        ],
    )
    demands = TextAreaField(
        _l("具体诉求（每行一项）"), [Length(max=5000, message=_l("诉求不能超过 5000 字。"))]
    )
    place_text = StringField(
        _l("问题属地"), [Length(max=200, message=_l("问题属地不能超过 200 字。"))]
    )
    complained_party = StringField(
        _l("被反映人或单位"), [Length(max=200, message=_l("不能超过 200 字。"))]
    )
    complained_post = StringField(_l("职务"), [Length(max=100, message=_l("不能超过 100 字。"))])
    complained_agency_id = select_field(_l("被反映单位（本系统机构）"), [], coerce=opt_int)
    head_count = IntegerField(
        _l("信访人数"),
        [
            Required(_l("请填写信访人数。")),
            NumberRange(min=1, max=100000, message=_l("信访人数应为 1 以上的整数。")),
        ],
        default=1,
        invalid_value_message=BAD_INT,
    )
    people_involved = IntegerField(
        _l("涉及人数"),
        [Optional(), NumberRange(min=1, max=10000000, message=_l("涉及人数应为 1 以上的整数。"))],
        invalid_value_message=BAD_INT,
    )
    flags = MultiCheckboxField(
        _l("标识"),
        choices=opts(FLAGS.items()),
        invalid_choice_message=_l("未知的标识。"),
        invalid_value_message=_l("未知的标识。"),
    )
    repeat_of = StringField(
        _l("重复信访：原信访件编号"), [Length(max=38, message=_l("编号不能超过 38 位。"))]
    )
    external_number = StringField(
        _l("上级交办编号"), [Length(max=60, message=_l("编号不能超过 60 位。"))]
    )
    parties = FieldList(FormField(PartyForm), min_entries=1)

    def setup(self) -> RegistrationForm:
        """Load the choices that come from the database (categories, agencies)."""
        categories = list(
            db.session.execute(
                select(ContentCategory)
                .where(ContentCategory.active.is_(True))
                .order_by(ContentCategory.code)
            ).scalars()
        )
        for level, fld in ((1, self.category_1), (2, self.category_2), (3, self.category_3)):
            fld.choices = opts([("", _l("— 不选 —"))]) + data_opts(
                (c.id, c.name, {"data-parent": str(c.parent_id or "")})
                for c in categories
                if c.level == level
            )
        self.complained_agency_id.choices = opts([("", _l("— 无 —"))]) + data_opts(agency_choices())
        return self

    def extra_rows_used(self) -> bool:
        """Whether anything was entered (or refused) in the rows after the lead's."""
        return any(
            not e.form.iswith_blank() or e.form.is_representative.data or e.errors
            for e in list(self.parties)[1:]
        )

    def pad_parties(self, rows: int = PARTY_ROWS) -> None:
        """Show ``rows`` petitioner rows on the page (the extra ones blank)."""
        while len(self.parties) < rows:
            self.parties.append_entry()

    # Field checks that need the database ----------------------------------------------------

    def validate_category_2(self, field) -> None:  # noqa: D102
        self._check_parent(field, self.category_1.data, _l("所选二级分类不属于所选一级分类。"))

    def validate_category_3(self, field) -> None:  # noqa: D102
        self._check_parent(field, self.category_2.data, _l("所选三级分类不属于所选二级分类。"))

    @staticmethod
    def _check_parent(field, parent_id: int | None, message: str) -> None:
        if field.data is None:
            return
        node = db.session.get(ContentCategory, field.data)
        if node is None or (parent_id is not None and node.parent_id != parent_id):
            raise StopValidation(message)

    def validate_repeat_of(self, field) -> None:  # noqa: D102
        if (field.data or "").strip() and self.repeat_of_id() is None:
            raise StopValidation(_l("找不到该编号的信访事项，或您无权查看。"))

    def repeat_of_id(self) -> int | None:
        """The earlier matter this one repeats (looked up through the record rules)."""
        number = (self.repeat_of.data or "").strip()
        if not number:
            return None
        return db.session.execute(select(Matter.id).where(Matter.number == number)).scalar()

    def category_id(self) -> int | None:
        """The deepest category chosen."""
        return self.category_3.data or self.category_2.data or self.category_1.data

    def to_registration(self) -> tuple[Registration, list[int]]:
        """The service's input, and for each party the form row it came from.

        Blank rows are skipped, so the service's ``parties-<i>-…`` errors must be mapped back
        to the row numbers of the page (``remap_party_errors``).
        """
        parties, rows = [], []
        for i, entry in enumerate(self.parties):
            row = entry.form
            if row.iswith_blank():
                continue
            rows.append(i)
            parties.append(
                PartyInput(
                    name=(row.name.data or "").strip(),
                    id_type=row.id_type.data or "resident_id",
                    id_number=(row.id_number.data or "").strip(),
                    mobile=(row.mobile.data or "").strip(),
                    address=(row.address.data or "").strip(),
                    is_lead=i == 0,
                    is_representative=bool(row.is_representative.data),
                )
            )
        external = (self.external_number.data or "").strip()
        reg = Registration(
            channel=self.channel.data,
            summary=self.summary.data or "",
            received_on=self.received_on.data,
            parties=parties,
            purpose=self.purpose.data,
            handling_type=self.handling_type.data,
            category_id=self.category_id(),
            demands=(self.demands.data or "").splitlines(),
            place_text=(self.place_text.data or "").strip(),
            complained_party=(self.complained_party.data or "").strip(),
            complained_post=(self.complained_post.data or "").strip(),
            complained_agency_id=self.complained_agency_id.data,
            people_involved=self.people_involved.data or self.head_count.data or 1,
            head_count=self.head_count.data or 1,
            flags=list(self.flags.data or []),
            repeat_of_id=self.repeat_of_id(),
            external_numbers={"higher": external} if external else {},
        )
        return reg, rows


def remap_party_errors(errors: Mapping[str, str], rows: list[int]) -> dict[str, str]:
    """Turn the service's ``parties-<n>-field`` (n-th non-blank party) into form row names."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "parties" and parts[1].isdigit():
            n = int(parts[1])
            if n < len(rows):
                key = f"parties-{rows[n]}-{parts[2]}"
        out[key] = message
    return out


def registration_form(formdata: Any = None, *, api: bool = False) -> RegistrationForm:
    """A registration form with its choices loaded (``formdata`` ``None``: a blank form)."""
    kwargs: dict[str, Any] = {"meta": {"csrf": False}} if api else {}
    return RegistrationForm(formdata=formdata, **kwargs).setup()
