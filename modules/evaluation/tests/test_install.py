"""Install, uninstall and purge; the demo loader; the migration matches the models.

Uninstalling keeps the module's tables and the case file; purging drops only the
``evaluation_`` tables (kept in the purge's backup) and the role it brought.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from core.api import Matter, Role, db
from tests.kit import install, login, migration_diff, purge, uninstall

from .data import small_june

TABLES = {
    "evaluation_adjustment",
    "evaluation_assessment",
    "evaluation_bulletin",
    "evaluation_indicator",
    "evaluation_period",
    "evaluation_scheme",
    "evaluation_score",
}


def test_install_uninstall_purge(app, as_user):
    june = small_june(app)
    assert migration_diff(app, "evaluation") == []
    c = as_user("evaluator")
    assert c.get(june["page"]).status_code == 200
    c.get("/healthz")  # ends the page's session before the DDL (SQLite)
    with app.app_context():
        matters = db.session.execute(select(func.count()).select_from(Matter)).scalar_one()
        assert set(inspect(db.engine).get_table_names()) >= TABLES
        uninstall("evaluation")
        db.session.remove()
        assert set(inspect(db.engine).get_table_names()) >= TABLES  # data kept
    assert as_user("leader").get(june["page"]).status_code == 404  # the pages are gone
    with app.app_context():
        backup = purge("evaluation")
        db.session.remove()
        assert not TABLES & set(inspect(db.engine).get_table_names())
        assert db.session.execute(select(func.count()).select_from(Matter)).scalar_one() == matters
        assert db.session.execute(select(Role).where(Role.code == "evaluator")).first() is None
    assert "evaluation_score" in backup.read_text(encoding="utf-8")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_demo_gives_the_evaluator_a_period_with_figures(app):
    with app.app_context():
        install(["evaluation"])
    runner = app.test_cli_runner()
    for _ in range(2):  # idempotent
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        from modules.evaluation.models import EvaluationPeriod, EvaluationScore

        periods = db.session.execute(select(EvaluationPeriod.period_type)).scalars().all()
        assert sorted(periods) == ["month", "year"]
        assert db.session.execute(select(func.count(EvaluationScore.id))).scalar_one() > 0
        password = app.config["MINSHENG_VAR_DIR"] + "/demo-password.txt"
    with open(password, encoding="utf-8") as f:
        secret = f.read().strip()
    c = app.test_client()
    assert login(c, "evaluator", secret).status_code == 302
    html = c.get("/evaluation/").get_data(as_text=True)
    assert "年度" in html and "月度" in html
