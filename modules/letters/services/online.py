"""Online petitions (网上信访): the public form's limits, submission, the query code, rating."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app, request
from sqlalchemy import delete, func, select

from core.api import (
    N_,
    STATES,
    Agency,
    Matter,
    MatterError,
    Opinion,
    PartyInput,
    RatingError,
    Registration,
    db,
    rate_by_petitioner,
    rating_statuses,
    register_matter,
    today,
    transactional,
    utcnow,
)

from ..models import Challenge, Throttle
from .common import LetterError, check_files, file_letter, setting

RATING_TARGETS = {"bureau": "信访部门", "unit": "责任单位"}
RATING_VALUES = {"satisfied": "满意", "basically": "基本满意", "dissatisfied": "不满意"}
DEFAULT_RATING_WINDOW_DAYS = 30


# --- rate limiting and the challenge ---------------------------------------------------------


def address_key() -> str:
    """The caller's address, hashed with the app secret (the raw address is not kept here)."""
    raw = f"{current_app.config['SECRET_KEY']}|{request.remote_addr or ''}"
    return hashlib.sha256(raw.encode()).hexdigest()


@transactional
def allow(action: str, limit: int) -> bool:
    """Count one attempt of ``action`` by this address; False when over ``limit`` per window.

    Attempts live in the database, so every worker applies the same limit. The attempt is
    committed at once: it counts whatever becomes of the request.
    """
    key = address_key()
    since = utcnow() - timedelta(minutes=int(setting("window_minutes")))
    used = db.session.execute(
        select(func.count())
        .select_from(Throttle)
        .where(Throttle.key == key, Throttle.action == action, Throttle.at >= since)
    ).scalar_one()
    if used >= limit:
        return False
    db.session.add(Throttle(key=key, action=action))
    return True


@transactional
def new_challenge(reuse: tuple[str, str] | None = None) -> tuple[str, str]:
    """An arithmetic question: (token for the form, question text).

    ``reuse`` is the question this browser was shown before: while it is unanswered it is shown
    again, so reloading the form does not add rows.
    """
    if reuse:
        token, question = reuse
        exists = db.session.execute(
            select(Challenge.id).where(Challenge.token == token)
        ).scalar_one_or_none()
        if exists is not None:
            return token, question
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = secrets.token_urlsafe(24)
    db.session.add(Challenge(token=token, answer=a + b))
    return token, f"{a} 加 {b} 等于几？"


@transactional
def check_challenge(token: str, answer: str) -> bool:
    """Whether ``answer`` solves the question of ``token``; each question is used once.

    The question is used up (committed) whether or not the answer was right.
    """
    if not token:
        return False
    row = db.session.execute(select(Challenge).where(Challenge.token == token)).scalar_one_or_none()
    if row is None:
        return False
    expected = row.answer
    fresh = row.created_at.replace(tzinfo=None) >= (utcnow() - timedelta(hours=2)).replace(
        tzinfo=None
    )
    db.session.delete(row)
    return fresh and (answer or "").strip() == str(expected)


@transactional
def prune() -> None:
    """Job: drop throttle rows and questions older than a day."""
    cutoff = utcnow() - timedelta(days=1)
    db.session.execute(delete(Throttle).where(Throttle.at < cutoff))
    db.session.execute(delete(Challenge).where(Challenge.created_at < cutoff))


# --- submission ------------------------------------------------------------------------------


def receiving_agency() -> Agency:
    """The bureau that receives online petitions (setting, else the first bureau-level one)."""
    code = setting("receiving_agency_code")
    stmt = select(Agency).where(Agency.active.is_(True))
    stmt = stmt.where(Agency.code == code) if code else stmt.where(Agency.level == "bureau")
    agency = db.session.execute(stmt.order_by(Agency.id)).scalars().first()
    if agency is None:
        raise LetterError(N_("网上信访暂未开通（未设置受理机关），请改用来信或走访。"))
    return agency


