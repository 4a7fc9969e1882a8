"""Manifest of the relief-fund module (信访救助 / 稳定基金)."""

from core.api import N_, Manifest, MenuItem, RoleSpec

manifest = Manifest(
    name="stability_fund",
    title=N_("信访救助资金"),
    version="0.1.0",
    summary="救助资金年度额度、救助申请、审批（两人规则、额度控制）与拨付登记",
    requires=(),
    permissions={
        "stability_fund.view": "查看救助申请与资金额度",
        "stability_fund.prepare": "填写、提交、撤销救助申请",
        "stability_fund.approve": "审批（批准或不予批准）救助申请",
        "stability_fund.pay": "登记救助金拨付",
        "stability_fund.budget": "设置年度救助资金额度",
    },
    menu=(MenuItem(N_("救助资金"), "stability_fund.index", "stability_fund.view", order=60),),
    settings={
        # Per-case cap in yuan (拉萨市实施细则: ≤ 50,000 per case); 0: no cap.
        "case_cap_yuan": 50000,
    },
    default_grants={
        "finance_officer": (
            "stability_fund.view",
            "stability_fund.prepare",
            "stability_fund.pay",
            "stability_fund.budget",
        ),
        "fund_approver": ("stability_fund.view", "stability_fund.approve"),
        "leader": ("stability_fund.view",),
        "auditor": ("stability_fund.view",),
    },
    roles=(
        RoleSpec("finance_officer", "财务人员", "救助资金拨付与记账"),
        RoleSpec("fund_approver", "救助金审批人", "联席会议办公室审核、审批救助申请"),
    ),
    blueprint="modules.stability_fund.blueprint:bp",
    models="modules.stability_fund.models",
    seed="modules.stability_fund.services:seed",
)
