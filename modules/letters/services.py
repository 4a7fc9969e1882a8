"""The rules of the letters desk and of online petitions; views only parse and call these."""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app, request
from sqlalchemy import delete, func, select

from core.api import (
    STATES,
    Agency,
    AttachmentRefused,
    Delivery,
    Matter,
    Opinion,
    PartyInput,
    RatingError,
    Registration,
    User,
    add_timeline_entry,
    current_actor,
    db,
    find_candidates,
    rate_by_petitioner,
    rating_statuses,
    record_audit,
    register_matter,
    store_attachment,
    today,
    utcnow,
)

from .models import Challenge, Letter, OutgoingMail, Throttle

#: Accepted uploads, recognised by their first bytes (the name and declared type are not trusted).
MAGIC = {b"%PDF-": "PDF", b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
RATING_TARGETS = {"bureau": "信访部门", "unit": "责任单位"}
RATING_VALUES = {"satisfied": "满意", "basically": "基本满意", "dissatisfied": "不满意"}
DEFAULT_RATING_WINDOW_DAYS = 30


class LetterError(ValueError):
    """A refused request; ``errors`` maps form fields to Chinese messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


def setting(key: str) -> Any:
    """A module setting: ``LETTERS_<KEY>`` in the app config overrides the manifest default."""
    from .module import manifest

    return current_app.config.get(f"LETTERS_{key.upper()}", manifest.settings[key])


def seed() -> None:
    """Nothing to seed: the receiving bureau is chosen by setting or found at run time."""


# --- rate limiting and the challenge ---------------------------------------------------------


def address_key() -> str:
    """The caller's address, hashed with the app secret (the raw address is not kept here)."""
    raw = f"{current_app.config['SECRET_KEY']}|{request.remote_addr or ''}"
    return hashlib.sha256(raw.encode()).hexdigest()


def allow(action: str, limit: int) -> bool:
    """Count one attempt of ``action`` by this address; False when over ``limit`` per window.

    Attempts live in the database, so every worker applies the same limit.
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
    db.session.commit()
    return True


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
    db.session.commit()
    return token, f"{a} 加 {b} 等于几？"


def check_challenge(token: str, answer: str) -> bool:
    """Whether ``answer`` solves the question of ``token``; each question is used once."""
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
    db.session.commit()
    return fresh and (answer or "").strip() == str(expected)


def prune() -> None:
    """Job: drop throttle rows and questions older than a day."""
    cutoff = utcnow() - timedelta(days=1)
    db.session.execute(delete(Throttle).where(Throttle.at < cutoff))
    db.session.execute(delete(Challenge).where(Challenge.created_at < cutoff))
    db.session.commit()


# --- files -----------------------------------------------------------------------------------


def check_files(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Refuse the whole upload before anything is registered if one file breaks the limits."""
    files = [(name, data) for name, data in files if name or data]
    if len(files) > int(setting("max_files")):
        raise AttachmentRefused(f"最多上传 {setting('max_files')} 个文件。")
    limit = int(float(setting("max_file_mb")) * 1024 * 1024)
    for _name, data in files:
        if not data:
            raise AttachmentRefused("文件为空。")
        if len(data) > limit:
            raise AttachmentRefused(f"文件过大（每个文件上限 {setting('max_file_mb')} MB）。")
        if not any(data.startswith(m) for m in MAGIC):
            raise AttachmentRefused("只接受 PDF、JPEG、PNG 文件。")
    return files


def _store(matter: Matter, files: list[tuple[str, bytes]], actor: Any = None) -> None:
    for name, data in files:
        store_attachment(matter, name, data, actor=actor)


# --- online petitions ------------------------------------------------------------------------


def receiving_agency() -> Agency:
    """The bureau that receives online petitions (setting, else the first bureau-level one)."""
    code = setting("receiving_agency_code")
    stmt = select(Agency).where(Agency.active.is_(True))
    stmt = stmt.where(Agency.code == code) if code else stmt.where(Agency.level == "bureau")
    agency = db.session.execute(stmt.order_by(Agency.id)).scalars().first()
    if agency is None:
        raise LetterError("网上信访暂未开通（未设置受理机关），请改用来信或走访。")
    return agency


@dataclass
class OnlinePetition:
    """What a citizen enters on the public form."""

    name: str
    content: str
    id_number: str = ""
    mobile: str = ""
    address: str = ""


def submit_online(p: OnlinePetition, files: list[tuple[str, bytes]]) -> Matter:
    """Register an online petition as a matter of the ``online`` channel; returns it."""
    errors = {}
    if not p.name.strip():
        errors["name"] = "请填写姓名。"
    if not (p.id_number.strip() or p.mobile.strip()):
        errors["mobile"] = "请填写身份证号码或手机号码，以便联系和答复。"
    if len(p.content.strip()) < 10:
        errors["content"] = "请写明诉求、事实和理由（至少 10 个字）。"
    if errors:
        raise LetterError("提交的信息有误，请按提示修改。", errors)
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
    from core.api import MatterError

    try:
        matter = register_matter(reg, agency)
    except MatterError as exc:
        fields = {"parties-0-id_number": "id_number", "parties-0-name": "name"}
        raise LetterError(
            str(exc), {fields.get(k, "content"): v for k, v in exc.errors.items()}
        ) from None
    db.session.add(Letter(matter_id=matter.id, kind="online", agency_id=agency.id))
    _store(matter, files)
    db.session.commit()
    return matter


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
    # core.api exports no Opinion model: read core's table through the shared metadata.
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


def rate_online(matter: Matter, values: dict[str, str], reason: str = "") -> None:
    """The petitioner rates what is still open with the query code, under core's rules."""
    done = public_ratings(matter)
    wanted = {t: values.get(t, "") for t in RATING_TARGETS if t not in done}
    if not wanted:
        raise LetterError("您已评价，不能重复评价。")
    try:
        rate_by_petitioner(matter, wanted, reason)
    except RatingError as exc:
        raise LetterError(str(exc), exc.errors) from None


# --- the letters desk ------------------------------------------------------------------------


@dataclass
class LetterInput:
    """A paper letter as the desk enters it."""

    name: str
    summary: str
    received_on: date
    id_number: str = ""
    mobile: str = ""
    address: str = ""
    demands: str = ""
    postmark_on: date | None = None
    postmark_place: str = ""
    envelope: str = ""
    pages: int = 0
    external_number: str = ""
    external_source: str = ""
    external_deadline: date | None = None
    anonymous: bool = False
    repeat_of: str = ""


def intake(li: LetterInput, files: list[tuple[str, bytes]] = ()) -> Letter:
    """Register a letter (or a letter assigned from a higher level) with its envelope details."""
    from core.api import MatterError

    files = check_files(list(files))
    errors = {}
    if li.postmark_on and li.postmark_on > li.received_on:
        errors["postmark_on"] = "邮戳日期不能晚于收信日期。"
    if li.external_number and li.external_deadline is None:
        errors["external_deadline"] = "上级交办件请填写上级要求的办结期限。"
    if li.external_deadline and not li.external_number:
        errors["external_number"] = "请填写上级交办件的交办编号。"
    repeat_of_id = None
    if li.repeat_of.strip():
        # Record rules apply: only a matter the desk may see can be named as the earlier one.
        repeat_of_id = db.session.execute(
            select(Matter.id).where(Matter.number == li.repeat_of.strip())
        ).scalar_one_or_none()
        if repeat_of_id is None:
            errors["repeat_of"] = "找不到该编号的信访事项。"
    if errors:
        raise LetterError("登记信息有误，请按提示修改。", errors)
    actor = current_actor()
    parties = []
    if li.name.strip() and not li.anonymous:
        parties.append(
            PartyInput(
                name=li.name.strip(),
                id_number=li.id_number.strip().upper(),
                mobile=li.mobile.strip(),
                address=li.address.strip(),
            )
        )
    reg = Registration(
        channel="letter",
        summary=li.summary,
        received_on=li.received_on,
        parties=parties,
        demands=[d for d in li.demands.splitlines() if d.strip()],
        flags=["anonymous"] if li.anonymous or not parties else [],
        external_numbers={"higher": li.external_number.strip()} if li.external_number else {},
        repeat_of_id=repeat_of_id,
    )
    try:
        matter = register_matter(reg)
    except MatterError as exc:
        fields = {"parties-0-id_number": "id_number", "parties-0-name": "name"}
        raise LetterError(str(exc), {fields.get(k, k): v for k, v in exc.errors.items()}) from None
    letter = Letter(
        matter_id=matter.id,
        kind="higher" if li.external_number else "paper",
        postmark_on=li.postmark_on,
        postmark_place=li.postmark_place.strip() or None,
        envelope=li.envelope.strip() or None,
        pages=li.pages or len(files),
        external_number=li.external_number.strip() or None,
        external_source=li.external_source.strip() or None,
        external_deadline=li.external_deadline,
        agency_id=matter.agency_id,
    )
    db.session.add(letter)
    _store(matter, files, actor)
    db.session.flush()
    if letter.external_number:
        add_timeline_entry(
            matter,
            "note",
            "上级交办件",
            body=f"{letter.external_source or '上级机关'}交办，编号 {letter.external_number}，"
            f"限 {letter.external_deadline.isoformat()} 前办结。",
        )
    record_audit("letters.intake", matter, summary=f"登记来信 {matter.number}")
    db.session.commit()
    return letter


def letter_for(matter: Matter) -> Letter | None:
    """The desk's record of a matter, if it came in writing or online."""
    return db.session.execute(
        select(Letter).where(Letter.matter_id == matter.id)
    ).scalar_one_or_none()


def repeat_candidates(matter: Matter) -> list[Any]:
    """Earlier matters of the same writer (core's repeat detection), for the desk to check."""
    lead = matter.lead
    if lead is None:
        return []
    person = lead.person
    return find_candidates(
        id_number=person.id_number or "",
        name=person.name,
        mobile=person.mobile or "",
        text=matter.summary,
        agency=matter.agency,
        exclude_id=matter.id,
    )


def set_first_handler(letter: Letter, user_id: int) -> None:
    """Name the first handler (首办责任人) of a letter."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise LetterError("请选择有效的首办责任人。")
    letter.first_handler_id = user.id
    add_timeline_entry(letter.matter, "note", "首办责任人", body=f"指定 {user.display_name}")
    record_audit("letters.first_handler", letter.matter, summary=f"首办责任人：{user.display_name}")
    db.session.commit()


def record_joint_review(letter: Letter, agency_ids: list[int], conclusion: str) -> None:
    """Record a joint review (会审) of a complex letter with the units concerned."""
    agencies = [db.session.get(Agency, i) for i in agency_ids]
    agencies = [a for a in agencies if a is not None]
    if len(agencies) < 2:
        raise LetterError("会审须有两个以上相关单位参加。")
    if not conclusion.strip():
        raise LetterError("请填写会审意见。")
    names = "、".join(a.name for a in agencies)
    letter.joint_review = [
        *letter.joint_review,
        {
            "on": today().isoformat(),
            "units": [a.id for a in agencies],
            "unit_names": names,
            "conclusion": conclusion.strip(),
        },
    ]
    add_timeline_entry(letter.matter, "note", "会审", body=f"参加单位：{names}。{conclusion}")
    record_audit("letters.joint_review", letter.matter, summary=f"会审：{names}")
    db.session.commit()


def register_outgoing(matter: Matter, recipient: str, address: str) -> OutgoingMail:
    """Enter a reply letter in the register of outgoing mail."""
    actor = current_actor()
    mail = OutgoingMail(
        matter_id=matter.id,
        recipient=recipient or "信访人",
        address=address or "",
        sent_on=today(),
        created_by_id=getattr(actor, "id", None),
        agency_id=getattr(actor, "agency_id", None) or matter.agency_id,
    )
    db.session.add(mail)
    record_audit("letters.outgoing", matter, summary=f"{matter.number}：寄发答复函")
    db.session.commit()
    return mail


def disagreements() -> list[tuple[Matter, Letter, Any]]:
    """Letters whose writer disagreed with the delivered answer (评查), newest first."""
    delivery = Delivery.__table__
    rows = db.session.execute(
        select(Letter, delivery.c.delivered_on)
        .join(delivery, delivery.c.matter_id == Letter.matter_id)
        .where(delivery.c.petitioner_view == "disagree")
        .order_by(delivery.c.delivered_on.desc())
    ).all()
    seen, out = set(), []
    for letter, delivered_on in rows:
        if letter.id not in seen:
            seen.add(letter.id)
            out.append((letter.matter, letter, delivered_on))
    return out


def record_review(letter: Letter, note: str) -> None:
    """Record the result of reviewing a disagreed answer."""
    if not note.strip():
        raise LetterError("请填写评查意见。")
    letter.review_note = note.strip()
    letter.reviewed_at = utcnow()
    add_timeline_entry(letter.matter, "note", "评查", body=note.strip())
    record_audit("letters.review", letter.matter, summary=f"{letter.matter.number}：评查")
    db.session.commit()


def counts() -> list[dict[str, Any]]:
    """First and repeat letters by month and by unit (registering agency)."""
    rows = db.session.execute(
        select(Matter.received_on, Matter.first_petition, Agency.name)
        .join(Letter, Letter.matter_id == Matter.id)
        .join(Agency, Agency.id == Matter.agency_id)
    ).all()
    table: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"first": 0, "repeat": 0})
    for received_on, first, unit in rows:
        table[(received_on.strftime("%Y-%m"), unit)]["first" if first else "repeat"] += 1
    return [
        {"month": month, "unit": unit, **n}
        for (month, unit), n in sorted(table.items(), reverse=True)
    ]


REMIND_DAYS = 3


def remind() -> int:
    """Job: a 催办 note on open letters from a higher level due within three days or overdue.

    Idempotent: at most one note per letter and day (``reminded_on``). Returns how many.
    """
    on = today()
    letters = db.session.execute(
        select(Letter)
        .join(Matter, Matter.id == Letter.matter_id)
        .where(
            Letter.external_deadline.is_not(None),
            Letter.external_deadline <= on + timedelta(days=REMIND_DAYS),
            Matter.closed_at.is_(None),
            Matter.reply_received_on.is_(None),
        )
    ).scalars()
    n = 0
    for letter in letters:
        if letter.reminded_on == on:
            continue
        left = (letter.external_deadline - on).days
        when = f"已超期 {-left} 日" if left < 0 else f"还剩 {left} 日"
        add_timeline_entry(
            letter.matter,
            "note",
            "上级交办件催办",
            body=f"{letter.external_source or '上级机关'}交办件 {letter.external_number}"
            f"限 {letter.external_deadline.isoformat()} 办结，{when}。",
        )
        letter.reminded_on = on
        n += 1
    db.session.commit()
    return n


def deadline_state(letter: Letter) -> str:
    """'overdue', 'due_soon' (3 days) or '' for a letter from a higher level."""
    if letter.external_deadline is None or letter.matter.closed_at is not None:
        return ""
    left = (letter.external_deadline - today()).days
    return "overdue" if left < 0 else "due_soon" if left <= 3 else ""
