"""Labels the templates translate at render time (roles and permissions), for the extractor.

Nothing imports this module (scripts/translations.sh reads it).
"""

from core.api import N_

#: The module's roles and permissions (module.py), on the administration pages.
ROLES = (
    N_("办信员"),
    N_("办信：来信与网上信访的录入、拟办、转交办"),
    N_("查看办信台与来信"),
    N_("登记来信（含批量登记、打印编号标签）"),
    N_("指定首办责任人、记录会审、打印答复函与寄发登记"),
    N_("评查信访人不同意的答复"),
    N_("查看来信统计"),
)
