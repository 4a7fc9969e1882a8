"""Labels the templates translate at render time (menu items, module title, states, kinds).

Listed here for the extractor (scripts/translations.sh); nothing imports this module.
"""

from core.api import N_

LABELS = (N_("接访大厅"), N_("登记台"), N_("大厅看板"), N_("领导接访日"), N_("接访窗口"))

#: Visit and appointment states, leader-day outcomes (models ``VISIT_STATES``,
#: ``APPOINTMENT_STATES``, ``OUTCOMES``).
STATES = (
    N_("候谈"),
    N_("接谈中"),
    N_("当场答复"),
    N_("已登记转入办理"),
    N_("越级访已引导"),
    N_("未接谈离开"),
    N_("已预约"),
    N_("不予预约"),
    N_("已签到"),
    N_("已接谈"),
    N_("未到"),
    N_("领导批示交办"),
    N_("领导包案"),
)

#: Kinds of incidents in the hall (services/visits.py ``INCIDENT_KINDS``).
INCIDENT_KINDS = (
    N_("非法聚集、围堵、冲击"),
    N_("携带危险物品"),
    N_("侮辱、殴打、威胁工作人员"),
    N_("在接待场所滞留、滋事"),
    N_("将生活不能自理的人弃留在接待场所"),
    N_("煽动、串联、胁迫他人或以信访为名借机敛财"),
    N_("其他"),
)

#: The module's roles and permissions (module.py), on the administration pages.
ROLES = (
    N_("接访员"),
    N_("律师"),
    N_("接访单元：接谈、当场答复或转入办理"),
    N_("律师参与接访、法律咨询与论证"),
    N_("登记台：到访登记、查看来访人信访史、分流叫号"),
    N_("接访窗口：接谈记录、当场答复、登记转办、越级访引导、现场情况记录"),
    N_("维护接访窗口与值班人员"),
    N_("查看大厅看板与每日统计"),
    N_("查看领导接访日安排"),
    N_("安排并公布领导接访日、安排值班律师"),
    N_("领导接访预约与签到"),
    N_("录入领导接访结果（当场答复、批示交办、包案）"),
)
