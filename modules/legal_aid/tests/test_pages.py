"""Every page of the desk renders for the people who use it; forms post back with the CSRF
token; the roster and schedule forms refuse bad input with messages on the fields."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from core.api import db, today
from modules.legal_aid.tests.hall import lawyer, models, services, setup_hall
from tests.kit import as_, post_form, register, shown_version


def test_every_page_renders(app, as_user):
    setup_hall(app)
    with app.app_context():
        m = register()
        matter_id = m.id
        with as_("lawyer"):
            c = services.create_consultation(
                services.ConsultationInput(question="问", visitor_name="甲", minutes=15)
            )
        with as_("supervisor"):
            o = services.commission(m, lawyer("lawyer"), "问题", today() + timedelta(days=9))
        ids = {"c": c.id, "o": o.id, "l": lawyer("lawyer").id}
    pages = {
        "supervisor": [
            "/legal-aid/",
            "/legal-aid/schedule",
            "/legal-aid/roster",
            f"/legal-aid/roster/{ids['l']}",
            "/legal-aid/hours",
            f"/legal-aid/matters/{matter_id}",
            f"/legal-aid/opinions/{ids['o']}",
            "/legal-aid/consultations?show=all",
            f"/cases/{matter_id}",
        ],
        "lawyer": [
            "/legal-aid/",
            "/legal-aid/consultations",
            "/legal-aid/consultations/new",
            f"/legal-aid/consultations/new?matter={matter_id}",
            f"/legal-aid/consultations/{ids['c']}",
            f"/legal-aid/opinions/{ids['o']}",
            f"/cases/{matter_id}",
        ],
    }
    for username, urls in pages.items():
        client = as_user(username)
        for url in urls:
            resp = client.get(url)
            assert resp.status_code == 200, (username, url)
    desk = as_user("lawyer").get("/legal-aid/").get_data(as_text=True)
    assert "值班律师老周（本人）" in desk
    matter_page = as_user("lawyer").get(f"/cases/{matter_id}").get_data(as_text=True)
    assert 'id="legal-aid-matter"' in matter_page and "记录法律咨询" in matter_page


def test_roster_forms(app, as_user):
    setup_hall(app, on_duty=False)
    sup = as_user("supervisor")
    resp = post_form(
        sup,
        "/legal-aid/roster",
        {"name": "林律师", "firm": "辽宁某律师事务所", "licence_no": "X-1", "username": "clerk"},
    )
    assert resp.status_code == 422
    assert "账户“clerk”没有律师角色" in resp.get_data(as_text=True)
    resp = post_form(
        sup, "/legal-aid/roster", {"name": "林律师", "firm": "辽宁某律师事务所", "eligible": "y"}
    )
    assert resp.status_code == 302
    url = resp.headers["Location"]
    version = shown_version(sup.get(url).get_data(as_text=True))
    resp = post_form(
        sup, url + "/status", {"status": "retired", "reason": "退休", "version": version}
    )
    assert resp.status_code == 302
    page = sup.get(url).get_data(as_text=True)
    assert "退出" in page and "退休" in page and "入库" in page


def test_schedule_forms(app, as_user):
    setup_hall(app, on_duty=False)
    with app.app_context():
        lawyer_id = lawyer("lawyer").id
    sup = as_user("supervisor")
    resp = post_form(
        sup,
        "/legal-aid/schedule/slots",
        {"day": "2026-10-01", "half_day": "am", "lawyer_id": str(lawyer_id), "place_kind": "hall"},
        token_from="/legal-aid/schedule",
    )
    assert resp.status_code == 422
    assert "2026-10-01 是国庆节（非工作日），不能排班。" in resp.get_data(as_text=True)
    resp = post_form(
        sup,
        "/legal-aid/schedule/patterns",
        {
            "lawyer_id": str(lawyer_id),
            "weekdays": ["0", "2"],
            "half_day": "pm",
            "place_kind": "court",
            "place": "县人民法院",
            "starts_on": "2026-09-28",
            "ends_on": "2026-10-14",
        },
        token_from="/legal-aid/schedule",
    )
    assert resp.status_code == 302
    page = sup.get("/legal-aid/schedule?start=2026-09-28").get_data(as_text=True)
    assert "跳过非工作日：2026-10-05、2026-10-07" in page
    # Two weeks from 28 September show the first two; the pattern made four.
    assert page.count('data-day="2026-') == 2
    with app.app_context():
        days = db.session.execute(select(models.DutySlot.day)).scalars().all()
        assert sorted(days) == [
            date(2026, 9, 28),
            date(2026, 9, 30),
            date(2026, 10, 12),
            date(2026, 10, 14),
        ]
