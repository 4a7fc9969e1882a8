"""Helpers for the evaluation tests: install the module, an evaluator, matters in June 2026."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.registry.installer import install

D = date
PERIOD = (D(2026, 6, 1), D(2026, 6, 30))
AS_OF = D(2026, 9, 30)


def install_evaluation(app) -> None:
    with app.app_context():
        install(["evaluation"])


def add_evaluator(username: str = "evaluator") -> None:
    """An evaluator of XFJ (the shared fixtures have none); password as the others."""
    from core.accounts.models import Role, User
    from core.accounts.passwords import hash_password
    from core.extensions import db
    from tests.cases_support import agency
    from tests.plugin import PASSWORD

    role = db.session.execute(select(Role).where(Role.code == "evaluator")).scalar_one()
    db.session.add(
        User(
            username=username,
            display_name="考核员小周",
            password_hash=hash_password(PASSWORD),
            roles=[role],
            agency_id=agency("XFJ").id,
        )
    )
    db.session.commit()


OPINION = {
    "facts": "经查，协议约定的补偿款尚有 3 万元未支付。",
    "basis": "《国有土地上房屋征收与补偿条例》第二十五条",
    "demands": [{"demand": "补发拆迁补偿款", "outcome": "support"}],
}


def _forward(received: date, code: str, on: date) -> int:
    from tests.cases_support import agency, register, step

    mid = register(received_on=received).id
    step(mid, "supervisor", "forward", on=on, agency_id=agency(code).id)
    return mid


def _reply(mid: int, drafted: date, delivered: date) -> None:
    from tests.cases_support import step

    step(mid, "handler", "draft_opinion", on=drafted, **OPINION)
    step(mid, "cjj_leader", "approve_opinion", on=drafted)
    step(mid, "handler", "record_delivery", on=delivered, method="in_person")


def _rate(mid: int, value: str, on: date) -> None:
    from core.api import Matter, rate_by_petitioner
    from core.extensions import db

    matter = db.session.get(Matter, mid)
    reason = "补偿款仍未到位" if value == "dissatisfied" else ""
    rate_by_petitioner(matter, {"unit": value}, reason, on=on)
    db.session.commit()


def june_matters() -> dict[str, int]:
    """Matters of 住建局 (CJJ) and 城关镇 (TOWN) whose rates the tests check exactly.

    CJJ  A: accepted on time, replied on time, rated 基本满意
         B: accepted late (6-30, due 6-17), handling overdue without reply
         C: accepted on time, replied on time, rated 不满意
         D: accepted on time, replied on time, never rated (window expired by 9-30)
    TOWN E: accepted on time, handling overdue without reply
         F: never accepted, acceptance overdue
         G: received in July: outside the period
    And one matter never routed (no responsible department).
    """
    from tests.cases_support import register, step

    out = {}
    out["A"] = a = _forward(D(2026, 6, 1), "CJJ", D(2026, 6, 2))
    step(a, "handler", "accept", on=D(2026, 6, 3))
    _reply(a, D(2026, 6, 10), D(2026, 6, 12))
    _rate(a, "basically", D(2026, 6, 20))
    out["B"] = b = _forward(D(2026, 6, 1), "CJJ", D(2026, 6, 2))
    step(b, "handler", "accept", on=D(2026, 6, 30))
    out["C"] = c = _forward(D(2026, 6, 5), "CJJ", D(2026, 6, 5))
    step(c, "handler", "accept", on=D(2026, 6, 6))
    _reply(c, D(2026, 6, 12), D(2026, 6, 15))
    _rate(c, "dissatisfied", D(2026, 6, 20))
    out["D"] = d = _forward(D(2026, 6, 8), "CJJ", D(2026, 6, 8))
    step(d, "handler", "accept", on=D(2026, 6, 9))
    _reply(d, D(2026, 6, 15), D(2026, 6, 20))
    out["E"] = e = _forward(D(2026, 6, 1), "TOWN", D(2026, 6, 2))
    step(e, "town_handler", "accept", on=D(2026, 6, 3))
    out["F"] = _forward(D(2026, 6, 10), "TOWN", D(2026, 6, 10))
    out["G"] = _forward(D(2026, 7, 1), "TOWN", D(2026, 7, 1))
    out["unrouted"] = register(received_on=D(2026, 6, 3)).id
    return out
