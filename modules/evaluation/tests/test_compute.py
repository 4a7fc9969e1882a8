"""Every indicator's formula against a data set whose answers are computed by hand (§5.2–5.3).

June 2026, judged as of 2026-09-30 (rating window 30 days: a reply delivered before 08-31 and not
rated is 超期未评价). 住建局 (CJJ) and 城关镇 (TOWN) are the responsible units.

CJJ, received in June:
  A  online, accepted on time, replied on time (06-12), rated unit 基本满意 / bureau 满意;
     a later petition R is recorded as its repeat (so A is neither 化解 nor 息访)
  B  accepted late (06-30, due 06-17), handling overdue and not replied (超期未答复)
  C  on time, replied 06-15, rated 不满意
  D  on time, replied 06-20, never rated: window expired (超期未评价)
  H  涉法涉诉 (flag law_related), on time, replied 06-20, not rated: excluded from rating and 化解
  R  repeat of A (letter), on time, replied 07-10, review requested 07-15, not rated: expired
  P  on time, opinion drafted 09-15 after its due date (超期答复), replied 09-20: rating pending
Backlog of CJJ (flag 积案, received before June): K replied 06-15 (化解), K2 not replied.
TOWN: E accepted, handling overdue; F never accepted, overdue; Q forwarded 06-29, acceptance
due 07-14; G received in July (outside). One matter never routed (no responsible unit).

Hand-computed (numerator, denominator) for CJJ: 及时受理 6/7 (B late); 按期办结 5/7 (B overdue,
P late); 参评 2/4 (A, C rated; D, R expired; H excluded; P pending; B not replied); 满意 1/2
(基本满意 counts); 重复信访 1/7 (R); 一次性化解 2/5 (replied A C D R P; D, P resolved: A has a
repeat, C 不满意, R reviewed); 初信初访化解 2/5 (accepted first petitions A B C D P); 重信重访化解
0/1 (R); 历史积案化解 1/2 (K of K, K2); 网信占比 1/7 (A); 息访 4/5 (all replied but A).
"""

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
ZERO = (0, 0)


def _forward(received: date, code: str, on: date, **kw) -> int:
    mid = register(received_on=received, **kw).id
    step(mid, "supervisor", "forward", on=on, agency_id=agency(code).id)
    return mid


def _handled(received: date, accepted: date, drafted: date, delivered: date, **kw) -> int:
    mid = _forward(received, "CJJ", received, **kw)
    step(mid, "handler", "accept", on=accepted)
    _reply(mid, drafted, delivered)
    return mid


def _reply(mid: int, drafted: date, delivered: date) -> None:
    step(mid, "handler", "draft_opinion", on=drafted, **OPINION)
    step(mid, "cjj_leader", "approve_opinion", on=drafted)
    step(mid, "handler", "record_delivery", on=delivered, method="in_person")


def _rate(mid: int, values: dict[str, str], on: date) -> None:
    matter = db.session.get(Matter, mid)
    reason = "补偿款仍未到位" if "dissatisfied" in values.values() else ""
    rate_by_petitioner(matter, values, reason, on=on)
    db.session.commit()


def june_matters() -> dict[str, int]:
    """The data set of the module docstring; returns the matters' ids by letter."""
    out: dict[str, int] = {}
    out["A"] = a = _handled(D(2026, 6, 1), D(2026, 6, 3), D(2026, 6, 10), D(2026, 6, 12),
                            channel="online")  # fmt: skip
    _rate(a, {"unit": "basically", "bureau": "satisfied"}, D(2026, 6, 20))
    out["B"] = b = _forward(D(2026, 6, 1), "CJJ", D(2026, 6, 2))
    step(b, "handler", "accept", on=D(2026, 6, 30))
    out["C"] = c = _handled(D(2026, 6, 5), D(2026, 6, 6), D(2026, 6, 12), D(2026, 6, 15))
    _rate(c, {"unit": "dissatisfied"}, D(2026, 6, 20))
    out["D"] = _handled(D(2026, 6, 8), D(2026, 6, 9), D(2026, 6, 15), D(2026, 6, 20))
    out["H"] = _handled(D(2026, 6, 8), D(2026, 6, 9), D(2026, 6, 15), D(2026, 6, 20),
                        flags=["law_related"])  # fmt: skip
    out["R"] = r = _handled(D(2026, 6, 25), D(2026, 6, 26), D(2026, 7, 8), D(2026, 7, 10),
                            channel="letter", repeat_of_id=a)  # fmt: skip
    step(r, "leader", "request_review", on=D(2026, 7, 15))
    out["P"] = _handled(D(2026, 6, 20), D(2026, 6, 21), D(2026, 9, 15), D(2026, 9, 20))
    out["K"] = _handled(D(2026, 3, 2), D(2026, 3, 3), D(2026, 6, 10), D(2026, 6, 15),
                        flags=["long_standing"])  # fmt: skip
    out["K2"] = k2 = _forward(D(2026, 1, 12), "CJJ", D(2026, 1, 12), flags=["long_standing"])
    step(k2, "handler", "accept", on=D(2026, 1, 13))
    out["E"] = e = _forward(D(2026, 6, 1), "TOWN", D(2026, 6, 2))
    step(e, "town_handler", "accept", on=D(2026, 6, 3))
    out["F"] = _forward(D(2026, 6, 10), "TOWN", D(2026, 6, 10))
    out["Q"] = _forward(D(2026, 6, 29), "TOWN", D(2026, 6, 29))
    out["G"] = _forward(D(2026, 7, 1), "TOWN", D(2026, 7, 1))
    out["unrouted"] = register(received_on=D(2026, 6, 3)).id
    return out


