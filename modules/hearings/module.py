"""Manifest of the hearings module (信访听证, 信访工作条例第31条第6项、第36条第2款)."""

from core.api import N_, Manifest, MenuItem, RoleSpec

from .lifecycle import LIFECYCLE

manifest = Manifest(
    name="hearings",
    title=N_("信访听证"),
    version="0.1.0",
    summary="重大、复杂、疑难信访事项的听证：安排、参加人、听证笔录、听证结论、听证期间",
    requires=(),
    permissions={
        "hearings.view": "查看信访听证",
        "hearings.manage": "安排听证、登记参加人、记录听证与结论",
    },
    menu=(MenuItem(N_("信访听证"), "hearings.index", "hearings.view", order=40),),
    default_grants={
        "hearing_officer": ("hearings.view", "hearings.manage"),
        "supervisor": ("hearings.view", "hearings.manage"),
        "leader": ("hearings.view",),
    },
    roles=(RoleSpec("hearing_officer", "听证主持人", "安排并主持信访听证"),),
    lifecycle=LIFECYCLE,
    blueprint="modules.hearings.blueprint:bp",
    models="modules.hearings.models",
)
