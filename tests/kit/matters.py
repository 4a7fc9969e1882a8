"""Matters for module tests: registering, stepping, reading back, whole chains of steps."""

from __future__ import annotations

from datetime import timedelta

from core.cases.clocks.clocks import today
from core.cases.models import Matter
from core.cases.people.idcard import check_digit
from core.extensions import db
from tests.cases_support import VALID_ID, category, register, step
from tests.cases_web_support import OTHER_ID
from tests.kit.users import agency, user
from tests.lifecycle_support import OPINION, fresh, to_handling, to_review_window

__all__ = [
    "OPINION",
    "OTHER_ID",
    "REPLY_OPINION",
    "VALID_ID",
    "category",
    "fresh",
    "id_number",
    "matter_in",
    "matter_number",
    "new_matter",
    "register",
    "reply_chain",
    "step",
    "to_handling",
    "to_review_window",
]

#: The handling opinion ``reply_chain`` drafts (a blocked sewer, as the letters tests petition).
REPLY_OPINION = {
    "facts": "经现场核查，该小区污水管道确已堵塞。",
    "basis": "《城镇排水与污水处理条例》第三十七条",
    "decision": "责成物业于十日内疏通。",
    "demands": [{"demand": "疏通污水管道", "outcome": "support"}],
}


def id_number(seq: int) -> str:
    """A valid resident ID number, different for each ``seq`` (0–999)."""
    first = f"11010519800101{seq:03d}"
    return first + check_digit(first)


def new_matter(app, **kw) -> tuple[int, str]:
    """``register(**kw)`` in its own app context: (id, number) of the new matter of XFJ."""
    with app.app_context():
        m = register(**kw)
        return m.id, m.number


#: The states ``matter_in`` reaches, each through core's own steps.
REACHABLE = ("registered", "forwarded", "assigned", "in_handling", "review_window")


def matter_in(state: str, received_on=None) -> Matter:
    """A matter of XFJ taken to ``state`` (one of ``REACHABLE``) by core's steps: forwarded or
    assigned to the housing bureau (CJJ), accepted there, or its opinion delivered.
    Inside an app context; ``received_on`` defaults to ten days ago.
    """
    if state not in REACHABLE:
        raise ValueError(f"matter_in reaches {', '.join(REACHABLE)}, not {state!r}")
    day = received_on or today() - timedelta(days=10)
    matter_id = register(received_on=day).id
    if state == "forwarded":
        step(matter_id, "supervisor", "forward", on=day, agency_id=agency("CJJ").id)
    elif state == "assigned":
        step(
            matter_id,
            "supervisor",
            "assign",
            on=day,
            agency_id=agency("CJJ").id,
            standard="查清事实并答复",
            deadline=today() + timedelta(days=30),
        )
    elif state == "in_handling":
        to_handling(matter_id, day)
    elif state == "review_window":
        to_review_window(matter_id, day, day + timedelta(days=1), day + timedelta(days=2))
    return fresh(matter_id)


def matter_number(app, matter_id: int) -> str:
    """The number of matter ``matter_id`` (pushes its own app context)."""
    with app.app_context():
        return db.session.get(Matter, matter_id).number


def reply_chain(
    matter_id: int,
    *,
    clerk: str,
    view: str = "agree",
    send_back: bool = False,
    opinion: dict | None = None,
) -> None:
    """The first-letter chain on a registered matter of XFJ, up to the completion review.

    拟办 (``clerk``) → 阅批 (leader) → 交办 to CJJ (``clerk``) → 督办 (supervisor) → 受理 →
    调查 → 处理意见 (``opinion``, default ``REPLY_OPINION``) → 批准 (cjj_leader) → 送达 by
    post (``view``: the petitioner's view) → 审核通过 by the supervisor; with ``send_back``
    the supervisor sends it back to be redone instead (退回重办). Inside an app context.
    """
    step(matter_id, clerk, "propose", text="建议交县住建局办理")
    step(matter_id, "leader", "instruct", text="同意，请住建局限期办结")
    step(
        matter_id,
        clerk,
        "assign",
        agency_id=agency("CJJ").id,
        standard="查清堵塞原因并疏通，书面答复信访人",
        deadline=today() + timedelta(days=30),
    )
    step(matter_id, "supervisor", "supervise", follower_id=user("supervisor").id, text="跟踪督办")
    step(matter_id, "handler", "accept")
    step(matter_id, "handler", "investigate", text="现场查看")
    step(matter_id, "handler", "draft_opinion", **(opinion or REPLY_OPINION))
    step(matter_id, "cjj_leader", "approve_opinion")
    step(matter_id, "handler", "record_delivery", method="post", petitioner_view=view)
    if send_back:
        step(matter_id, "supervisor", "send_back", reason="答复未说明疏通时限，退回重办")
        return
    step(matter_id, "supervisor", "approve_completion")
