"""The letters desk (办信): intake, first handler, joint review, outgoing mail, review, counts.

Letters from a higher level (上级交办件) keep their number and deadline; the deadline is the
matter's ``higher_deadline`` clock, reminded of and listed overdue by core's daily job.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from core.api import (
    N_,
    Agency,
    Delivery,
    Matter,
    MatterError,
    PartyInput,
    Registration,
    User,
    add_timeline_entry,
    current_actor,
    db,
    find_candidates,
    record_audit,
    register_matter,
    set_higher_deadline,
    today,
    transactional,
    utcnow,
)

from ..models import Letter, OutgoingMail
from .common import LetterError, check_files, file_letter

#: A higher-level letter is "due soon" on the desk this many days ahead (as core reminds).
REMIND_DAYS = 3


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


@transactional
def intake(li: LetterInput, files: list[tuple[str, bytes]] = ()) -> Letter:
    """Register a letter (or a letter assigned from a higher level) with its envelope details.

    The matter, the letter row, the scans and the notes are one transaction.
    """
    files = check_files(list(files))
    errors = {}
    if li.postmark_on and li.postmark_on > li.received_on:
        errors["postmark_on"] = N_("邮戳日期不能晚于收信日期。")
    if li.external_number and li.external_deadline is None:
        errors["external_deadline"] = N_("上级交办件请填写上级要求的办结期限。")
    if li.external_deadline and not li.external_number:
        errors["external_number"] = N_("请填写上级交办件的交办编号。")
    repeat_of_id = None
    if li.repeat_of.strip():
        # Record rules apply: only a matter the desk may see can be named as the earlier one.
        repeat_of_id = db.session.execute(
            select(Matter.id).where(Matter.number == li.repeat_of.strip())
        ).scalar_one_or_none()
        if repeat_of_id is None:
            errors["repeat_of"] = N_("找不到该编号的信访事项。")
    if errors:
        raise LetterError(N_("登记信息有误，请按提示修改。"), errors)
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
    letter = file_letter(
        matter,
        "higher" if li.external_number else "paper",
        files,
        actor,
        postmark_on=li.postmark_on,
        postmark_place=li.postmark_place.strip() or None,
        envelope=li.envelope.strip() or None,
        pages=li.pages or len(files),
        external_number=li.external_number.strip() or None,
        external_source=li.external_source.strip() or None,
        external_deadline=li.external_deadline,
    )
    if letter.external_number:
        # The higher level's deadline is the matter's own clock: in its deadline table,
        # reminders and overdue lists, and offered when the matter is assigned on.
        set_higher_deadline(
            matter,
            letter.external_deadline,
            li.received_on,
            f"{letter.external_source or '上级机关'} {letter.external_number}",
        )
        add_timeline_entry(
            matter,
            "note",
            "上级交办件",
            body=f"{letter.external_source or '上级机关'}交办，编号 {letter.external_number}，"
            f"限 {letter.external_deadline.isoformat()} 前办结。",
        )
    record_audit("letters.intake", matter, summary=f"登记来信 {matter.number}")
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


@transactional
def set_first_handler(letter: Letter, user_id: int) -> None:
    """Name the first handler (首办责任人) of a letter."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise LetterError(N_("请选择有效的首办责任人。"))
    letter.first_handler_id = user.id
    add_timeline_entry(letter.matter, "note", "首办责任人", body=f"指定 {user.display_name}")
    record_audit("letters.first_handler", letter.matter, summary=f"首办责任人：{user.display_name}")


@transactional
def record_joint_review(letter: Letter, agency_ids: list[int], conclusion: str) -> None:
    """Record a joint review (会审) of a complex letter with the units concerned."""
    agencies = [db.session.get(Agency, i) for i in agency_ids]
    agencies = [a for a in agencies if a is not None]
    if len(agencies) < 2:
        raise LetterError(N_("会审须有两个以上相关单位参加。"))
    if not conclusion.strip():
        raise LetterError(N_("请填写会审意见。"))
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


@transactional
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


@transactional
def record_review(letter: Letter, note: str) -> None:
    """Record the result of reviewing a disagreed answer."""
    if not note.strip():
        raise LetterError(N_("请填写评查意见。"))
    letter.review_note = note.strip()
    letter.reviewed_at = utcnow()
    add_timeline_entry(letter.matter, "note", "评查", body=note.strip())
    record_audit("letters.review", letter.matter, summary=f"{letter.matter.number}：评查")


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


def deadline_state(letter: Letter) -> str:
    """'overdue', 'due_soon' (3 days) or '' for a letter from a higher level."""
    if letter.external_deadline is None or letter.matter.closed_at is not None:
        return ""
    left = (letter.external_deadline - today()).days
    return "overdue" if left < 0 else "due_soon" if left <= 3 else ""
