"""Satisfaction rating by the petitioner (群众满意度评价, REGULATION.md §5.2).

The petitioner rates two objects separately — the petition department (``bureau``: receipt,
forwarding, acceptance) and the responsible unit (``unit``: the handling result) — as 满意 /
基本满意 / 不满意, giving a reason when dissatisfied. Staff enter the rating after a return
visit (回访), within ``MINSHENG_RATING_WINDOW_DAYS`` (default 30) days after the reply reached
the petitioner (``matter.reply_received_on``); after that the object counts as 超期未评价.
Law- and litigation-related matters (flag ``law_related``, or routed to legal procedure) are not
rated (REGULATION.md §3, §5.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import audit
from core.accounts.actor import current_actor, has_permission
from core.cases.clocks.clocks import today
from core.cases.models import Matter, Rating
from core.cases.records.timeline import add_entry
from core.errors import ActionRefused
from core.extensions import db
from core.unit_of_work import transactional

PERMISSION = "core.cases.rate"
DEFAULT_WINDOW_DAYS = 30
TARGETS = {"bureau": "信访部门", "unit": "责任单位"}
VALUES = {"satisfied": "满意", "basically": "基本满意", "dissatisfied": "不满意"}
METHODS = {
    "phone": "电话回访",
    "visit": "上门回访",
    "in_person": "来访当面评价",
    "sms": "短信回访",
    "online": "信访人凭查询码网上评价",
    "other": "其他",
}
STATUS_LABELS = {
    "rated": "已评价",
    "pending": "待评价",
    "expired": "超期未评价",
    "not_yet": "尚未答复，暂不能评价",
    "excluded": "不参加评价",
}
#: States of matters routed out of the petition track (诉访分离): never rated.
EXCLUDED_STATES = frozenset({"referred_legal"})


class RatingError(ActionRefused):
    """A refused rating; ``errors`` maps form fields to Chinese messages."""


@dataclass(frozen=True)
class RatingStatus:
    """Where the rating of one object of a matter stands."""

    target: str
    status: str
    rating: Rating | None
    window_ends: date | None

    @property
    def target_label(self) -> str:  # noqa: D102
        return TARGETS[self.target]

    @property
    def label(self) -> str:  # noqa: D102
        return STATUS_LABELS[self.status]

    @property
    def open(self) -> bool:
        """Whether a rating may be entered now."""
        return self.status == "pending"


def window_days() -> int:
    """Days after the reply reached the petitioner during which a rating may be entered."""
    if has_app_context():
        return int(current_app.config.get("MINSHENG_RATING_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))
    return DEFAULT_WINDOW_DAYS


def excluded(matter: Matter) -> bool:
    """Whether the matter is outside the rating scheme (涉法涉诉, routed to legal procedure)."""
    return matter.has_flag("law_related") or matter.state in EXCLUDED_STATES


def window_end(matter: Matter) -> date | None:
    """The last day a rating may be entered (``None`` before the reply was delivered)."""
    if matter.reply_received_on is None:
        return None
    return matter.reply_received_on + timedelta(days=window_days())


def statuses(matter: Matter, on: date | None = None) -> list[RatingStatus]:
    """The rating status of both objects of ``matter`` on ``on`` (default today)."""
    on = on or today()
    ratings = {
        r.target: r
        for r in db.session.execute(select(Rating).where(Rating.matter_id == matter.id)).scalars()
    }
    end = window_end(matter)
    out = []
    for target in TARGETS:
        rating = ratings.get(target)
        if rating is not None:
            status = "rated"
        elif excluded(matter):
            status = "excluded"
        elif end is None:
            status = "not_yet"
        elif on <= end:
            status = "pending"
        else:
            status = "expired"
        out.append(RatingStatus(target, status, rating, end))
    return out


def rate(
    matter: Matter,
    target: str,
    value: str,
    reason: str = "",
    method: str = "phone",
    *,
    on: date | None = None,
) -> Rating:
    """Record the petitioner's rating of ``target`` entered by staff after a return visit.

    Raises ``RatingError`` (nothing written) when the user lacks ``core.cases.rate``, the matter
    is excluded, the window is not open, the object was already rated, or a dissatisfied
    rating has no reason.
    """
    if not has_permission(PERMISSION):
        raise RatingError("您没有录入满意度评价的权限。")
    return rate_many(matter, {target: value}, reason, method, on=on)[0]


def rate_by_petitioner(
    matter: Matter, values: dict[str, str], reason: str = "", *, on: date | None = None
) -> list[Rating]:
    """The petitioner rates with the query code (the code is their credential, not a login).

    Same rules as ``rate``; every object named in ``values`` is written in one transaction.
    """
    return rate_many(matter, values, reason, "online", on=on)


@transactional
def rate_many(
    matter: Matter,
    values: dict[str, str],
    reason: str = "",
    method: str = "phone",
    *,
    on: date | None = None,
) -> list[Rating]:
    """Check and record ratings of several objects at once; one transaction, audited.

    The caller has decided who may rate (staff permission, or the petitioner's query code).
    """
    on = on or today()
    errors: dict[str, str] = {}
    if not values:
        errors["target"] = "请选择评价对象（信访部门或责任单位）。"
    for target, value in values.items():
        if target not in TARGETS:
            errors["target"] = "请选择评价对象（信访部门或责任单位）。"
        elif value not in VALUES:
            errors["value" if len(values) == 1 else target] = "请选择“满意”“基本满意”或“不满意”。"
    if method not in METHODS:
        errors["method"] = "请选择回访方式。"
    reason = (reason or "").strip()
    if "dissatisfied" in values.values() and not reason:
        errors["reason"] = "评价为“不满意”时，须记录信访人不满意的理由。"
    if len(reason) > 2000:
        errors["reason"] = "理由不能超过 2000 字。"
    if errors:
        raise RatingError("评价信息有误，请按提示修改。", errors)
    by_target = {s.target: s for s in statuses(matter, on)}
    for target in values:
        status = by_target[target]
        if status.status == "excluded":
            raise RatingError("涉法涉诉事项不纳入群众满意度评价。")
        if status.status == "not_yet":
            raise RatingError("处理意见尚未送达信访人，暂不能评价。")
        if status.status == "rated":
            raise RatingError(f"{TARGETS[target]}已评价，不能重复评价。")
        if status.status == "expired":
            raise RatingError(
                f"已超过评价期限（答复送达后 {window_days()} 日，截至 "
                f"{status.window_ends.isoformat()}），该事项记为超期未评价。"
            )
    actor: Any = current_actor()
    written: list[Rating] = []
    try:
        for target, value in values.items():
            rating = Rating(
                matter_id=matter.id,
                target=target,
                value=value,
                reason=reason,
                entered_by_id=getattr(actor, "id", None),
            )
            db.session.add(rating)
            db.session.flush()
            add_entry(
                matter,
                "note",
                f"满意度评价（{TARGETS[target]}）：{VALUES[value]}",
                body=f"{METHODS[method]}。{reason}".strip(),
                rating_id=rating.id,
            )
            audit.record(
                "matter.rate",
                matter,
                summary=f"{matter.number}：{TARGETS[target]}评价为{VALUES[value]}",
                target=target,
                value=value,
                method=method,
            )
            written.append(rating)
    except IntegrityError:
        # Two people entering the same rating at once: the unique key keeps the first (the
        # unit of work rolls the action back).
        raise RatingError("该对象已评价，不能重复评价。") from None
    return written
