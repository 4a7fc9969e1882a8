"""Manifest of the hearings module (信访听证, 信访工作条例第31条第6项、第36条第2款)."""

from core.api import N_, Manifest, MenuItem, Panel, RoleSpec

from .lifecycle import LIFECYCLE

manifest = Manifest(
    name="hearings",
    title=N_("信访听证"),
    version="0.3.0",
    summary="重大、复杂、疑难信访事项的听证：申请与受理、安排与通知、听证笔录、听证结论、"
    "听证期间期限中止；重大决策听证评估",
    requires=(),
    permissions={
        "hearings.view": "查看信访听证",
        "hearings.manage": "受理听证申请、安排听证、记录听证与结论",
        "hearings.admin": "维护听证室与听证员库",
    },
    menu=(MenuItem(N_("信访听证"), "hearings.index", "hearings.view", order=40),),
    settings={
        # Days of notice the parties get before the hearing (time and place).
        "notice_days": 7,
        # Days after being told of the right to a hearing in which the petitioner may apply.
        "application_window_days": 7,
        # "calendar" or "working" (working days on core's calendar, holidays included).
        "application_window_unit": "calendar",
        # Days from the decision to hold a hearing (acceptance or own motion) to the hearing;
        # 0 or None: no limit. A postponement with its reason may go past it.
        "holding_days": 30,
        # Days the organ has to decide on an application (accept or refuse in writing).
        "decision_days": 15,
        # Days from the hearing to its written conclusion.
        "conclusion_days": 20,
        # Stages whose clock a hearing pauses; 复核 always (条例第36条第2款).
        "pause_stages": ("rereview", "review"),
        # A repeat petition (重复信访) is not terminated by the re-review without a hearing.
        "mandatory_for_repeat": False,
        # Hours a hearing books its room when no end time is given.
        "default_hours": 2,
    },
    default_grants={
        "hearing_officer": ("hearings.view", "hearings.manage", "core.cases.view"),
        "supervisor": ("hearings.view", "hearings.manage", "hearings.admin"),
        "leader": ("hearings.view", "hearings.manage"),
        "admin": ("hearings.view", "hearings.admin"),
    },
    roles=(RoleSpec("hearing_officer", "听证主持人", "安排并主持信访听证"),),
    lifecycle=LIFECYCLE,
    panels=(Panel("matter.page", "modules.hearings.panels:matter_panel", "hearings.view"),),
    blueprint="modules.hearings.blueprint:bp",
    models="modules.hearings.models",
    demo="modules.hearings.demo:load",
    openapi="modules.hearings.api:openapi_paths",
    provides={"evaluation.facts": "modules.hearings.indicators:facts"},
)
