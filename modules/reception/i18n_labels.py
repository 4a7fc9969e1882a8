"""Labels the templates translate at render time (menu items, module title), for the extractor."""

from core.api import N_

LABELS = (N_("接访大厅"), N_("登记台"), N_("大厅看板"), N_("领导接访日"), N_("接访窗口"))