CJJ = {
    "timely_acceptance": (6, 7),
    "on_time_completion": (5, 7),
    "participation": (2, 4),
    "satisfaction": (1, 2),
    "repeat_rate": (1, 7),
    "first_time_resolution": (2, 5),
    "first_petition_resolution": (2, 5),
    "repeat_petition_resolution": (0, 1),
    "backlog_resolution": (1, 2),
    "online_share": (1, 7),
    "settled": (4, 5),
}
TOWN = {
    "timely_acceptance": (1, 3),
    "on_time_completion": (0, 1),
    "participation": ZERO,
    "satisfaction": ZERO,
    "repeat_rate": (0, 3),
    "first_time_resolution": ZERO,
    "first_petition_resolution": (0, 1),
    "repeat_petition_resolution": ZERO,
    "backlog_resolution": ZERO,
    "online_share": (0, 3),
    "settled": ZERO,
}


def _period(**kw):
    from modules.evaluation import services

    with as_("evaluator"):
        return services.create_period("2026年6月", *PERIOD, **kw)


def _compute(period, on=AS_OF):
    from modules.evaluation import services

    with as_("evaluator"):
        services.compute(period, period.version, on=on)


def _rows(period_id: int) -> dict[str, dict[str, tuple[int, int]]]:
    from modules.evaluation.models import EvaluationScore

    out = {}
    for s in db.session.execute(
        select(EvaluationScore).where(EvaluationScore.period_id == period_id)
    ).scalars():
        out[s.agency.code] = {r["code"]: (r["numerator"], r["denominator"]) for r in s.indicators}
        out[s.agency.code]["matters"] = s.matters
    return out


@pytest.fixture
def june(app):
    install_module(app, "evaluation", users=EVALUATOR)
    with app.app_context():
        ids = june_matters()
        period = _period()
        _compute(period)
        yield period, ids


def test_default_scheme_has_every_indicator_and_weights_sum_to_100(app):
    from modules.evaluation.indicators import INDICATORS

    install_module(app, "evaluation")
    with app.app_context():
        from modules.evaluation.services import default_scheme

        scheme = default_scheme()
        assert [i.code for i in scheme.indicators] == [i.code for i in INDICATORS]
        assert sum(i.weight for i in scheme.indicators) == 100


def test_every_indicator_per_responsible_unit_by_hand(june):
    period, _ids = june
    rows = _rows(period.id)
    assert set(rows) == {"CJJ", "TOWN"}  # the unrouted and July matters are not counted
    assert rows["CJJ"] == {**CJJ, "matters": 7}
    assert rows["TOWN"] == {**TOWN, "matters": 3}


def test_a_quarter_and_a_year_take_their_bounds_and_names_from_any_day_in_them(june):
    from modules.evaluation import services

    period, _ids = june
    with as_("evaluator"):
        quarter = services.create_period("", D(2026, 5, 17), None, period_type="quarter")
        year = services.create_period("", D(2026, 8, 3), None, period_type="year")
    assert (quarter.starts_on, quarter.ends_on, quarter.name) == (
        D(2026, 4, 1),
        D(2026, 6, 30),
        "2026年第2季度",
    )
    assert (year.starts_on, year.ends_on, year.name) == (D(2026, 1, 1), D(2026, 12, 31), "2026年度")
    # Nothing was received in April or May: the second quarter counts what June counts.
    _compute(quarter)
    assert _rows(quarter.id) == _rows(period.id)


def test_as_of_an_earlier_day_a_deadline_not_yet_due_is_not_counted(june):
    period, _ids = june
    _compute(period, on=D(2026, 7, 1))
    rows = _rows(period.id)
    # Q's acceptance is due 07-14: not counted on 07-01; F (due 06-25) already overdue.
    assert rows["TOWN"]["timely_acceptance"] == (1, 2)
    # On 07-01 R's reply (07-10) and P's (09-20) had not come, K2 still open: no rating yet.
    assert rows["CJJ"]["participation"] == (2, 2)
    assert rows["CJJ"]["first_time_resolution"] == (1, 3)  # replied A, C, D; D resolved
    # A, C, D, H replied on time; B, R (drafted 07-08), P (09-15) still open then, none overdue.
    assert rows["CJJ"]["on_time_completion"] == (4, 7)


