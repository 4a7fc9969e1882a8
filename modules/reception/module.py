"""The reception hall (接访): desk triage, visit records, leapfrog visits, leader reception days."""

from core.api import Manifest, MenuItem, PdfTemplate, RoleSpec

manifest = Manifest(
    name="reception",
    title="接访大厅",
    version="0.1.0",
    summary="登记台分流、接谈记录、集体访与越级访、领导接访日、大厅看板",
    requires=(),
    permissions={
        "reception.desk": "登记台：到访登记、查看来访人信访史、分流叫号",
        "reception.visit": "接访窗口：接谈记录、当场答复、登记转办、越级访引导、现场情况记录",
        "reception.hall": "维护接访窗口与值班人员",
        "reception.board": "查看大厅看板与每日统计",
        "reception.sessions.view": "查看领导接访日安排",
        "reception.sessions.manage": "安排并公布领导接访日、安排值班律师",
        "reception.appointments": "领导接访预约与签到",
        "reception.sessions.outcome": "录入领导接访结果（当场答复、批示交办、包案）",
    },
    menu=(
        MenuItem("登记台", "reception.desk", "reception.desk", order=15),
        MenuItem("大厅看板", "reception.board", "reception.board", order=16),
        MenuItem("领导接访日", "reception.sessions", "reception.sessions.view", order=17),
        MenuItem("接访窗口", "reception.units", "reception.hall", order=18),
    ),
    jobs=(),
    pdf_templates=(
        PdfTemplate("visit_slip", "reception/pdf/visit_slip.html", "来访登记回执"),
        PdfTemplate("leapfrog_notice", "reception/pdf/leapfrog_notice.html", "引导逐级走访告知书"),
        PdfTemplate("schedule", "reception/pdf/schedule.html", "领导接访日安排"),
    ),
    settings={"appointment_cutoff": "17:00 the day before", "max_representatives": 5},
    default_grants={
        "registration_clerk": (
            "reception.desk",
            "reception.board",
            "reception.sessions.view",
            "reception.appointments",
        ),
        "reception_officer": (
            "core.personal_data.view",
            "core.cases.register",
            "core.cases.triage",
            "reception.desk",
            "reception.visit",
            "reception.board",
            "reception.sessions.view",
            "reception.appointments",
            "reception.sessions.outcome",
        ),
        "leader": ("reception.board", "reception.sessions.view", "reception.sessions.outcome"),
        "lawyer": ("reception.board", "reception.sessions.view"),
        "supervisor": (
            "reception.board",
            "reception.hall",
            "reception.sessions.view",
            "reception.sessions.manage",
        ),
        "admin": ("reception.hall", "reception.board", "reception.sessions.view"),
    },
    # The hall's officer, and the lawyers who sit beside leaders on reception days (legal_aid
    # brings the same role with its roster; the role stays while either module is installed).
    roles=(
        RoleSpec("reception_officer", "接访员", "接访单元：接谈、当场答复或转入办理"),
        RoleSpec("lawyer", "律师", "律师参与接访、法律咨询与论证"),
    ),
    blueprint="modules.reception.blueprint:bp",
    models="modules.reception.models",
    seed="modules.reception.services:seed",
)
