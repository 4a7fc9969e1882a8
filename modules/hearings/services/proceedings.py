"""The hearing itself: start, suspension, record (听证笔录), no-show, conclusion, cancellation.

Nothing is recorded as held before the scheduled start. The start pauses the stage's clock and
the conclusion resumes it (``clock``), each in the action's own transaction; the record and the
conclusion are issued as PDFs frozen on the matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.api import (
    AttachmentRefused,
    add_timeline_entry,
    current_actor,
    db,
    issue_document,
    record_audit,
    start_clock,
    stop_clock,
    store_attachment,
    today,
    transactional,
    utcnow,
)

from ..models import SIGNATURES, STAGES, Hearing
from . import clock
from .common import HearingError, local_day, setting, when
from .scheduling import editable

#: The clock of the written conclusion (lifecycle.py ``clock_kinds``).
CONCLUSION = "hearing_conclusion"

#: The order of proceedings the clerk follows (provincial rules).
ORDER_OF_PROCEEDINGS = (
    "记录员核对参加人到场情况",
    "主持人宣布事项、听证员和纪律，询问是否申请回避，告知权利义务",
    "信访人陈述诉求和理由",
    "承办人说明事实、证据和依据",
    "信访人质证、辩论",
    "承办人答辩",
    "信访人、承办人最后陈述",
    "听证员分别发表意见",
    "休会，听证员合议形成结论",
    "复会，宣布结论（如已形成）",
    "宣布听证结束",
)


def _not_before_start(hearing: Hearing, what: str) -> None:
    if utcnow() < hearing.starts:
        raise HearingError(
            f"听证定于 {when(hearing.scheduled_at)} 开始，开始前不能{what}。",
            {"on": f"听证尚未开始（{when(hearing.scheduled_at)}）。"},
        )


def _day(on: date | None, earliest: date, label: str) -> date:
    on = on or today()
    if on > today():
        raise HearingError("日期不能晚于今天。", {"on": "日期不能晚于今天。"})
    if on < earliest:
        message = f"{label}不能早于 {earliest.isoformat()}。"
        raise HearingError(message, {"on": message})
    return on


@transactional
def start(hearing: Hearing, version, on: date | None = None) -> None:
    """Open the hearing on its day: the stage's clock stops counting from ``on``."""
    editable(hearing, version, "planned")
    _not_before_start(hearing, "登记听证开始")
    on = _day(on, local_day(hearing.scheduled_at), "听证开始日期")
    hearing.status, hearing.started_on, hearing.span_from = "in_session", on, on
    clock.pause(hearing, on)
    # The written conclusion is due within conclusion_days: a clock of the matter.
    start_clock(
        hearing.matter,
        CONCLUSION,
        on,
        responsible_agency_id=hearing.agency_id,
        due=conclusion_due(hearing),
    )
    add_timeline_entry(
        hearing.matter,
        "hearing",
        "听证开始",
        body=f"{on.isoformat()} 于{hearing.venue}开始听证（{hearing.stage_label}阶段）。",
    )
    record_audit("hearings.start", hearing, summary=f"{hearing.matter.number}：听证开始")


@dataclass
class Record:
    """The record of the hearing: what was heard, who came, who signed, the panel's views."""

    heard: str
    deliberation: str = ""
    attended: dict[int, bool] = field(default_factory=dict)
    signatures: dict[int, str] = field(default_factory=dict)
    views: dict[int, str] = field(default_factory=dict)
    #: Evidence admitted at the hearing (filename, bytes): PDF, JPEG or PNG, kept on the matter.
    evidence: list[tuple[str, bytes]] = field(default_factory=list)
    #: The hearing's audio and video recordings (filename, bytes): MP3, WAV, OGG, M4A, MP4 or
    #: WebM, kept on the matter beside the record.
    recordings: list[tuple[str, bytes]] = field(default_factory=list)


