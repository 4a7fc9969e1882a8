"""Labels the templates translate at render time, for the extractor (nothing imports this).

The lifecycle step, the lawyers' statuses and the examples on the consultation form are data in
Python that the templates pass through ``_()`` or ``pgettext()`` as they render.
"""

from core.api import N_

#: The step of lifecycle.py (``Transition.label``, listed on the matter page).
STEPS = (N_("导入法定途径（律师引导，诉访分离）"),)

#: The commissioned opinion's clock (lifecycle.py ``clock_kinds``: label and article), shown in
#: the matter page's deadline table and the work queue.
CLOCKS = (N_("法律论证期限"), N_("委托法律论证（委托时指定）"))

#: The competent bodies offered as examples under the consultation form (``BODY_HINTS``).
BODY_HINTS = (
    N_("××区人民法院"),
    N_("××市中级人民法院 / ××市人民检察院"),
    N_("××仲裁委员会"),
    N_("××区劳动人事争议仲裁委员会"),
    N_("××区人民政府（行政复议机关）"),
    N_("××区法律援助中心"),
)


def pgettext(context: str, message: str) -> str:
    """Marks ``message`` in ``context`` for the extractor (a default keyword); returns it."""
    return message


#: A lawyer's standing on the roster (models/lawyers.py ``STATUSES``), which the templates show
#: through ``pgettext('lawyer status', ...)``: the app merges every catalog into one, and the
#: plain 退出 is core's "Log out".
LAWYER_STATUSES = (
    pgettext("lawyer status", "在册"),
    pgettext("lawyer status", "暂停"),
    pgettext("lawyer status", "退出"),
)
