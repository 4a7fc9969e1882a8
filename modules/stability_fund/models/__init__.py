"""Tables of the relief-fund module (all prefixed ``stability_fund_``).

Money is kept as whole fen (分) in integer columns: no float ever touches an amount.
"""

from __future__ import annotations

from core.api import N_

from .account import FundBudget, TopUp
from .application import Award, ReliefApplication
from .chain import ApprovalStep
from .payment import Disbursement, Evidence, PersonRelation, Undertaking

KINDS = {
    "petition": N_("信访救助"),
    "judicial": N_("司法救助"),
    "referral": N_("转介社会救助"),
    "special": N_("专项资金"),
}
#: Eligibility grounds of the local rules (拉萨市实施细则), one per application.
GROUNDS = {
    "reasonable": N_("于法无据、于情合理，生活困难"),
    "no_payer": N_("责任主体灭失、无法确定或无力支付"),
    "historical": N_("历史遗留问题"),
    "major_event": N_("重大活动期间特殊情形"),
}
STATES = {
    "draft": N_("草稿"),
    "submitted": N_("审批中"),
    "approved": N_("已批准待拨付"),
    "rejected": N_("审批未通过"),
    "paid": N_("已拨付"),
    "closed": N_("已销号"),
    "referred": N_("已转介"),
    "cancelled": N_("已撤销"),
}
METHODS = {"transfer": N_("银行转账"), "cash": N_("现金（凭收据）")}
UNDERTAKING_KINDS = {"promise": N_("息诉罢访承诺书"), "agreement": N_("息诉罢访协议书")}
RELATIONS = {
    "self": N_("本人"),
    "spouse": N_("配偶"),
    "parent": N_("父母"),
    "child": N_("子女"),
    "sibling": N_("兄弟姐妹"),
    "other": N_("其他近亲属"),
}
TOPUP_KINDS = {"topup": N_("追加"), "carry_in": N_("上年结转")}

__all__ = [
    "GROUNDS",
    "KINDS",
    "METHODS",
    "RELATIONS",
    "STATES",
    "TOPUP_KINDS",
    "UNDERTAKING_KINDS",
    "ApprovalStep",
    "Award",
    "Disbursement",
    "Evidence",
    "FundBudget",
    "PersonRelation",
    "ReliefApplication",
    "TopUp",
    "Undertaking",
]
