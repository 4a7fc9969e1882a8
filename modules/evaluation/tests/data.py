"""A small June 2026 data set shared by the drill-down, bulletin and browser tests.

CJJ (县住建局): A accepted on time and replied; B accepted late (06-30), never replied; S
assigned with leader 王副县长 on its 交办单, replied, then sent back (退回重办). TOWN (城关镇): F
never accepted. Judged as of 2026-09-30: 及时受理率 CJJ 2/3 (A, S on time), TOWN 0/1.
"""

from __future__ import annotations

from datetime import date

from core.api import Matter, db
from tests.kit import OPINION, agency, as_, install_module, register, step

D = date
AS_OF = D(2026, 9, 30)
EVALUATOR = {"evaluator": ("考核员小周", "evaluator", "XFJ")}


def _forward(received: date, code: str) -> int:
    mid = register(received_on=received).id
    step(mid, "supervisor", "forward", on=received, agency_id=agency(code).id)
    return mid


def _reply(mid: int, drafted: date, delivered: date) -> None:
    step(mid, "handler", "draft_opinion", on=drafted, **OPINION)
    step(mid, "cjj_leader", "approve_opinion", on=drafted)
    step(mid, "handler", "record_delivery", on=delivered, method="in_person")


def small_june(app, *, computed: bool = True) -> dict:
    """Install the module, write the matters, open (and compute) 2026年6月; ids and numbers.

    Returns outside any app context: requests made inside one would share its ``g`` (and the
    CSRF token Flask-WTF caches there) across test clients.
    """
    install_module(app, "evaluation", users=EVALUATOR)
    with app.app_context():
        from modules.evaluation import services

        a = _forward(D(2026, 6, 1), "CJJ")
        step(a, "handler", "accept", on=D(2026, 6, 3))
        _reply(a, D(2026, 6, 10), D(2026, 6, 12))
        b = _forward(D(2026, 6, 1), "CJJ")
        step(b, "handler", "accept", on=D(2026, 6, 30))
        s = register(received_on=D(2026, 6, 2)).id
        step(s, "supervisor", "assign", on=D(2026, 6, 2), agency_id=agency("CJJ").id,
             standard="查清事实并答复", deadline=D(2026, 7, 2), leader="王副县长")  # fmt: skip
        step(s, "handler", "accept", on=D(2026, 6, 3))
        _reply(s, D(2026, 6, 10), D(2026, 6, 12))
        step(s, "supervisor", "send_back", on=D(2026, 6, 15), reason="答复未说明时限，退回重办")
        f = _forward(D(2026, 6, 10), "TOWN")
        with as_("evaluator"):
            period = services.create_period("", D(2026, 6, 15), None, period_type="month")
            if computed:
                services.compute(period, period.version, on=AS_OF)
        ids = {"A": a, "B": b, "S": s, "F": f}
        return {
            "period_id": period.id,
            "page": f"/evaluation/{period.id}",
            "cjj": agency("CJJ").id,
            "town": agency("TOWN").id,
            "ids": ids,
            "numbers": {k: db.session.get(Matter, v).number for k, v in ids.items()},
        }
