"""Manifest of the relief-fund module (信访救助 / 稳定基金)."""

from core.api import N_, Manifest, MenuItem, Panel, RoleSpec

from .lifecycle import LIFECYCLE

manifest = Manifest(
    name="stability_fund",
    title=N_("信访救助资金"),
    version="0.2.0",
    summary="救助资金账户、救助申请（一事一报）、审批链与职责分离、承诺书、分期拨付、销号、报表与审计档案",
    requires=(),
    permissions={
        "stability_fund.view": "查看救助申请与资金账户",
        "stability_fund.prepare": "填写、提交、撤销救助申请，登记回避关系",
        "stability_fund.sign_unit": "审批链：申请单位负责人审核",
        "stability_fund.check": "审批链：联席会议办公室审核",
        "stability_fund.approve": "审批链：联席会议审批",
        "stability_fund.approve_special": "审批链：超上限特别审批",
        "stability_fund.allocate": "审批链：财政核拨",
        "stability_fund.pay": "登记息诉罢访承诺书和救助金拨付",
        "stability_fund.close": "救助化解销号",
        "stability_fund.budget": "设置资金账户（预算、追加、结转）",
        "stability_fund.report": "导出资金报表和审计档案",
    },
    menu=(MenuItem(N_("救助资金"), "stability_fund.index", "stability_fund.view", order=60),),
    settings={
        # Per-case cap in yuan (拉萨市实施细则: ≤ 50,000 per case); 0: no cap. Above it the chain
        # has the special tier (特别审批).
        "case_cap_yuan": 50000,
        # The local minimum allowance (低保) per month in yuan and how many months petition relief
        # may reach (≤ 36 months); 0: not used.
        "allowance_yuan_month": 0,
        "allowance_months": 36,
        # The eligibility grounds (救助情形, models.GROUNDS) the local rules admit; an application
        # on another is refused and the form does not offer it.
        "grounds": ("reasonable", "no_payer", "historical", "major_event"),
        # Days after 销号 during which a new petition is watched for (监测期).
        "monitoring_days": 180,
    },
    default_grants={
        "finance_officer": (
            "stability_fund.view",
            "stability_fund.prepare",
            "stability_fund.allocate",
            "stability_fund.pay",
            "stability_fund.close",
            "stability_fund.budget",
            "stability_fund.report",
        ),
        "fund_approver": (
            "stability_fund.view",
            "stability_fund.check",
            "stability_fund.approve",
            "stability_fund.close",
            "stability_fund.report",
        ),
        "unit_leader": ("stability_fund.view", "stability_fund.sign_unit"),
        "supervisor": ("stability_fund.view", "stability_fund.check"),
        "leader": ("stability_fund.view", "stability_fund.approve_special"),
        "auditor": ("stability_fund.view", "stability_fund.report"),
    },
    roles=(
        RoleSpec("finance_officer", "财务人员", "救助申请、财政核拨、拨付与记账"),
        RoleSpec("fund_approver", "救助金审批人", "联席会议办公室审核、联席会议审批救助申请"),
    ),
    lifecycle=LIFECYCLE,
    panels=(
        Panel("matter.page", "modules.stability_fund.panels:matter_panel", "stability_fund.view"),
    ),
    # Evaluation's 救助化解销号率 while both are installed (neither imports the other).
    provides={"evaluation.facts": "modules.stability_fund.indicators:facts"},
    blueprint="modules.stability_fund.blueprint:bp",
    models="modules.stability_fund.models",
    seed="modules.stability_fund.services:seed",
    demo="modules.stability_fund.demo:load",
)
