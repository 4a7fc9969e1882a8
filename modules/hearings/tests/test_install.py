"""Install, uninstall and purge on a database holding other modules' data and matters.

With legal_aid installed beside it and holding a lawyer attached to a matter: uninstalling
hearings takes its panel and steps off the matter page and keeps its rows; purging drops only
the ``hearings_`` tables, leaves the matters and legal_aid's rows as they were, and the
documents it issued stay frozen on the matters.
"""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from core.api import Matter, db
from tests.kit import as_, install, lazy_module, migration_diff, purge, register, uninstall

from .hearing_kit import docs, matter_at, plan, services, setup

legal_aid = lazy_module("modules.legal_aid.services")

TABLES = {
    "hearings_application",
    "hearings_assessment",
    "hearings_hearing",
    "hearings_panelist",
    "hearings_participant",
    "hearings_venue",
}


def _rows(prefix: str) -> dict[str, int]:
    """Row counts of the tables whose name starts with ``prefix``."""
    db.session.remove()
    present = set(inspect(db.engine).get_table_names())
    return {
        name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in db.metadata.tables.items()
        if name.startswith(prefix) and name in present
    }


def test_install_uninstall_purge_beside_other_modules(app, as_user):
    with app.app_context():
        install(["legal_aid"])
        db.session.remove()
        others = {t for t in inspect(db.engine).get_table_names() if t.startswith("legal_aid_")}
        assert others
    setup(app)
    assert migration_diff(app, "hearings") == []
    with app.app_context():
        plain = register().id
        with as_("supervisor"):
            counsel = legal_aid.save_lawyer(None, legal_aid.LawyerInput(name="律师甲"))
            legal_aid.assign(db.session.get(Matter, plain), counsel)
        theirs = _rows("legal_aid_")
        assert theirs["legal_aid_assignment"] == 1
        mid = matter_at("rereview")
        with as_("officer"):
            services.schedule(db.session.get(Matter, mid), plan())
        matters = db.session.execute(select(func.count()).select_from(Matter)).scalar_one()
        db.session.remove()
        assert set(inspect(db.engine).get_table_names()) >= TABLES
    leader = as_user("leader")
    page = leader.get(f"/cases/{mid}").get_data(as_text=True)
    assert 'id="hearings-panel"' in page and "举行听证（复核期限中止）" in page
    leader.get("/healthz")  # ends the page's session before the DDL (SQLite)
    with app.app_context():
        uninstall("hearings")
        assert _rows("hearings_")["hearings_hearing"] == 1  # uninstalled, the data kept
        backup = purge("hearings")
        db.session.remove()
        tables = set(inspect(db.engine).get_table_names())
        assert not TABLES & tables
        assert others <= tables and _rows("legal_aid_") == theirs
        assert db.session.execute(select(func.count()).select_from(Matter)).scalar_one() == matters
        # What was issued stays on the case file.
        assert [d.title for d in docs(mid, "hearing_notice")] == ["听证通知书"]
        db.session.remove()
    assert "hearings_hearing" in backup.read_text(encoding="utf-8")
    # (The pages are read last: a test client keeps its last request's session open, which on
    # SQLite would hold the purge's DDL back.)
    page = leader.get(f"/cases/{mid}").get_data(as_text=True)
    assert 'id="hearings-panel"' not in page and "举行听证（复核期限中止）" not in page
    assert leader.get(f"/cases/{plain}").status_code == 200
    assert leader.get("/hearings/").status_code == 404
