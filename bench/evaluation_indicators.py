"""A year of evaluation indicators over a million matters on PostgreSQL (issue 21).

``.venv/bin/python -m bench.evaluation_indicators [--size 1m] [--keep]``

Starts a throwaway PostgreSQL cluster (``tests/postgres_server.py``), prepares a database as the
test suite does (core installed, test agencies and users, bench's extra agencies), installs the
evaluation module, then writes ``size`` matters received over 2026 with their clocks, ratings
and repeats **in SQL** (``generate_series``; no ORM, no Python loop per matter) and times:

* ``year``: ``services.compute`` of the year period 2026 — every indicator of the module for
  every responsible unit, in one aggregate query, snapshot rows written, audited;
* ``months``: the twelve monthly periods computed one after the other (the dashboard's trend);
* ``drill``: the first page of one department's largest list (按期办结率's denominator) and its
  count, through the same code as the drill-down page.

Prints the figures and writes ``bench/results/evaluation-<stamp>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

#: One statement: the matters. Random values per row come from ``random()`` after ``setseed``.
MATTERS = """
WITH r AS (
    SELECT g,
           DATE '2026-01-01' + ((g - 1)::bigint * 365 / :n)::int AS day,  -- ids grow with days
           random() AS r1, random() AS r2, random() AS r3, random() AS r4,
           random() AS r5, random() AS r6, random() AS r7
    FROM generate_series(1, :n) AS g
), m AS (
    SELECT r.*,
           CASE WHEN r2 < 0.92 THEN (:units)[1 + floor(r3 * :nunits)::int] END AS unit,
           CASE WHEN r5 < 0.20 AND g > 5000 THEN g - 1 - floor(r6 * 4000)::int END AS repeat_of,
           CASE WHEN r4 < 0.03 THEN '["law_related"]'
                WHEN r4 < 0.05 THEN '["long_standing"]' ELSE '[]' END AS flags
    FROM r
), a AS (
    SELECT m.*,
           -- accepted by 90 % of units: on time mostly, some late; 10 % not (yet)
           CASE WHEN unit IS NOT NULL AND r7 < 0.90
                THEN day + 1 + floor(r7 * 20)::int END AS accepted
    FROM m
)
INSERT INTO core_matter (
    id, number, query_code, external_numbers, channel, purpose, handling_type, summary,
    demands, people_involved, head_count, flags, repeat_of_id, first_petition, accuser_sealed,
    state, handling_agency_id, received_on, accepted_on, reply_received_on, extended_days,
    supervised, agency_id, version, created_at, updated_at
)
SELECT g, 'EV' || lpad(g::text, 12, '0'), 'EVQ' || g, '{}',
       CASE WHEN r1 < 0.40 THEN 'online' WHEN r1 < 0.70 THEN 'visit'
            WHEN r1 < 0.85 THEN 'letter' ELSE 'phone' END,
       'remedy', 'complaint', '反映问题（评价基准数据）', '[]', 1, 1, flags::json, repeat_of,
       repeat_of IS NULL, false,
       CASE WHEN unit IS NULL THEN 'registered'
            WHEN accepted IS NULL THEN 'forwarded'
            WHEN r6 < 0.75 THEN 'review_window' ELSE 'in_handling' END,
       unit, day, accepted,
       CASE WHEN accepted IS NOT NULL AND r6 < 0.75
            THEN accepted + 5 + floor(r2 * 70)::int END,
       0, false, :bureau, 1, now(), now()
FROM a
"""
#: The clocks: the acceptance clock of every routed matter, the handling clock of the accepted.
CLOCKS = """
INSERT INTO core_clock (matter_id, kind, label, article, start, days, unit, extension_days,
                        paused, due, provisional, explanation, state, stopped_on,
                        responsible_agency_id)
SELECT id, 'acceptance', '书面告知受理', '条例第23条', received_on + 1, 15, 'calendar', 0,
       '[]'::json,
       received_on + 16, false, '',
       CASE WHEN accepted_on IS NULL THEN 'running'
            WHEN accepted_on <= received_on + 16 THEN 'met' ELSE 'missed' END,
       accepted_on, handling_agency_id
FROM core_matter WHERE handling_agency_id IS NOT NULL
UNION ALL
SELECT id, 'handling', '办理期限', '条例第34条', accepted_on, 60, 'calendar', 0,
       '[]'::json,
       accepted_on + 60, false, '',
       CASE WHEN reply_received_on IS NULL THEN 'running'
            WHEN reply_received_on - 2 <= accepted_on + 60 THEN 'met' ELSE 'missed' END,
       reply_received_on - 2, handling_agency_id
FROM core_matter WHERE accepted_on IS NOT NULL
UNION ALL
SELECT id, 'review', '复查期限', '条例第35条', reply_received_on + 10, 30, 'calendar', 0,
       '[]'::json,
       reply_received_on + 40, false, '', 'running', NULL, handling_agency_id
FROM core_matter WHERE reply_received_on IS NOT NULL AND id % 33 = 0
"""
#: Ratings of the responsible unit: 60 % of the replied, not excluded matters.
RATINGS = """
INSERT INTO core_rating (matter_id, target, value, reason, rated_at)
SELECT id, 'unit',
       CASE WHEN random() < 0.7 THEN 'satisfied'
            WHEN random() < 0.6 THEN 'basically' ELSE 'dissatisfied' END,
       '', now()
