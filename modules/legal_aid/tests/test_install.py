"""Install, uninstall, purge; the reception session's panel (lawyers stored here by session id)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import inspect, select

from core.api import Role, db, today
from modules.legal_aid.tests.hall import lawyer, models, services, setup_hall
from tests.kit import as_, category, install_module, post_form, purge, register, uninstall


def test_install_uninstall_purge(app, as_user):
    setup_hall(app)
    with app.app_context():
        matter_id = register().id
        with as_("lawyer"):
            services.create_consultation(
                services.ConsultationInput(question="问", visitor_name="甲", minutes=10)
            )
        granted = {
            p.name
            for p in db.session.execute(select(Role).where(Role.code == "lawyer"))
            .scalar_one()
            .permissions
        }
        assert {"legal_aid.consult", "legal_aid.route", "core.cases.view"} <= granted
    c = as_user("lawyer")
    assert c.get(f"/cases/{matter_id}").status_code == 200  # on duty at XFJ
    with app.app_context():
        uninstall("legal_aid")
    # Uninstalled: its pages, its panel, its record grant and its step are gone; data kept.
    assert c.get("/legal-aid/").status_code == 404
    assert c.get(f"/cases/{matter_id}").status_code == 404
    page = as_user("supervisor").get(f"/cases/{matter_id}").get_data(as_text=True)
    assert 'id="legal-aid-matter"' not in page
    assert "导入法定途径（律师引导" not in page
    with app.app_context():
        assert db.session.execute(select(models.Consultation)).scalar_one().question == "问"
    with app.app_context():
        path = purge("legal_aid")
        tables = inspect(db.engine).get_table_names()
        assert not [t for t in tables if t.startswith("legal_aid_")]
        assert db.session.execute(select(Role).where(Role.code == "lawyer")).scalar() is None
    backup = path.read_text(encoding="utf-8")
    assert "legal_aid_lawyer" in backup and "值班律师老周" in backup


def test_a_lawyer_sits_with_the_leader_at_a_reception_session(app, as_user):
    install_module(app, "reception")
    setup_hall(app)
    with app.app_context():
        lawyer2_id = lawyer("lawyer2").id
        education = category("教育").id
    sup = as_user("supervisor")
    resp = post_form(
        sup,
        "/reception/sessions",
        {
            "leader_name": "李书记",
            "post": "县委书记",
            "portfolio": str(education),
            "day": (today() + timedelta(days=7)).isoformat(),
            "start_time": "08:00",
            "end_time": "11:00",
            "place": "县信访局",
            "capacity": "5",
        },
    )
    assert resp.status_code == 302
    url = resp.headers["Location"]
    session_id = int(re.search(r"/sessions/(\d+)", url).group(1))
    page = sup.get(url).get_data(as_text=True)
    assert 'id="legal-aid-session"' in page and "尚未安排律师" in page
    form = {"lawyer_id": str(lawyer2_id)}
    target = f"/legal-aid/sessions/{session_id}/lawyers"
    assert post_form(sup, target, form, token_from=url).status_code == 302
    page = sup.get(url).get_data(as_text=True)
    assert "值班律师小钱（沈河区法律援助中心）" in page.split('id="session-lawyers"')[1]
    post_form(sup, target, form, token_from=url)
    assert "律师值班律师小钱已安排参加本次接访。" in sup.get(url).get_data(as_text=True)
    with app.app_context():
        rows = db.session.execute(select(models.SessionLawyer)).scalars().all()
        assert [(r.session_id, r.lawyer_id) for r in rows] == [(session_id, lawyer2_id)]
