"""Labels the templates translate at render time, for the extractor.

The module title and menu item, lifecycle steps and states, clock names. Nothing imports this.
"""

from core.api import N_

#: Module title and menu item (module.py).
MENU = (N_("信访听证"),)

#: Lifecycle steps and states (lifecycle.py; the re-review pair is core's).
STEPS = (
    N_("举行听证（复查期限中止）"),
    N_("听证结束（复查期限恢复）"),
    N_("举行听证（办理期限中止）"),
    N_("听证结束（办理期限恢复）"),
)
STATES = (N_("办理听证中（期限中止）"), N_("复查听证中（期限中止）"))

#: The clocks a hearing's page names (core's ``ClockKind`` labels; 办理期限 is in core's catalog).
CLOCKS = (N_("复查期限"), N_("复核期限"))
#: The module's own clocks (lifecycle.py ``clock_kinds``: labels and articles), shown in the
#: matter page's deadline table and the work queue.
PERIODS = (
    N_("听证申请决定期限"),
    N_("信访听证办法（受理决定）"),
    N_("听证结论期限"),
    N_("信访听证办法（书面结论）"),
)