def test_scores_with_targets_deductions_and_caps_by_hand(june):
    from modules.evaluation import services

    period, _ids = june
    ranking = services.ranking(period)
    assert [(r.rank, r.score.agency.code) for r in ranking] == [(1, "CJJ"), (2, "TOWN")]
    # CJJ: 20×6/7=17.14 + 25×5/7=17.86 + 20×1/2=10 + 5×2/4=2.5 + 10×2/5=4
    #      + 初信初访 40% < 90%: 50 points × 1, capped at 10 → 0 + 重信重访 0% → cap 5 → 0
    #      + 积案 50% < 70%, 1 matter short × 1 → 5 − 1 = 4; weights judged 100 → 55.50
    assert ranking[0].score.base_score == 55.5
    # TOWN: only 及时受理 (20×1/3=6.67), 按期办结 (0) and 初信初访 (0) judged: 100×6.67/55
    assert ranking[1].score.base_score == 12.13


def test_basically_satisfied_counts_only_when_the_scheme_says_so(june):
    period, _ids = june
    period.scheme.basically_counts = False
    db.session.commit()
    _compute(period)
    assert _rows(period.id)["CJJ"]["satisfaction"] == (0, 2)


def test_petition_department_scope_channel_and_subtree(june):
    _period_unit, _ids = june
    bureau = _period(scope="bureau")
    _compute(bureau)
    xfj = _rows(bureau.id)["XFJ"]
    # XFJ registered all 11 June matters; its own deadline is 登记转送交办 (15 days): every
    # routed matter was forwarded in time, the unrouted one never (overdue).
    assert xfj["matters"] == 11
    assert xfj["timely_acceptance"] == (10, 11)
    # The bureau object: only A rated it; A, C, D, R expired or rated (H excluded).
    assert xfj["participation"] == (1, 4)
    assert xfj["satisfaction"] == (1, 1)
    online = _period(channel="online")
    _compute(online)
    assert _rows(online.id) == {"CJJ": {**_only_a(), "matters": 1}}
    town = _period(root_agency_id=agency("TOWN").id)
    _compute(town)
    assert set(_rows(town.id)) == {"TOWN"}


def _only_a() -> dict[str, tuple[int, int]]:
    """CJJ's figures when only matter A (the online one) is read."""
    return {
        "timely_acceptance": (1, 1),
        "on_time_completion": (1, 1),
        "participation": (1, 1),
        "satisfaction": (1, 1),
        "repeat_rate": (0, 1),
        "first_time_resolution": (0, 1),
        "first_petition_resolution": (0, 1),
        "repeat_petition_resolution": ZERO,
        "backlog_resolution": ZERO,  # K and K2 came by visit
        "online_share": (1, 1),
        "settled": (0, 1),
    }


def test_snapshot_does_not_follow_the_case_file_until_recomputed(june):
    period, ids = june
    step(ids["F"], "town_handler", "accept", on=AS_OF)  # accepted late (超期受理)
    assert _rows(period.id)["TOWN"]["on_time_completion"] == (0, 1)  # the snapshot stands
    _compute(period)
    # Still late on acceptance; its new handling clock runs, not yet replied (未答复).
    assert _rows(period.id)["TOWN"]["timely_acceptance"] == (1, 3)
    assert _rows(period.id)["TOWN"]["on_time_completion"] == (0, 2)


@pytest.mark.parametrize(
    ("item", "num", "den", "points"),
    [
        ({"weight": 20}, 3, 4, 15.0),  # proportional
        ({"weight": 10, "better": "lower"}, 1, 4, 7.5),  # a falling rate: weight × (1 − rate)
        ({"weight": 10, "target": 90, "deduction": 2}, 9, 10, 10.0),  # target reached
        ({"weight": 10, "target": 90, "deduction": 2}, 87, 100, 4.0),  # 3 points short × 2
        ({"weight": 10, "target": 90, "deduction": 2, "cap": 5}, 80, 100, 5.0),  # capped at 5
        ({"weight": 10, "target": 90, "deduction": 3, "deduction_unit": "matter"}, 7, 9, 4.0),
        ({"weight": 10, "target": 5, "deduction": 1, "better": "lower"}, 2, 25, 7.0),  # 8% > 5%
        ({"weight": 10}, 0, 0, None),  # nothing to judge
    ],
)
def test_item_points(item, num, den, points):
    from modules.evaluation.services.scoring import item_points

    assert item_points({"deduction_unit": "point", **item}, num, den) == points
