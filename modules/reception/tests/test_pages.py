"""The hall's pages through the test client: desk → visit → slip; leader day; board; rights."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.api import Matter, db
from tests.kit import VALID_ID, agency, category, csrf_token, install_module, lazy_module, user

# The module's code, imported when first used rather than at collection.
svc = lazy_module("modules.reception.services")
models = lazy_module("modules.reception.models")
#: The hall's officer (the shared test users have none).
HALL_STAFF = {"officer": ("接访员小李", "reception_officer", "XFJ")}


@pytest.fixture
def hall(app):
    install_module(app, "reception", users=HALL_STAFF)
    return app


def test_desk_to_unit_to_assignment_slip(hall, as_user):
    clerk = as_user("clerk")
    token = csrf_token(clerk, "/reception/desk")
    with hall.app_context():
        cat = category("拖欠工资").id
    form = {
        "csrf_token": token,
        "name": "王大明",
        "id_number": VALID_ID,
        "category_id": str(cat),
        "summary": "单位拖欠工资",
        "head_count": "1",
    }
    lookup = clerk.post("/reception/desk", data={**form, "action": "lookup"})
    html = lookup.get_data(as_text=True)
    assert lookup.status_code == 200 and "来访人信访史" in html and "帮扶济困窗口" in html
    resp = clerk.post("/reception/desk", data={**form, "action": "arrive"})
    assert resp.status_code == 302
    visit_url = resp.headers["Location"]
    assert "今日第 1 号" in clerk.get(visit_url).get_data(as_text=True)
    # The desk may not record the visit itself.
    assert clerk.post(visit_url + "/register", data={"csrf_token": token}).status_code == 403

    officer = as_user("officer")
    token = csrf_token(officer, visit_url)
    officer.post(visit_url + "/call", data={"csrf_token": token})
    officer.post(visit_url + "/register", data={"csrf_token": token, "asked": "拖欠工资三个月"})
    with hall.app_context():
        visit = db.session.execute(select(models.ReceptionVisit)).scalar_one()
        assert visit.state == "registered"
        cjj = agency("CJJ").id
    deadline = (svc.today() + timedelta(days=20)).isoformat()
    officer.post(
        visit_url + "/assign",
        data={
            "csrf_token": token,
            "agency_id": cjj,
            "standard": "核实并答复",
            "deadline": deadline,
        },
    )
    with hall.app_context():
        matter = db.session.execute(select(Matter)).scalar_one()
        assert matter.state == "assigned"
    html = officer.get(visit_url).get_data(as_text=True)
    assert "已交办" in html
    slip = officer.get(visit_url + "/slip.pdf")
    assert slip.status_code == 200 and slip.data.startswith(b"%PDF")
    board = officer.get("/reception/board").get_data(as_text=True)
    assert "办信办案窗口" in board or "帮扶济困窗口" in board


def test_leader_day_publication_appointment_outcome(hall, as_user):
    sup = as_user("supervisor")
    token = csrf_token(sup, "/reception/sessions")
    with hall.app_context():
        labour = category("劳动和社会保障").id
        wages = category("拖欠工资").id
        cjj = agency("CJJ").id
    resp = sup.post(
        "/reception/sessions",
        data={
            "csrf_token": token,
            "leader_name": "张县长",
            "post": "副县长",
            "portfolio": [str(labour)],
            "day": svc.today().isoformat(),
            "start_time": "00:00",
            "end_time": "23:59",
            "place": "县信访局接待大厅",
            "capacity": "5",
        },
    )
    assert resp.status_code == 302
    url = resp.headers["Location"]
    with hall.app_context():
        s = db.session.execute(select(models.ReceptionSession)).scalar_one()
        # Today's session: let bookings in (the default cut-off is yesterday 17:00).
        s.cutoff = svc.utcnow() + timedelta(hours=1)
        db.session.commit()
    clerk = as_user("clerk")
    assert clerk.get(url).status_code == 404  # not published yet
    sup.post(url + "/publish", data={"csrf_token": token})
    assert sup.get(url + "/schedule.pdf").data.startswith(b"%PDF")
    ctoken = csrf_token(clerk, url)
    clerk.post(
        url + "/book",
        data={
            "csrf_token": ctoken,
            "name": "王大明",
            "id_number": VALID_ID,
            "category_id": wages,
            "summary": "单位拖欠工资",
        },
    )
    html = clerk.get(url).get_data(as_text=True)
    appt_id = re.search(r"/reception/appointments/(\d+)/check_in", html).group(1)
    clerk.post(f"/reception/appointments/{appt_id}/check_in", data={"csrf_token": ctoken})
    officer = as_user("officer")
    otoken = csrf_token(officer, url)
    officer.post(
        f"/reception/appointments/{appt_id}/outcome",
        data={
            "csrf_token": otoken,
            "outcome": "assigned",
            "text": "请县住建局七日内核实",
            "agency_id": cjj,
            "deadline": (svc.today() + timedelta(days=7)).isoformat(),
        },
    )
    html = officer.get(url).get_data(as_text=True)
    assert "领导批示交办" in html
    with hall.app_context():
        assert db.session.execute(select(Matter)).scalar_one().state == "assigned"


def test_pages_refuse_users_without_rights_and_404_when_uninstalled(app, as_user):
    nobody = as_user("nobody")
    assert nobody.get("/reception/desk").status_code == 404  # not installed
    install_module(app, "reception", users=HALL_STAFF)
    assert nobody.get("/reception/desk").status_code == 403
    assert as_user("clerk").get("/reception/units").status_code == 403
    assert as_user("supervisor").get("/reception/units").status_code == 200


def test_hall_set_up_edit_subjects_and_duty_then_routing_follows(hall, as_user):
    sup = as_user("supervisor")
    token = csrf_token(sup, "/reception/units")
    with hall.app_context():
        unit = db.session.execute(
            select(models.ReceptionUnit).where(models.ReceptionUnit.code == "W2")
        ).scalar_one()
        env = category("环境保护").id
        xfj = agency("XFJ").id
        officer_id = user("officer").id
    sup.post(
        "/reception/units",
        data={
            "csrf_token": token,
            "unit_id": unit.id,
            "version": unit.version,
            "code": "W2",
            "name": "交流谈心窗口",
            "subjects": [str(env)],
            "active": "1",
        },
    )
    sup.post(
        "/reception/units",
        data={"csrf_token": token, "unit_id": unit.id, "action": "duty", "user_ids": officer_id},
    )
    with hall.app_context():
        assert svc.route(category("噪声污染").id, xfj).code == "W2"
    board = sup.get("/reception/board").get_data(as_text=True)
    assert "接访员小李" in board
    old = sup.get(f"/reception/board?day={(svc.today() - timedelta(days=1)).isoformat()}")
    assert old.status_code == 200 and "接访员小李" not in old.get_data(as_text=True)


def test_a_unit_saved_by_someone_else_meanwhile_is_refused_and_the_typed_text_kept(hall, as_user):
    sup = as_user("supervisor")
    token = csrf_token(sup, "/reception/units")
    with hall.app_context():
        unit = db.session.execute(
            select(models.ReceptionUnit).where(models.ReceptionUnit.code == "W2")
        ).scalar_one()
        unit_id, version, before = unit.id, unit.version, unit.name
    form = {"csrf_token": token, "unit_id": unit_id, "version": version, "code": "W2"}
    first = sup.post("/reception/units", data={**form, "name": "第一人改的名称", "active": "1"})
    assert first.status_code == 302
    # The second person's form was rendered at the same version.
    second = sup.post("/reception/units", data={**form, "name": "第二人改的名称", "active": "1"})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert 'id="stale-unit"' in page
    assert 'value="第二人改的名称"' in page  # what the second person typed, kept
    assert "第一人改的名称" in page  # the unit as it now is
    with hall.app_context():
        unit = db.session.get(models.ReceptionUnit, unit_id)
        assert (unit.name, unit.version) == ("第一人改的名称", version + 1)
        assert before != unit.name