@dataclass
class OnlinePetition:
    """What a citizen enters on the public form."""

    name: str
    content: str
    id_number: str = ""
    mobile: str = ""
    address: str = ""


@transactional
def submit_online(p: OnlinePetition, files: list[tuple[str, bytes]]) -> Matter:
    """Register an online petition as a matter of the ``online`` channel; returns it.

    The matter, its letter row and its files are one transaction.
    """
    errors = {}
    if not p.name.strip():
        errors["name"] = N_("请填写姓名。")
    if not (p.id_number.strip() or p.mobile.strip()):
        errors["mobile"] = N_("请填写身份证号码或手机号码，以便联系和答复。")
    if len(p.content.strip()) < 10:
        errors["content"] = N_("请写明诉求、事实和理由（至少 10 个字）。")
    if errors:
        raise LetterError(N_("提交的信息有误，请按提示修改。"), errors)
    files = check_files(files)
    agency = receiving_agency()
    reg = Registration(
        channel="online",
        summary=p.content.strip(),
        received_on=today(),
        parties=[
            PartyInput(
                name=p.name.strip(),
                id_number=p.id_number.strip().upper(),
                mobile=p.mobile.strip(),
                address=p.address.strip(),
            )
        ],
    )
    try:
        matter = register_matter(reg, agency)
    except MatterError as exc:
        fields = {"parties-0-id_number": "id_number", "parties-0-name": "name"}
        raise LetterError(
            str(exc), {fields.get(k, "content"): v for k, v in exc.errors.items()}
        ) from None
    file_letter(matter, "online", files)
    return matter


# --- the petitioner's view with the query code -----------------------------------------------


def find_by_code(code: str) -> Matter | None:
    """The online or letter matter with this 查询码, or None (same answer for any bad code)."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]
    if len(code) < 8:
        return None
    return db.session.execute(select(Matter).where(Matter.query_code == code)).scalar_one_or_none()


def public_progress(matter: Matter) -> dict[str, Any]:
    """What the petitioner may see: state, dates, the organ handling it — nothing of others."""
    return {
        "state": STATES.get(matter.state, matter.state),
        "received_on": matter.received_on,
        "accepted_on": matter.accepted_on,
        "reply_received_on": matter.reply_received_on,
        "handling_agency": matter.handling_agency.name if matter.handling_agency else "",
        "channel": matter.channel_label,
    }


def delivered_reply(matter: Matter) -> dict[str, Any] | None:
    """The handling opinion once it was delivered (the reply the petitioner may read)."""
    if matter.reply_received_on is None:
        return None
    opinion = Opinion.__table__
    row = (
        db.session.execute(
            select(opinion)
            .where(
                opinion.c.matter_id == matter.id,
                opinion.c.level == "handling",
                opinion.c.approved_at.is_not(None),
            )
            .order_by(opinion.c.id.desc())
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def rating_window_end(matter: Matter) -> date | None:
    """Last day of the rating window (core's rule: days after the reply reached the writer)."""
    return next((s.window_ends for s in rating_statuses(matter) if s.window_ends), None)


def public_ratings(matter: Matter) -> dict[str, str]:
    """Target → value already given."""
    return {s.target: s.rating.value for s in rating_statuses(matter) if s.rating is not None}


def rating_open(matter: Matter) -> bool:
    """Whether the petitioner may still rate something (core decides: window, exclusions)."""
    return any(s.status == "pending" for s in rating_statuses(matter))


@transactional
def rate_online(matter: Matter, values: dict[str, str], reason: str = "") -> None:
    """The petitioner rates what is still open with the query code, under core's rules."""
    done = public_ratings(matter)
    wanted = {t: values.get(t, "") for t in RATING_TARGETS if t not in done}
    if not wanted:
        raise LetterError(N_("您已评价，不能重复评价。"))
    try:
        rate_by_petitioner(matter, wanted, reason)
    except RatingError as exc:
        raise LetterError(str(exc), exc.errors) from None
