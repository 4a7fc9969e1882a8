"""Running a step of the lifecycle on a matter: ``perform``.

A unit of work (``core.unit_of_work.transactional``): it checks the step (rights, version,
state, required fields, guards), runs its effect, writes the timeline, the document and the
audit log inside the caller's transaction, and commits when it is the whole action — or raises
``MatterError`` having changed nothing. Importing it registers core's own steps.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core import audit, signals
from core.accounts.actor import actor_permissions, current_actor
from core.accounts.services import check_version
from core.cases.clocks import clocks
from core.cases.files import documents
from core.cases.lifecycle import handling, review, supervision, triage
from core.cases.lifecycle.registration import MatterError
from core.cases.lifecycle.table import STATES, TransitionContext, register_transition
from core.cases.lifecycle.table import find as find_transition
from core.cases.models import Matter
from core.cases.records.timeline import add_entry
from core.db import utcnow
from core.extensions import db
from core.unit_of_work import transactional

# Core's steps, stage by stage, once per process (a module runs once) and in this order: the
# matter page and the API list a matter's steps in the order of ``TRANSITIONS``.
for _stage in (triage, handling, review, supervision):
    for _step in _stage.STEPS:
        register_transition(_step)


@transactional
def perform(
    matter: Matter,
    name: str,
    data: dict[str, Any] | None = None,
    *,
    version: int | str | None,
    on: date | None = None,
):
    """Run transition ``name`` on ``matter`` as the acting user, in the caller's unit of work.

    ``version`` is the matter version the user saw (optimistic locking: a stale one is refused
    and nothing is written). ``on`` is the event date (default today; e.g. the day a
    request arrived by post). Returns the issued document, if any.
    """
    data = dict(data or {})
    transition = find_transition(name)
    if transition is None:
        raise MatterError("未知的操作。")
    actor = current_actor()
    # Rights first: someone who may not take the step learns nothing about concurrent edits.
    if transition.permission not in actor_permissions():
        raise MatterError(f"您没有“{transition.label}”的权限。")
    check_version(matter, version)
    if matter.state not in transition.sources:
        raise MatterError(
            f"事项当前为“{STATES.get(matter.state, matter.state)}”，不能执行“{transition.label}”。"
        )
    on = on or clocks.today()
    if on > clocks.today():
        raise MatterError("日期不能晚于今天。")
    if on < matter.received_on:
        raise MatterError(f"日期不能早于收到信访事项的日期（{matter.received_on.isoformat()}）。")
    missing = [f for f in transition.required if data.get(f) in (None, "", [])]
    if missing:
        raise MatterError("请填写必填项。", {f: "此项为必填项。" for f in missing})
    ctx = TransitionContext(actor=actor, on=on, data=data)
    for guard in transition.guards:
        problem = guard(matter, ctx)
        if problem:
            raise MatterError(problem)
    before = matter.state
    if transition.effect:
        transition.effect(matter, ctx)
    if transition.target:
        matter.state = transition.target
    text = data.get("text") or data.get("reason") or data.get("answer") or ""
    add_entry(
        matter,
        "transition",
        transition.label,
        body=str(text),
        transition=name,
        before=before,
        after=matter.state,
    )
    doc = None
    if transition.document:
        doc = documents.issue(matter, transition.document, on, actor, ctx.document_context)
    # Touch the row even when only related rows changed, so the version moves on and a
    # concurrent step from the same page fails (the UPDATE … WHERE version = n finds no row).
    matter.updated_at = utcnow()
    db.session.flush()
    audit.record(
        f"matter.{name}",
        matter,
        summary=f"{matter.number}：{transition.label}",
        before=before,
        after=matter.state,
    )
    if matter.state != before:
        signals.send(
            signals.matter_state_changed,
            matter=matter,
            transition=name,
            before=before,
            after=matter.state,
        )
    return doc


def state_label(state: str) -> str:
    """The Chinese label of a state."""
    return STATES.get(state, state)
