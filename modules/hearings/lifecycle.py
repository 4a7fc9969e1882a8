"""The hearings module's part of the matter's lifecycle (declared in its manifest).

A hearing during re-review suspends the matter: the re-review clock does not count the days of
the hearing (条例第36条第2款). The steps are taken by the re-review organ's staff (the leader
who decides the re-review), so they need core's review permission and the organ guard.
"""

from core.api import ClockPause, Lifecycle, Transition, acts_for

_reexam_organ = acts_for("reexam_agency_id", "复核机关")

LIFECYCLE = Lifecycle(
    transitions=(
        Transition(
            "suspend_for_hearing",
            "举行听证（复核期限中止）",
            ("reexam_requested",),
            "suspended",
            "core.cases.review",
            guards=[_reexam_organ],
        ),
        Transition(
            "resume_after_hearing",
            "听证结束（复核期限恢复）",
            ("suspended",),
            "reexam_requested",
            "core.cases.review",
            guards=[_reexam_organ],
        ),
    ),
    clock_pauses=(
        ClockPause(
            "reexam", pause="suspend_for_hearing", resume="resume_after_hearing", span="听证"
        ),
    ),
    timeline_kinds={"hearing": "听证"},
)
