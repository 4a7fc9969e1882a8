"""Relief applications (救助申请, 一事一报): draft, submit into the chain, cancel.

Each public function that writes is one unit of work (``transactional``): it changes the rows,
writes the matter's timeline and the audit log, and commits with them (or joins the action that
called it) — or raises ``FundError`` / ``StaleEdit``, and the unit of work rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from core.api import (
    Matter,
    add_timeline_entry,
    check_version,
    current_actor,
    db,
    record_audit,
    transactional,
    utcnow,
)

from ..models import GROUNDS, KINDS, Evidence, ReliefApplication
from ..money import yuan
from . import accounts
from .awards import award_on
from .chain import build_chain
from .common import Scan, fail, setting, store_scan

# States in which an application still counts as "the" relief of its person on the matter.
LIVE_STATES = ("draft", "submitted", "approved", "paid", "closed", "referred")


@dataclass
class ApplicationInput:
    kind: str
    requested_fen: int
    reason: str
    hardship: str
    undertaking: bool = False  # kept for old callers: the undertaking is now a recorded scan
    ground: str = "reasonable"
    case_summary: str = ""
    #: The petitioner meets the civil-affairs assistance criteria (then: refer, do not pay).
    civil_affairs: bool = False
    person_id: int | None = None
    #: Scans of the hardship evidence (困难证明材料).
    evidence: list[Scan] = field(default_factory=list)


@transactional
def create(matter: Matter, data: ApplicationInput) -> ReliefApplication:
    """A draft application for one person on ``matter`` (fetched through the record rules).

    The person is the matter's lead petitioner unless ``person_id`` names another party. A
    referral to social assistance (转介) asks no money and is recorded as referred at once.
    """
    if data.kind not in KINDS:
        raise fail("请选择救助类别。", "kind")
    if data.ground not in GROUNDS:
        raise fail("请选择救助情形。", "ground")
    if data.ground not in setting("grounds"):
        raise fail("该救助情形不在本地救助范围内。", "ground")
    if data.civil_affairs and data.kind != "referral":
        raise fail("信访人符合民政社会救助条件的，应当转介社会救助，不使用救助资金。", "kind")
    if data.kind != "referral" and data.requested_fen <= 0:
        raise fail("请填写申请金额。", "amount")
    if not data.reason.strip():
        raise fail("请填写申请理由。", "reason")
    if not data.hardship.strip():
        raise fail("请填写信访人生活困难情况。", "hardship")
    parties = {p.person_id: p for p in matter.parties}
    person_id = data.person_id or (matter.lead.person_id if matter.lead else None)
    if person_id is None or person_id not in parties:
        raise fail("请选择本事项的信访人。", "person_id")
    # 一事一报、一次性救助: one live application per (person, matter), one award ever.
    existing = db.session.execute(
        select(ReliefApplication.id).where(
            ReliefApplication.matter_id == matter.id,
            ReliefApplication.person_id == person_id,
            ReliefApplication.state.in_(LIVE_STATES),
        )
    ).first()
    if existing is not None:
        raise fail("该信访人在本事项上已有救助申请（一事一报、一次性救助），不能重复申请。")
    if award_on(person_id, matter.id) is not None:
        raise fail("该信访人在本事项上已获救助（一次性救助），不能再次申请。")
    if matter.repeat_of_id is not None and award_on(person_id, matter.repeat_of_id):
        # A repeat petition is the same case: relief is given once (一次性救助).
        raise fail("该事项为重复信访，信访人在原信访事项上已获救助，不能再次申请。")
    actor = current_actor()
    referral = data.kind == "referral"
    app = ReliefApplication(
        matter_id=matter.id,
        matter=matter,
        person_id=person_id,
        kind=data.kind,
        ground=data.ground,
        state="referred" if referral else "draft",
        requested_fen=0 if referral else data.requested_fen,
        reason=data.reason.strip(),
        hardship=data.hardship.strip(),
        case_summary=(data.case_summary or matter.summary or "").strip(),
        undertaking=False,
        prepared_by_id=actor.id if actor else None,
        agency_id=actor.agency_id if actor else matter.agency_id,
    )
    db.session.add(app)
    db.session.flush()
    for scan in data.evidence:
        att = store_scan(app, scan, "evidence", "困难证明材料")
        db.session.add(
            Evidence(
                application_id=app.id,
                attachment_id=att.id,
                filename=att.filename,
                sha256=att.sha256,
            )
        )
    title = "转介社会救助" if referral else "救助申请"
    body = app.reason if referral else f"{app.kind_label} 申请 {yuan(app.requested_fen)}"
    add_timeline_entry(matter, "note", title, body=body)
    record_audit(
        "stability_fund.create",
        app,
        summary=f"{matter.number}：{title} {'' if referral else yuan(app.requested_fen)}".strip(),
        amount_fen=app.requested_fen,
    )
    return app


def expect(app: ReliefApplication, version: Any, *states: str) -> None:
    """The version the user saw is current and the application is in one of ``states``."""
    check_version(app, version)
    if app.state not in states:
        raise fail(f"该申请当前状态为“{app.state_label}”，不能进行此操作。")


@transactional
def submit(app: ReliefApplication, version: Any) -> None:
    """Draft → in the approval chain (报审): its steps are written from the chain definition."""
    expect(app, version, "draft")
    app.state = "submitted"
    app.submitted_at = utcnow()
    build_chain(app)
    note = "（超过每案上限，须经特别审批）" if app.special else ""
    add_timeline_entry(app.matter, "note", "救助申请报审", body=yuan(app.requested_fen) + note)
    record_audit("stability_fund.submit", app, summary=f"{app.matter.number}：救助申请报审{note}")


@transactional
def cancel(app: ReliefApplication, version: Any, note: str = "") -> None:
    """Draft, in the chain, or approved and not yet paid → cancelled (撤销).

    An approved application gives its amount back to the account and its award is struck (no
    money went out), and needs a reason.
    """
    expect(app, version, "draft", "submitted", "approved")
    if app.state == "approved":
        if not note.strip():
            raise fail("撤销已批准的申请须说明理由。", "note")
        if app.paid_fen:
            raise fail("已有拨付记录的申请不能撤销。")
        accounts.release(app.agency_id, app.year, app.approved_fen or 0)
        award = award_on(app.person_id, app.matter_id)
        if award is not None and award.application_id == app.id:
            db.session.delete(award)
    app.state = "cancelled"
    app.decision_note = note.strip()
    add_timeline_entry(app.matter, "note", "撤销救助申请", body=note.strip())
    record_audit("stability_fund.cancel", app, summary=f"{app.matter.number}：撤销救助申请")