FROM core_matter
WHERE reply_received_on IS NOT NULL AND flags::text NOT LIKE '%law_related%' AND random() < 0.6
"""


def _size(text: str) -> int:
    text = text.strip().lower()
    for suffix, factor in (("m", 1_000_000), ("k", 1_000)):
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * factor)
    return int(text)


def fill(n: int, log) -> dict[str, float]:
    """Write ``n`` matters with clocks and ratings in SQL; seconds per step."""
    from sqlalchemy import select, text

    from bench.generate import add_agencies
    from core.api import Agency, db

    codes = add_agencies()
    units = [
        a.id
        for a in db.session.execute(
            select(Agency).where(Agency.level.in_(("department", "town")))
        ).scalars()
    ]
    out = {}
    conn = db.session.connection()
    conn.execute(text("SELECT setseed(0.2026)"))
    shape = {"n": n, "units": units, "nunits": len(units), "bureau": codes["XFJ"]}
    for name, sql, params in (
        ("matters", MATTERS, shape),
        ("clocks", CLOCKS, {}),
        ("ratings", RATINGS, {}),
    ):
        t0 = time.perf_counter()
        result = conn.execute(text(sql), params)
        out[name] = round(time.perf_counter() - t0, 1)
        log(f"{name}: {result.rowcount} rows in {out[name]} s")
    conn.execute(text("SELECT setval('core_matter_id_seq', (SELECT max(id) FROM core_matter))"))
    db.session.commit()
    t0 = time.perf_counter()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE core_matter"))
        c.execute(text("VACUUM ANALYZE core_clock"))
        c.execute(text("VACUUM ANALYZE core_rating"))
    out["analyze"] = round(time.perf_counter() - t0, 1)
    return out


def measure(log) -> dict:
    """Time the year, the twelve months and one drill-down list."""
    from sqlalchemy import func, select

    from core.api import Matter, db
    from modules.evaluation import services
    from modules.evaluation.models import EvaluationScore

    out: dict = {}
    year = services.create_period("", date(2026, 6, 1), None, period_type="year")
    db.session.commit()
    as_of = date(2026, 12, 31)
    t0 = time.perf_counter()
    services.compute(year, year.version, on=as_of)
    out["year_s"] = round(time.perf_counter() - t0, 2)
    scores = list(
        db.session.execute(
            select(EvaluationScore).where(EvaluationScore.period_id == year.id)
        ).scalars()
    )
    out["year_departments"] = len(scores)
    out["year_matters_counted"] = sum(s.matters for s in scores)
    log(f"year: {out['year_s']} s, {len(scores)} units, {out['year_matters_counted']} matters")
    t0 = time.perf_counter()
    for month in range(1, 13):
        period = services.create_period("", date(2026, month, 1), None, period_type="month")
        services.compute(period, period.version, on=as_of)
    out["twelve_months_s"] = round(time.perf_counter() - t0, 2)
    log(f"twelve months: {out['twelve_months_s']} s")
    biggest = max(scores, key=lambda s: s.matters)
    t0 = time.perf_counter()
    found = services.drill(year, biggest.agency_id, "on_time_completion", "denominator")
    out["drill_s"] = round(time.perf_counter() - t0, 2)
    out["drill_counted"] = found.counted
    log(f"drill-down (count + first page of {found.counted}): {out['drill_s']} s")
    out["total_matters"] = db.session.execute(select(func.count(Matter.id))).scalar_one()
    return out


def main(argv: list[str] | None = None) -> int:
    """Start PostgreSQL, fill, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1m")
    parser.add_argument("--keep", action="store_true", help="leave the PostgreSQL server running")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    n = _size(args.size)

    def log(message: str) -> None:
        print(f"[evaluation {n}] {message}", file=sys.stderr, flush=True)

    from tests.postgres_server import start_postgres

    pg = start_postgres()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        pg.execute("CREATE DATABASE bench_evaluation")
        from core.app import create_app
        from core.registry.installer import install
        from tests.plugin import _prepare

        work = RESULTS / f"work-evaluation-{os.getpid()}"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": pg.url("bench_evaluation"),
                "MINSHENG_VAR_DIR": str(work / "var"),
                "SECRET_KEY": "bench-secret",
            }
        )
        _prepare(app)
        with app.app_context():
            install(["evaluation"])
            load = os.getloadavg()
            t0 = time.perf_counter()
            filled = fill(n, log)
            filled["total_s"] = round(time.perf_counter() - t0, 1)
            figures = measure(log)
        result = {
            "size": n,
            "fill": filled,
            **figures,
            "loadavg_before": [round(x, 2) for x in load],
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            "target": "year ≤ 10 s: " + ("met" if figures["year_s"] <= 10 else "not met"),
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"evaluation-{stamp}.json").write_text(json.dumps(result, indent=2))
        print(json.dumps(result, indent=2, ensure_ascii=False))
    finally:
        if args.keep:
            print(f"PostgreSQL kept: {pg.url('bench_evaluation')}", file=sys.stderr)
        else:
            pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
