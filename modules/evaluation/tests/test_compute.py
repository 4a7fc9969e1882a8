"""Computation of the three rates plus participation per responsible department (§5.3)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from tests.cases_support import as_

from .support import AS_OF, PERIOD, add_evaluator, install_evaluation, june_matters


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
    install_evaluation(app)
    with app.app_context():
        add_evaluator()
        ids = june_matters()
        period = _period()
        from modules.evaluation import services

        with as_("evaluator"):
            services.compute(period, period.version, on=AS_OF)
        yield period, ids


def test_default_scheme_weights_sum_to_100(app):
    install_evaluation(app)
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
    from tests.cases_support import step

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