@transactional
def record(hearing: Hearing, version, r: Record) -> None:
    """Keep the record (听证笔录) of a hearing in session and issue it as a PDF.

    Each participant's attendance and signature (or refusal to sign, noted) and each panel
    member's own view; at least one panel member or expert must have attended.
    """
    editable(hearing, version, "in_session")
    errors = {}
    if not (r.heard or "").strip():
        errors["heard"] = "请填写听证笔录（陈述、举证、质证、辩论）。"
    present = [p for p in hearing.participants if r.attended.get(p.id)]
    if not any(p.role in ("member", "expert") for p in present):
        errors.setdefault("heard", "听证须有听证员或专家到场，请登记到场情况。")
    petitioners = [p for p in hearing.participants if p.role in ("petitioner", "agent")]
    if petitioners and not any(r.attended.get(p.id) for p in petitioners):
        errors["heard"] = "信访人及其代理人均未到场：请登记“信访人未到场”（视为放弃听证）。"
    for sig in r.signatures.values():
        if sig and sig not in SIGNATURES:
            errors["heard"] = "签名情况只能为“已签名”或“拒绝签名”。"
    if errors:
        raise HearingError("请修正标出的内容。", errors)
    for p in hearing.participants:
        p.attended = bool(r.attended.get(p.id))
        p.signature = (r.signatures.get(p.id) or "signed") if p.attended else None
        view = (r.views.get(p.id) or "").strip()
        p.view = view or None
    hearing.heard = r.heard.strip()
    hearing.opinions = (r.deliberation or "").strip() or None
    hearing.status = "held"
    names = {"evidence": [], "recordings": []}
    for key, what, files in (
        ("evidence", "证据材料", r.evidence),
        ("recordings", "录音录像", r.recordings),
    ):
        for name, data in files:
            try:
                att = store_attachment(
                    hearing.matter, name, data, actor=current_actor(), media=key == "recordings"
                )
            except AttachmentRefused as exc:
                raise HearingError(f"{what}“{name}”：{exc}", {key: str(exc)}) from exc
            names[key].append(att.filename)
    db.session.flush()
    ctx = _doc_context(hearing) | names
    issue_document(hearing.matter, "hearing_record", today(), current_actor(), ctx)
    refused = [p.name for p in hearing.participants if p.signature == "refused"]
    add_timeline_entry(
        hearing.matter,
        "hearing",
        "听证笔录",
        body=f"到场 {len(present)} 人"
        + (f"；拒绝签名：{len(refused)} 人（已在笔录中注明）" if refused else "")
        + "。",
    )
    record_audit("hearings.record", hearing, summary=f"{hearing.matter.number}：听证笔录")


@transactional
def no_show(hearing: Hearing, version, note: str = "") -> None:
    """The petitioner failed to attend without explanation: the hearing is waived.

    Recorded with its consequence (视为放弃听证); a paused clock counts again from that day.
    """
    editable(hearing, version, "planned", "in_session")
    _not_before_start(hearing, "登记信访人未到场")
    on = today()
    moved = None
    if hearing.status == "in_session":
        moved = clock.resume(hearing, on)
    stop_clock(hearing.matter, CONCLUSION, on, cancelled=True)  # no conclusion is owed now
    hearing.status = "no_show"
    hearing.no_show_note = (note or "").strip() or "信访人无正当理由未到场"
    hearing.span_until = max(on, hearing.span_from)
    if hearing.application is not None:
        hearing.application.status = "waived"
    body = f"{hearing.no_show_note}。后果：视为放弃听证，本事项不再举行听证，依程序继续办理。"
    if moved:
        body += clock.span_text(hearing, moved)
    add_timeline_entry(hearing.matter, "hearing", "信访人未到场（视为放弃听证）", body=body)
    record_audit("hearings.no_show", hearing, summary=f"{hearing.matter.number}：信访人未到场")


def _doc_context(hearing: Hearing) -> dict:
    return {
        "hearing": hearing,
        "stage": STAGES[hearing.stage],
        "issuer": hearing.matter.agency,
        "when": when(hearing.scheduled_at),
        "steps": ORDER_OF_PROCEEDINGS,
    }


