"""What several stages of core's lifecycle use.

The agency a step names, access for it, stopping a clock, and the guard that only the organ in
charge takes a step (``acts_for``).
"""

from __future__ import annotations

from datetime import date

from core.accounts.models import Agency
from core.cases.clocks import clocks
from core.cases.lifecycle.table import TransitionContext
from core.cases.models import Clock, Matter, MatterAccess
from core.extensions import db


def find_agency(agency_id) -> Agency | None:
    """The agency with this id (as submitted: a string, a number or nothing), if any."""
    try:
        return db.session.get(Agency, int(agency_id)) if agency_id else None
    except (TypeError, ValueError):
        return None


def grant_access(matter: Matter, agency_id: int, role: str) -> None:
    """Let ``agency_id`` see ``matter`` from now on (forwarded, assigned, sent for review)."""
    exists = db.session.get(MatterAccess, (matter.id, agency_id))
    if exists is None:
        db.session.add(MatterAccess(matter_id=matter.id, agency_id=agency_id, role=role))


def stop_clock(
    matter: Matter, kind: str, on: date, clock: Clock | None = None, *, cancelled: bool = False
) -> None:
    """Stop the running clock of ``kind`` on ``matter``, if there is one.

    ``clock``: that one, if still open (a matter may run several of a module's kind).
    ``cancelled``: the duty fell away (met/missed would misreport it): state ``cancelled``.
    Disposing of a matter (``disposition``) also ends its level's forwarding-chain clock.
    """
    end = clocks.cancel if cancelled else clocks.stop
    if clock is not None:
        if clock.open:
            end(clock, on)
        return
    kinds = [kind, *clocks.CHAIN_KINDS.values()] if kind == "disposition" else [kind]
    for each in kinds:
        clock = clocks.running(matter, each)
        if clock is not None:
            end(clock, on)


def notice_owed(matter: Matter) -> bool:
    """Whether the petitioner is owed a written notice (not if name or address unclear).

    条例第23条第2款; an anonymous matter has no name to write to either.
    """
    return not (matter.has_flag("contact_unclear") or matter.has_flag("anonymous"))


def acts_for(field: str, organ: str):
    """Only staff of the organ in charge of this step (or of an organ above it) may take it.

    Record rules decide who may *see* a matter; an agency that saw it once (e.g. a unit whose
    objection was accepted) must not go on deciding it.
    """

    def guard(matter: Matter, ctx: TransitionContext) -> str | None:
        target = find_agency(getattr(matter, field) or matter.agency_id)
        actor = ctx.actor
        if target is None or actor is None:
            return None
        mine = [a for a in [actor.agency, *actor.extra_agencies] if a is not None]
        if any(target.path.startswith(a.path) for a in mine):
            return None
        return f"只有{organ}（{target.name}）或其上级机关的人员可以办理此步骤。"

    return guard


#: The unit handling the matter (it also objects to a forward or an assignment at triage).
handling_organ = acts_for("handling_agency_id", "承办单位")
