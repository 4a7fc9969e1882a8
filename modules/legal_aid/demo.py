"""Demo data (``flask demo load``): a roster, duty patterns, consultations and a commission.

Run after core's demo agencies, users and matters exist, while the module is installed; does
nothing once the roster has a lawyer (idempotent). The demo lawyer (``lawyer``, whose account
sits in the justice bureau) is on duty at the petition bureau's hall on every working day of
these weeks — today too, even on a holiday, so the demo always shows it — and so opens the
bureau's matters; one of them is attached to the lawyer, and a legal analysis of another is
commissioned from the lawyer.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.api import Agency, Matter, User, acting_as, db, today, work_calendar

from .models import DutySlot, Lawyer
from .services import (
    ConsultationInput,
    LawyerInput,
    add_conflict,
    add_pattern,
    assign,
    change_status,
    commission,
    create_consultation,
    save_lawyer,
)


def load() -> None:
    """Load the demo roster and its work (nothing when a lawyer is on the roster already)."""
    if db.session.execute(select(Lawyer.id).limit(1)).first():
        return
    users = {u.username: u for u in db.session.execute(select(User)).scalars()}
    if not {"lawyer", "supervisor"} <= users.keys():
        return
    bureau = db.session.execute(select(Agency).where(Agency.code == "SH-XFJ")).scalar()
    housing = db.session.execute(select(Agency).where(Agency.code == "SH-ZJJ")).scalar()
    on = today()
    with acting_as(users["supervisor"]):
        zhou = save_lawyer(
            None,
            LawyerInput(
                name=users["lawyer"].display_name,
                firm="辽宁正大律师事务所",
                licence_no="12101201510123456",
                specialties="劳动争议、房屋征收",
                languages="普通话、朝鲜语",
                nominated_by="沈阳市律师协会",
                username="lawyer",
            ),
        )
        chen = save_lawyer(
            None,
            LawyerInput(
                name="陈静",
                firm="辽宁同泽律师事务所",
                licence_no="12101201210654321",
                specialties="行政复议、行政诉讼",
                languages="普通话",
                nominated_by="沈阳市律师协会",
            ),
        )
        liu = save_lawyer(
            None,
            LawyerInput(
                name="刘洋",
                firm="沈河区法律援助中心",
                licence_no="12101201810111222",
                specialties="婚姻家庭、法律援助",
                nominated_by="沈河区司法局",
            ),
        )
        change_status(liu, "suspended", "参加为期一个月的业务培训", liu.version)
        if housing is not None:
            add_conflict(chen, relation="常年法律顾问", agency_id=housing.id)
        add_pattern(
            zhou, start=on - timedelta(days=14), end=on + timedelta(days=60), weekdays="01234"
        )
        add_pattern(
            chen,
            start=on - timedelta(days=14),
            end=on + timedelta(days=60),
            weekdays="02",
            half_day="pm",
            place_kind="court",
            place="沈河区人民法院诉讼服务中心",
        )
        add_pattern(
            chen,
            start=on,
            end=on + timedelta(days=90),
            month_day=15,
            place_kind="window",
            place="3号窗口",
        )
        if not work_calendar().is_workday(on) and bureau is not None:
            # The demo is run on any day: the lawyer sits in the hall today all the same.
            db.session.add(
                DutySlot(
                    day=on,
                    half_day="am",
                    lawyer_id=zhou.id,
                    place_kind="hall",
                    note="演示：节假日加班值班",
                    agency_id=bureau.id,
                )
            )
            db.session.commit()
        matters = (
            list(
                db.session.execute(
                    select(Matter)
                    .where(Matter.agency_id == bureau.id, Matter.state == "registered")
                    .order_by(Matter.id.desc())
                ).scalars()
            )
            if bureau is not None
            else []
        )
        if matters:
            assign(matters[0], zhou)
        if len(matters) > 1:
            commission(
                matters[1],
                zhou,
                "该事项涉及的补偿协议是否有效？信访人的诉求能否通过诉讼解决？",
                on + timedelta(days=10),
            )
    with acting_as(users["lawyer"]):
        create_consultation(
            ConsultationInput(
                question="在小区做保洁，公司三个月没发工资，能不能告？",
                advice="属于劳动争议，应先向劳动人事争议仲裁委员会申请仲裁；经济困难可申请法律援助。",
                route="legal_aid",
                body="沈河区法律援助中心",
                minutes=30,
                visitor_name="赵师傅",
                visitor_phone="13940012345",
            )
        )
