"""Mediation (人民调解) as a sample module: a step, a guard, a clock pause and a role, declared.

While a matter is being mediated its handling period does not run; a matter whose handling was
paused for mediation gets no extension on top. Nothing here registers anything by hand: core
reads the manifest when the module's code is loaded and acts on it while it is installed.
"""

from core.api import ClockPause, Lifecycle, Manifest, RoleSpec, StepGuard, Transition


def _no_extension_after_mediation(matter, ctx):
    handling = [c for c in matter.clocks if c.kind == "handling" and c.paused]
    if handling:
        return "调解期间已中止办理期限，不再延期。"
    return None


manifest = Manifest(
    name="mediation",
    title="调解（测试模块）",
    version="1.0.0",
    permissions={"mediation.mediate": "组织调解"},
    roles=(RoleSpec("mediator", "调解员", "组织人民调解"),),
    default_grants={"mediator": ("mediation.mediate", "core.cases.handle")},
    lifecycle=Lifecycle(
        states={"mediating": "调解中（办理期限中止）"},
        transitions=(
            Transition(
                "start_mediation",
                "组织调解（办理期限中止）",
                ("in_handling",),
                "mediating",
                "mediation.mediate",
            ),
            Transition(
                "end_mediation",
                "调解结束（办理期限恢复）",
                ("mediating",),
                "in_handling",
                "mediation.mediate",
            ),
        ),
        guards=(StepGuard("extend", _no_extension_after_mediation),),
        clock_pauses=(
            ClockPause("handling", pause="start_mediation", resume="end_mediation", span="调解"),
        ),
    ),
)
