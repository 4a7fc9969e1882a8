"""The hearing's span on the matter's clock, through core's lifecycle ``perform``.

The hearing's start takes the stage's pausing step (复核 always; 复查 and 办理 where the setting
``pause_stages`` names them) and its conclusion, no-show or cancellation the resuming step, in
the hearing action's own transaction: the clock's due date moves by the days of the hearing and
its explanation names them (``听证期间 … 至 … 共 N 日不计入期限``).
"""

from __future__ import annotations

from datetime import date

from core.api import MatterError, perform

from ..models import STAGE_CLOCKS, STAGES, Hearing
from .common import HearingError, setting


def pauses(stage: str) -> bool:
    """Whether a hearing of ``stage`` pauses its clock (re-review: always, Art. 36 ¶2)."""
    return stage == "rereview" or stage in tuple(setting("pause_stages") or ())


def running_clock(hearing: Hearing):
    """The matter's open clock of the hearing's stage, if any."""
    kind = STAGE_CLOCKS[hearing.stage][0]
    for clock in hearing.matter.clocks:
        if clock.kind == kind and clock.state in ("running", "paused"):
            return clock
    return None


def _perform(hearing: Hearing, step: str, on: date) -> None:
    matter = hearing.matter
    try:
        perform(matter, step, {"hearing_id": hearing.id}, version=matter.version, on=on)
    except MatterError as exc:
        raise HearingError(str(exc), exc.errors) from exc


def pause(hearing: Hearing, on: date) -> None:
    """Take the stage's pausing step on the hearing's first day (when the stage pauses)."""
    if not pauses(hearing.stage):
        return
    _kind, step, _resume = STAGE_CLOCKS[hearing.stage]
    _perform(hearing, step, on)
    hearing.pause_step = step


def resume(hearing: Hearing, on: date) -> tuple | None:
    """Take the resuming step on the hearing's last day; ``(clock, due before, due after)``."""
    if not hearing.pause_step:
        return None
    _kind, _pause, step = STAGE_CLOCKS[hearing.stage]
    clock = running_clock(hearing)
    before = clock.due if clock is not None else None
    _perform(hearing, step, on)
    hearing.pause_step = None
    return (clock, before, clock.due if clock is not None else None)


def span_text(hearing: Hearing, moved: tuple | None) -> str:
    """The hearing span in words, with the stage's clock and how its due date moved."""
    stage = STAGES[hearing.stage]
    days = hearing.excluded_days
    text = (
        f"听证期间 {hearing.span_from.isoformat()} 至 {hearing.span_until.isoformat()}，"
        f"共 {days} 日"
    )
    if moved and moved[0] is not None:
        clock, before, after = moved
        return (
            f"{text}，不计入{stage}期限；{clock.label}届满日由 {before.isoformat()} "
            f"顺延至 {after.isoformat()}。"
        )
    if pauses(hearing.stage):
        return f"{text}，不计入{stage}期限。"
    return f"{text}（{stage}期限不因听证中止）。"
