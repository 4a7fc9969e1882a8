"""Manifest of legal_aid (律师参与信访): duty roster, consultations, lawyers' opinions."""

from core.api import N_, Manifest, MenuItem, RoleSpec

manifest = Manifest(
    name="legal_aid",
    title=N_("律师参与信访"),
    version="0.1.0",
    summary="值班律师排班、法律咨询与律师接待记录、律师意见、引导依法通过法定途径解决（诉访分离）",
    requires=(),
    permissions={
        "legal_aid.view": "查看值班律师排班与法律咨询记录",
        "legal_aid.consult": "记录法律咨询、出具律师意见（律师）",
        "legal_aid.roster": "安排值班律师排班",
    },
    menu=(MenuItem(N_("律师值班"), "legal_aid.desk", "legal_aid.view", order=45),),
    default_grants={
        "lawyer": ("legal_aid.view", "legal_aid.consult"),
        "supervisor": ("legal_aid.view", "legal_aid.roster"),
        "reception_officer": ("legal_aid.view",),
    },
    roles=(RoleSpec("lawyer", "律师", "律师参与接访、法律咨询与论证"),),
    blueprint="modules.legal_aid.blueprint:bp",
    models="modules.legal_aid.models",
    seed="modules.legal_aid.services:seed",
)
