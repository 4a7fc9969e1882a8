"""Computation of the three rates plus participation per responsible department (§5.3)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.api import Matter, db, rate_by_petitioner
from tests.kit import OPINION, agency, as_, install_module, register, step

D = date
PERIOD = (D(2026, 6, 1), D(2026, 6, 30))
AS_OF = D(2026, 9, 30)
EVALUATOR = {"evaluator": ("考核员小周", "evaluator", "XFJ")}


def _forward(received: date, code: str, on: date) -> int:
    mid = register(received_on=received).id
    step(mid, "supervisor", "forward", on=on, agency_id=agency(code).id)
    return mid


def _reply(mid: int, drafted: date, delivered: date) -> None:
    step(mid, "handler", "draft_opinion", on=drafted, **OPINION)
    step(mid, "cjj_leader", "approve_opinion", on=drafted)
    step(mid, "handler", "record_delivery", on=delivered, method="in_person")


def _rate(mid: int, value: str, on: date) -> None:
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


def _period():
    from modules.evaluation import services

    with as_("evaluator"):
        return services.create_period("2026年6月", *PERIOD)


def _rows(period_id: int) -> dict[str, dict[str, tuple[int, int]]]:
    from modules.evaluation.models import EvaluationScore

    out = {}
    for s in db.session.execute(
        select(EvaluationScore).where(EvaluationScore.period_id == period_id)
    ).scalars():
        out[s.agency.code] = {r["code"]: (r["numerator"], r["denominator"]) for r in s.indicators}
    return out


@pytest.fixture
def computed(app):
    install_module(app, "evaluation", users=EVALUATOR)
    with app.app_context():
        ids = june_matters()
        period = _period()
        from modules.evaluation import services

        with as_("evaluator"):
            services.compute(period, period.version, on=AS_OF)
        yield period, ids


def test_default_scheme_weights_sum_to_100(app):
    install_module(app, "evaluation")
    with app.app_context():
        from modules.evaluation.services import default_scheme

        scheme = default_scheme()
        assert [i.name for i in scheme.indicators] == [
            "及时受理率",
            "按期办结率",
            "群众满意率",
            "参评率",
        ]
        assert sum(i.weight for i in scheme.indicators) == 100


def test_rates_per_department_exactly(computed):
    period, _ids = computed
    rows = _rows(period.id)
    assert set(rows) == {"CJJ", "TOWN"}  # the unrouted and July matters are not counted
    assert rows["CJJ"] == {
        "timely_acceptance": (3, 4),
        "on_time_completion": (3, 4),
        "satisfaction": (1, 2),
        "participation": (2, 3),
    }
    assert rows["TOWN"] == {
        "timely_acceptance": (1, 2),
        "on_time_completion": (0, 1),
        "satisfaction": (0, 0),
        "participation": (0, 0),
    }


def test_weighted_scores_and_ranking(computed):
    from modules.evaluation import services

    period, _ids = computed
    ranking = services.ranking(period)
    assert [(r.rank, r.score.agency.code) for r in ranking] == [(1, "CJJ"), (2, "TOWN")]
    # CJJ: 25×3/4 + 35×3/4 + 30×1/2 + 10×2/3 = 66.67
    assert ranking[0].score.base_score == 66.67
    # TOWN: no ratings, so only 25 + 35 points are judged: 100 × (25×1/2) / 60 = 20.83
    assert ranking[1].score.base_score == 20.83
    assert period.computed_at is not None and period.computed_as_of == AS_OF


def test_snapshot_does_not_follow_the_case_file_until_recomputed(computed):
    from modules.evaluation import services

    period, ids = computed
    step(ids["F"], "town_handler", "accept", on=AS_OF)  # accepted late (超期受理)
    assert _rows(period.id)["TOWN"]["on_time_completion"] == (0, 1)  # the snapshot stands
    with as_("evaluator"):
        services.compute(period, period.version, on=AS_OF)
    # Still late on acceptance; its new handling clock runs, not yet replied (未答复).
    assert _rows(period.id)["TOWN"]["timely_acceptance"] == (1, 2)
    assert _rows(period.id)["TOWN"]["on_time_completion"] == (0, 2)


def test_basically_satisfied_counts_only_when_the_scheme_says_so(computed):
    from modules.evaluation import services

    period, _ids = computed
    assert _rows(period.id)["CJJ"]["satisfaction"] == (1, 2)  # A 基本满意 counts, C 不满意
    period.scheme.basically_counts = False
    db.session.commit()
    with as_("evaluator"):
        services.compute(period, period.version, on=AS_OF)
    assert _rows(period.id)["CJJ"]["satisfaction"] == (0, 2)


def test_snapshot_names_the_matters_that_counted_against(computed):
    from modules.evaluation.models import EvaluationScore

    period, ids = computed
    score = db.session.execute(
        select(EvaluationScore).where(EvaluationScore.period_id == period.id)
    ).scalars()
    misses = {
        (s.agency.code, r["code"]): sorted(mid for mid, _number in r["misses"])
        for s in score
        for r in s.indicators
    }
    assert misses[("CJJ", "timely_acceptance")] == [ids["B"]]
    assert misses[("CJJ", "on_time_completion")] == [ids["B"]]
    assert misses[("CJJ", "satisfaction")] == [ids["C"]]
    assert misses[("CJJ", "participation")] == [ids["D"]]
    assert misses[("TOWN", "timely_acceptance")] == [ids["F"]]
    assert misses[("TOWN", "on_time_completion")] == [ids["E"]]