@transactional
def conclude(hearing: Hearing, version, conclusion: str, on: date | None = None) -> None:
    """Give the deliberated conclusion (听证结论), served in writing; the clock counts again.

    The span from the start to ``on`` (both days) is left out of the stage's period, and the
    conclusion's timeline entry names the dates and how the due date moved.
    """
    editable(hearing, version, "held")
    if not (conclusion or "").strip():
        raise HearingError("请填写听证结论。", {"conclusion": "请填写听证结论。"})
    on = _day(on, hearing.started_on or hearing.span_from, "结论日期")
    hearing.conclusion = conclusion.strip()
    hearing.concluded_on = on
    hearing.span_until = on
    moved = clock.resume(hearing, on)
    stop_clock(hearing.matter, CONCLUSION, on)
    hearing.status = "concluded"
    db.session.flush()
    ctx = _doc_context(hearing)
    ctx["span"] = clock.span_text(hearing, moved)
    issue_document(hearing.matter, "hearing_conclusion", on, current_actor(), ctx)
    add_timeline_entry(
        hearing.matter,
        "hearing",
        "听证结论",
        body=f"{hearing.conclusion}\n{clock.span_text(hearing, moved)}",
    )
    record_audit("hearings.conclude", hearing, summary=f"{hearing.matter.number}：听证结论")


@transactional
def suspend(hearing: Hearing, version, reason: str) -> None:
    """Suspend a hearing in session (听证中止), with the reason.

    E.g. a new expert assessment, a party unable to attend through force majeure. The hearing
    is not over: the stage's clock stays paused until it resumes and concludes.
    """
    editable(hearing, version, "in_session")
    if not (reason or "").strip():
        message = "中止听证须说明理由（需要重新鉴定、当事人因不可抗力不能参加等）。"
        raise HearingError(message, {"suspend_reason": message})
    hearing.status = "suspended"
    hearing.suspend_reason = reason.strip()
    stage = STAGES[hearing.stage]
    add_timeline_entry(
        hearing.matter,
        "hearing",
        "听证中止",
        body=f"{today().isoformat()} 听证中止。理由：{hearing.suspend_reason}\n"
        + (
            f"听证尚未结束，{stage}期限继续中止计算，恢复听证后继续进行。"
            if hearing.pause_step
            else "恢复听证后继续进行。"
        ),
    )
    record_audit("hearings.suspend", hearing, summary=f"{hearing.matter.number}：听证中止")


@transactional
def resume(hearing: Hearing, version) -> None:
    """Resume a suspended hearing (恢复听证) once its cause has gone."""
    editable(hearing, version, "suspended")
    hearing.status = "in_session"
    add_timeline_entry(
        hearing.matter,
        "hearing",
        "恢复听证",
        body=f"{today().isoformat()} 恢复听证（中止理由：{hearing.suspend_reason}）。",
    )
    record_audit("hearings.resume", hearing, summary=f"{hearing.matter.number}：恢复听证")


@transactional
def cancel(hearing: Hearing, version, reason: str) -> None:
    """Call off a hearing planned, in session or suspended (a paused clock counts again)."""
    editable(hearing, version, "planned", "in_session", "suspended")
    if not (reason or "").strip():
        raise HearingError("请填写取消理由。", {"cancel_reason": "请填写取消理由。"})
    on = today()
    moved = clock.resume(hearing, on) if hearing.status != "planned" else None
    stop_clock(hearing.matter, CONCLUSION, on, cancelled=True)
    hearing.status = "cancelled"
    hearing.cancel_reason = reason.strip()
    hearing.span_until = max(on, hearing.span_from)
    body = hearing.cancel_reason + ("\n" + clock.span_text(hearing, moved) if moved else "")
    add_timeline_entry(hearing.matter, "hearing", "取消听证", body=body)
    record_audit("hearings.cancel", hearing, summary=f"{hearing.matter.number}：取消听证")


@transactional
def publish(hearing: Hearing, version) -> None:
    """Mark a concluded hearing's conclusion as published (条例第36条第2款)."""
    editable(hearing, version, "concluded")
    hearing.published = True
    record_audit("hearings.publish", hearing, summary=f"{hearing.matter.number}：公开听证结论")


def conclusion_due(hearing: Hearing) -> date | None:
    """The last day for the written conclusion (setting ``conclusion_days`` after the start)."""
    if hearing.started_on is None:
        return None
    return hearing.started_on + timedelta(days=int(setting("conclusion_days")))
