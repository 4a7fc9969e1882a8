"""Mediation (人民调解) as a sample module: a step, a guard, a clock pause and a role, declared.

While a matter is being mediated its handling period does not run; a matter whose handling was
paused for mediation gets no extension on top. Nothing here registers anything by hand: core
reads the manifest when the module's code is loaded and acts on it while it is installed.
"""

from markupsafe import Markup

from core.api import (
    ClockPause,
    Lifecycle,
    Manifest,
    Panel,
    Role,
    RoleSpec,
    StepGuard,
    Transition,
    User,
    db,
)


def _no_extension_after_mediation(matter, ctx):
    handling = [c for c in matter.clocks if c.kind == "handling" and c.paused]
    if handling:
        return "调解期间已中止办理期限，不再延期。"
    return None


def mediation_panel(matter):
    """The matter page's fragment: what mediation keeps on this matter (escaped)."""
    return Markup('<section class="card" id="mediation-panel">调解记录：{}</section>').format(
        matter.summary
    )


def load_demo():
    """Demo data: a second mediator, once (loaders are idempotent)."""
    from sqlalchemy import select

    if db.session.execute(select(User).where(User.username == "demo_mediator2")).first():
        return
    role = db.session.execute(select(Role).where(Role.code == "mediator")).scalar_one()
    db.session.add(User(username="demo_mediator2", display_name="调解员乙", roles=[role]))


manifest = Manifest(
    name="mediation",
    title="调解（测试模块）",
    version="1.0.0",
    permissions={"mediation.mediate": "组织调解"},
    roles=(RoleSpec("mediator", "调解员", "组织人民调解"),),
    default_grants={"mediator": ("mediation.mediate", "core.cases.handle")},
    panels=(Panel("matter.page", f"{__name__}:mediation_panel", permission="mediation.mediate"),),
    demo=f"{__name__}:load_demo",
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
