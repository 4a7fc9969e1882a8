"""The hearings module's part of the matter's lifecycle (declared in its manifest).

From a hearing's start to its conclusion the clock of the stage it belongs to does not count:
the re-review clock always (条例第36条第2款), the review and handling clocks where the setting
``pause_stages`` says so. Each stage has its pair of steps (paused state and back), which the
hearing's own actions take through core's ``perform`` in the same transaction; they need
``hearings.manage`` and are taken only by staff of the organ in charge of the stage.

While a hearing of a stage is open (planned, in session or suspended, or held without its
conclusion), the opinion of that stage cannot be issued: the conclusion grounds it (guards on
core's steps).
"""

from core.api import (
    ClockKind,
    ClockPause,
    DocumentKind,
    Lifecycle,
    StepGuard,
    Transition,
    TransitionContext,
    acts_for,
)

PERMISSION = "hearings.manage"

_organs = {
    "handling": acts_for("handling_agency_id", "承办单位"),
    "review": acts_for("review_agency_id", "复查机关"),
    "rereview": acts_for("reexam_agency_id", "复核机关"),
}


def _pair(stage, pause, resume, source, paused_state, stage_name):
    guard = _organs[stage]
    return (
        Transition(
            pause,
            f"举行听证（{stage_name}期限中止）",
            (source,),
            paused_state,
            PERMISSION,
            guards=[guard],
        ),
        Transition(
            resume,
            f"听证结束（{stage_name}期限恢复）",
            (paused_state,),
            source,
            PERMISSION,
            guards=[guard],
        ),
    )


def _no_open_hearing(stage: str, document: str):
    """Guard: no opinion of ``stage`` while a hearing of that stage awaits its conclusion."""

    def guard(matter, ctx: TransitionContext) -> str | None:
        from sqlalchemy import select

        from core.api import db

        from .models import Hearing

        open_one = db.session.execute(
            select(Hearing.id).where(
                Hearing.matter_id == matter.id,
                Hearing.stage == stage,
                Hearing.status.in_(("planned", "in_session", "suspended", "held")),
            )
        ).first()
        if open_one:
            return f"该事项的听证尚未作出结论，不能{document}（听证结论是其依据）。"
        return None

    return guard


def _mandatory_hearing(matter, ctx: TransitionContext) -> str | None:
    """Guard: no re-review termination of a repeat petition (重复信访) without a hearing.

    Only where the setting ``mandatory_for_repeat`` says so; a hearing held, or waived by the
    petitioner (no-show, or an application refused), satisfies it.
    """
    from sqlalchemy import select

    from core.api import db

    from .models import Application, Hearing
    from .services.common import setting

    if not setting("mandatory_for_repeat"):
        return None
    if matter.repeat_of_id is None:
        return None
    heard = db.session.execute(
        select(Hearing.id).where(
            Hearing.matter_id == matter.id,
            Hearing.stage == "rereview",
            Hearing.status.in_(("concluded", "no_show")),
        )
    ).first()
    waived = db.session.execute(
        select(Application.id).where(
            Application.matter_id == matter.id,
            Application.stage == "rereview",
            Application.status.in_(("refused", "waived")),
            Application.origin == "petitioner",
        )
    ).first()
    if heard or waived:
        return None
    return "该事项为重复信访，按规定复核终结前须举行听证（或信访人已放弃听证）。"


LIFECYCLE = Lifecycle(
    states={
        "handling_hearing": "办理听证中（期限中止）",
        "review_hearing": "复查听证中（期限中止）",
    },
    transitions=(
        *_pair(
            "rereview",
            "suspend_for_hearing",
            "resume_after_hearing",
            "reexam_requested",
            "suspended",
            "复核",
        ),
        *_pair(
            "review",
            "suspend_review_for_hearing",
            "resume_review_after_hearing",
            "review_requested",
            "review_hearing",
            "复查",
        ),
        *_pair(
            "handling",
            "suspend_handling_for_hearing",
            "resume_handling_after_hearing",
            "in_handling",
            "handling_hearing",
            "办理",
        ),
    ),
    guards=(
        StepGuard("draft_opinion", _no_open_hearing("handling", "拟写处理意见")),
        StepGuard("issue_review_opinion", _no_open_hearing("review", "出具复查意见书")),
        StepGuard("issue_reexam_opinion", _no_open_hearing("rereview", "出具复核意见书")),
        StepGuard("issue_reexam_opinion", _mandatory_hearing),
    ),
    clock_pauses=(
        ClockPause(
            "reexam", pause="suspend_for_hearing", resume="resume_after_hearing", span="听证"
        ),
        ClockPause(
            "review",
            pause="suspend_review_for_hearing",
            resume="resume_review_after_hearing",
            span="听证",
        ),
        ClockPause(
            "handling",
            pause="suspend_handling_for_hearing",
            resume="resume_handling_after_hearing",
            span="听证",
        ),
    ),
    # The organ's own periods (settings decision_days, conclusion_days), dates the module sets:
    # core's daily job reminds of them like of every clock.
    clock_kinds={
        "hearing_decision": ClockKind(
            "听证申请决定期限", "信访听证办法（受理决定）", 0, fixed=True
        ),
        "hearing_conclusion": ClockKind("听证结论期限", "信访听证办法（书面结论）", 0, fixed=True),
    },
    documents={
        "hearing_notice": DocumentKind("听证通知书", "听通", "hearings/pdf/notice.html"),
        "hearing_refusal": DocumentKind(
            "不予受理听证通知书", "不听通", "hearings/pdf/refusal.html"
        ),
        "hearing_record": DocumentKind("听证笔录", "听录", "hearings/pdf/record.html"),
        "hearing_conclusion": DocumentKind("听证结论书", "听结", "hearings/pdf/conclusion.html"),
    },
    timeline_kinds={"hearing": "听证"},
)
