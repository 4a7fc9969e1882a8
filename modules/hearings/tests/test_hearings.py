"""Hearings: schedule → participants → hold → conclude; record rules, stale edits, rights, CSRF."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.api import Matter, db
from tests.kit import (
    TOKEN_RE,
    add_user,
    agency,
    audit_actions,
    csrf_token,
    install_module,
    new_matter,
    post_on_page,
    timeline_titles,
    user,
)


def add_officer(app, username: str = "officer", agency_code: str = "XFJ") -> int:
    """A user with the role ``hearing_officer`` the module brings (the shared users have none)."""
    with app.app_context():
        return add_user(username, f"听证主持人{username}", "hearing_officer", agency_code).id


def schedule(c, matter: str, officer_id: int, **data):
    payload = {
        "csrf_token": csrf_token(c, "/hearings/new"),
        "matter": matter,
        "reason": "complex",
        "stage": "rereview",
        "scheduled_at": (date.today() + timedelta(days=7)).isoformat() + "T09:30",
        "venue": "县信访局三楼听证室",
        "presiding_officer_id": str(officer_id),
        "public": "y",
        **data,
    }
    return c.post("/hearings/new", data=payload)


def post(c, hearing_id: int, action: str, **data):
    """Post a form of the hearing page with its CSRF token and the version the page shows."""
    return post_on_page(c, f"/hearings/{hearing_id}", action, **data)


def _hearing(app):
    from modules.hearings.models import Hearing

    with app.app_context():
        h = db.session.execute(select(Hearing)).scalar_one()
        db.session.expunge(h)
        return h


def _setup(app):
    install_module(app, "hearings")
    officer_id = add_officer(app)
    matter_id, number = new_matter(app, received_on=date.today() - timedelta(days=1))
    return officer_id, matter_id, number


def test_schedule_hold_conclude(app, as_user):
    officer_id, matter_id, number = _setup(app)
    c = as_user("supervisor")
    resp = schedule(c, number, officer_id)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    h = _hearing(app)
    assert (h.status, h.stage, h.version) == ("planned", "rereview", 1)

    html = c.get("/hearings/").get_data(as_text=True)
    assert number in html and "县信访局三楼听证室" in html

    # Holding needs hearing members: refused with a Chinese message, nothing changed.
    resp = post(c, h.id, "hold", heard="信访人陈述；承办单位举证。")
    assert resp.status_code == 422
    assert "听证员或专家" in resp.get_data(as_text=True)

    for role, name in (("petitioner", "王大明"), ("member", "李律师"), ("expert", "张教授")):
        resp = post(c, h.id, "participants", role=role, name=name, organisation="")
        assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    page = c.get(f"/hearings/{h.id}").get_data(as_text=True)
    assert "张教授" in page
    assert "王大明" in page  # the supervisor holds core.personal_data.view
    masked = as_user("officer").get(f"/hearings/{h.id}").get_data(as_text=True)
    assert "张教授" in masked and "王大明" not in masked  # the officer does not: masked

    resp = post(
        c, h.id, "hold", heard="信访人陈述；承办单位举证。", opinions="多数听证员认为应予补发。"
    )
    assert resp.status_code == 302
    resp = post(c, h.id, "conclude", conclusion="应按协议补发拆迁补偿款。")
    assert resp.status_code == 302
    h = _hearing(app)
    assert h.status == "concluded" and h.span_until is not None and h.excluded_days >= 1

    with app.app_context():
        titles = timeline_titles(matter_id)
        assert "安排听证" in titles and "听证结论" in titles
        actions = audit_actions(like="hearings.%")
        assert {"hearings.schedule", "hearings.participant", "hearings.hold"} <= actions
        assert "hearings.conclude" in actions


def test_validation_messages_in_chinese(app, as_user):
    officer_id, _, number = _setup(app)
    c = as_user("supervisor")
    resp = schedule(c, "", officer_id, venue="", public="", closed_reason="")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "请填写信访事项编号。" in html and "请填写听证地点。" in html
    resp = schedule(c, number, officer_id, public="", closed_reason="")
    assert resp.status_code == 422
    assert "不公开听证须说明理由" in resp.get_data(as_text=True)
    resp = schedule(c, "XX-不存在", officer_id)
    assert "未找到该信访事项" in resp.get_data(as_text=True)
    resp = schedule(c, number, officer_id, scheduled_at="明天")
    assert resp.status_code == 422
    assert "Traceback" not in resp.get_data(as_text=True)


def test_other_agency_cannot_see(app, as_user):
    officer_id, _, number = _setup(app)
    add_officer(app, "far", "OTHER")
    c = as_user("supervisor")
    assert schedule(c, number, officer_id).status_code == 302
    h = _hearing(app)
    far = as_user("far")
    assert far.get(f"/hearings/{h.id}").status_code == 404
    assert number not in far.get("/hearings/").get_data(as_text=True)
    # Nor can they schedule one on a matter they cannot see.
    resp = schedule(far, number, officer_id)
    assert resp.status_code == 422
    assert "未找到该信访事项" in resp.get_data(as_text=True)


def test_stale_edit_is_refused(app, as_user):
    officer_id, _, number = _setup(app)
    c = as_user("supervisor")
    assert schedule(c, number, officer_id).status_code == 302
    h = _hearing(app)
    resp = post(c, h.id, "participants", role="member", name="李律师", version="1")
    assert resp.status_code == 302
    # A second form opened at version 1 is refused, and saves nothing.
    resp = post(c, h.id, "participants", role="expert", name="张教授", version="1")
    assert resp.status_code == 409
    assert "该记录已被他人修改" in resp.get_data(as_text=True)
    assert [p.name for p in _participants(app)] == ["李律师"]


def _participants(app):
    from modules.hearings.models import HearingParticipant

    with app.app_context():
        return list(db.session.execute(select(HearingParticipant)).scalars())


def test_permission_required(app, as_user):
    officer_id, _, number = _setup(app)
    assert as_user("nobody").get("/hearings/").status_code == 403
    leader = as_user("leader")  # view only
    assert leader.get("/hearings/").status_code == 200
    assert leader.get("/hearings/new").status_code == 403
    c = as_user("supervisor")
    assert schedule(c, number, officer_id).status_code == 302
    h = _hearing(app)
    assert leader.get(f"/hearings/{h.id}").status_code == 200
    resp = leader.post(f"/hearings/{h.id}/cancel", data={"cancel_reason": "x", "version": "1"})
    assert resp.status_code in (400, 403)


def test_forms_carry_csrf_and_refuse_without(app, as_user):
    officer_id, _, number = _setup(app)
    c = as_user("supervisor")
    assert TOKEN_RE.search(c.get("/hearings/new").get_data(as_text=True))
    assert schedule(c, number, officer_id).status_code == 302
    h = _hearing(app)
    html = c.get(f"/hearings/{h.id}").get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 3
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids repeat on the hearing page"
    resp = c.post(f"/hearings/{h.id}/cancel", data={"cancel_reason": "信访人撤回", "version": "1"})
    assert resp.status_code == 400
    assert _hearing(app).status == "planned"


def test_reschedule_and_presiding_officer_rules(app, as_user):
    officer_id, matter_id, number = _setup(app)
    c = as_user("supervisor")
    assert schedule(c, number, officer_id).status_code == 302
    h = _hearing(app)
    page = c.get(f"/hearings/{h.id}").get_data(as_text=True)
    assert "县信访局三楼听证室" in page and 'value="09:30"' not in page  # a datetime-local value
    resp = post(
        c,
        h.id,
        "schedule",
        reason="major",
        stage="review",
        scheduled_at="2030-01-15T14:00",
        venue="县政府第二会议室",
        presiding_officer_id=str(officer_id),
        public="",
        closed_reason="涉及个人隐私",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    h = _hearing(app)
    assert (h.venue, h.stage, h.public, h.version) == ("县政府第二会议室", "review", False, 2)
    assert "2030-01-15 14:00" in c.get(f"/hearings/{h.id}").get_data(as_text=True)

    # The case's investigator may not preside over its hearing.
    with app.app_context():
        db.session.get(Matter, matter_id).handler_id = officer_id
        db.session.commit()
    resp = post(
        c,
        h.id,
        "schedule",
        reason="major",
        stage="review",
        scheduled_at="2030-01-15T14:00",
        venue="县政府第二会议室",
        presiding_officer_id=str(officer_id),
        public="y",
    )
    assert resp.status_code == 422
    assert "主持人不得由该信访事项的承办人担任" in resp.get_data(as_text=True)
    # A user without the hearing-officer role cannot preside.
    with app.app_context():
        nobody = user("nobody").id
    resp = schedule(c, number, nobody)
    assert resp.status_code == 422
    assert "该信访事项已有尚未结束的听证" in resp.get_data(as_text=True) or "主持人须为" in (
        resp.get_data(as_text=True)
    )


def test_sealed_accuser_is_not_shown_to_the_complained_agency(app, as_user):
    officer_id, matter_id, number = _setup(app)
    c = as_user("supervisor")
    assert schedule(c, number, officer_id).status_code == 302
    h = _hearing(app)
    assert post(c, h.id, "participants", role="petitioner", name="王大明").status_code == 302
    assert "王大明" in c.get(f"/hearings/{h.id}").get_data(as_text=True)

    with app.app_context():
        m = db.session.get(Matter, matter_id)
        m.accuser_sealed, m.complained_agency_id = True, agency("XFJ").id
        db.session.commit()
    page = c.get(f"/hearings/{h.id}").get_data(as_text=True)
    assert "王大明" not in page
    assert page.count("（已保密）") == 2  # the matter's petitioner and the participant


def test_tabs_and_cancel(app, as_user):
    officer_id, _, number = _setup(app)
    c = as_user("supervisor")
    assert schedule(c, number, officer_id).status_code == 302
    h = _hearing(app)
    assert number in c.get("/hearings/").get_data(as_text=True)
    assert number not in c.get("/hearings/?tab=held").get_data(as_text=True)
    resp = post(c, h.id, "cancel", cancel_reason="")
    assert resp.status_code == 422 and "请填写取消理由。" in resp.get_data(as_text=True)
    assert post(c, h.id, "cancel", cancel_reason="信访人撤回听证申请").status_code == 302
    h = _hearing(app)
    assert h.status == "cancelled" and h.span_until is not None
    assert number not in c.get("/hearings/").get_data(as_text=True)
    assert number in c.get("/hearings/?tab=held").get_data(as_text=True)
    # A cancelled hearing takes no more records, and a new one may now be scheduled.
    resp = post(c, h.id, "hold", heard="x", version=str(h.version))
    assert resp.status_code == 422 and "不能再做此操作" in resp.get_data(as_text=True)
    assert schedule(c, number, officer_id).status_code == 302


def test_remove_participant(app, as_user):
    officer_id, _, number = _setup(app)
    c = as_user("supervisor")
    assert schedule(c, number, officer_id).status_code == 302
    h = _hearing(app)
    for role, name in (("member", "李律师"), ("observer", "赵旁听")):
        assert post(c, h.id, "participants", role=role, name=name).status_code == 302
    pid = next(p.id for p in _participants(app) if p.name == "赵旁听")
    assert post(c, h.id, f"participants/{pid}/remove").status_code == 302
    assert [p.name for p in _participants(app)] == ["李律师"]
    resp = post(c, h.id, f"participants/{pid}/remove")
    assert resp.status_code == 422 and "该参加人不在本次听证中" in resp.get_data(as_text=True)
