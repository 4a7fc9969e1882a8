"""Manifest of legal_aid (律师参与信访): roster, duty, consultations, the legal route, hours."""

from core.api import N_, Manifest, MenuItem, Panel, RoleSpec

from .lifecycle import LIFECYCLE

manifest = Manifest(
    name="legal_aid",
    title=N_("律师参与信访"),
    version="0.3.0",
    summary="律师名册、值班排班、法律咨询与引导单、导入法定途径（诉访分离）、法律论证、代理、工时",
    requires=(),
    permissions={
        "legal_aid.view": "查看律师名册、值班排班与法律咨询记录",
        "legal_aid.consult": "记录法律咨询、出具律师意见与论证意见（律师）",
        "legal_aid.route": "律师引导信访事项导入法定途径（诉访分离）",
        "legal_aid.roster": "维护律师名册、安排值班、登记利益冲突",
        "legal_aid.assign": "指派值班律师接待、安排律师参加领导接访、委托法律论证、登记代理",
        "legal_aid.hours": "查看并导出律师工时",
    },
    menu=(MenuItem(N_("律师值班"), "legal_aid.desk", "legal_aid.view", order=45),),
    default_grants={
        "lawyer": ("legal_aid.view", "legal_aid.consult", "legal_aid.route", "core.cases.view"),
        "supervisor": (
            "legal_aid.view",
            "legal_aid.roster",
            "legal_aid.assign",
            "legal_aid.hours",
        ),
        # Reception's role: granted when both modules are installed, in either order.
        "reception_officer": ("legal_aid.view", "legal_aid.assign"),
        "registration_clerk": ("legal_aid.view", "legal_aid.assign"),
    },
    roles=(RoleSpec("lawyer", "律师", "律师参与接访、法律咨询与论证"),),
    lifecycle=LIFECYCLE,
    panels=(
        Panel("reception.desk", "modules.legal_aid.panels:desk", "legal_aid.view", order=20),
        Panel("reception.session", "modules.legal_aid.panels:session", "legal_aid.view"),
        Panel("matter.page", "modules.legal_aid.panels:matter", "legal_aid.view", order=40),
    ),
    record_grants="modules.legal_aid.services:record_grants",
    blueprint="modules.legal_aid.blueprint:bp",
    models="modules.legal_aid.models",
    seed="modules.legal_aid.services:seed",
    demo="modules.legal_aid.demo:load",
)
