"""Consultations: masking, stale edits, CSRF, a consultation on a hidden matter stays hidden."""

from __future__ import annotations

from sqlalchemy import select

from core.api import db, today
from modules.legal_aid.tests.hall import lawyer, models, setup_hall
from tests.kit import agency, audit_events, post_form, register, user

VISITOR = {
    "question": "拆迁补偿款未付，能否起诉？",
    "advice": "可依协议提起民事诉讼。",
    "visitor_name": "刘小红",
    "visitor_phone": "13912345678",
    "minutes": "25",
}


def _last(app):
    with app.app_context():
        c = db.session.execute(
            select(models.Consultation).order_by(models.Consultation.id.desc())
        ).scalar()
        db.session.expunge(c)
        return c


def test_visitor_phone_is_masked_without_personal_data_permission(app, as_user):
    setup_hall(app)
    assert post_form(as_user("lawyer"), "/legal-aid/consultations/new", VISITOR).status_code == 302
    url = f"/legal-aid/consultations/{_last(app).id}"
    mine = as_user("lawyer").get(url).get_data(as_text=True)
    assert "13912345678" not in mine and "刘小红" not in mine
    clear = as_user("supervisor").get(url).get_data(as_text=True)
    assert "13912345678" in clear and "刘小红" in clear


def test_stale_edit_is_refused_and_nothing_changes(app, as_user):
    setup_hall(app)
    c = as_user("lawyer")
    assert post_form(c, "/legal-aid/consultations/new", VISITOR).status_code == 302
    url = f"/legal-aid/consultations/{_last(app).id}"
    edit = {"question": "改过的问题", "advice": "改过的建议", "minutes": "30", "version": "1"}
    assert post_form(c, url + "/edit", edit, token_from=url).status_code == 302
    stale = post_form(c, url + "/edit", {**edit, "question": "迟到的修改"}, token_from=url)
    assert stale.status_code == 409
    assert "该记录已被他人修改" in stale.get_data(as_text=True)
    assert _last(app).question == "改过的问题"
    with app.app_context():
        events = audit_events("legal_aid.consultation.update")
        assert [e.detail["changed"] for e in events] == [["advice", "minutes", "question"]]


def test_posts_without_the_csrf_token_are_refused(app, as_user):
    setup_hall(app)
    resp = as_user("lawyer").post("/legal-aid/consultations/new", data=VISITOR)
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.execute(select(models.Consultation)).first() is None


def test_a_lawyer_not_on_the_roster_cannot_record(app, as_user):
    setup_hall(app)
    with app.app_context():
        lw = lawyer("lawyer2")
        lw.user_id = None
        db.session.commit()
    resp = post_form(as_user("lawyer2"), "/legal-aid/consultations/new", VISITOR)
    assert resp.status_code == 422
    assert "您的账户未登记在律师名册中" in resp.get_data(as_text=True)


def test_a_consultation_on_a_matter_the_viewer_cannot_see_stays_hidden(app, as_user):
    """The consultation's agency is the viewer's, but the matter is not theirs to see."""
    setup_hall(app, on_duty=False)
    with app.app_context():
        matter_id = register().id
        c = models.Consultation(
            consulted_on=today(),
            lawyer_id=user("lawyer").id,
            counsel_id=lawyer("lawyer").id,
            matter_id=matter_id,
            question="不该被看到的问题",
            agency_id=agency("COMM").id,
        )
        db.session.add(c)
        db.session.commit()
        url = f"/legal-aid/consultations/{c.id}"
    far = as_user("lawyer")  # not on duty: XFJ's matter is hidden
    assert far.get(url).status_code == 404
    for show in ("mine", "all"):
        html = far.get(f"/legal-aid/consultations?show={show}").get_data(as_text=True)
        assert "不该被看到的问题" not in html
    assert far.get(f"/legal-aid/matters/{matter_id}").status_code == 404


def test_the_desk_click_goes_back_only_to_this_site(app, as_user):
    setup_hall(app)
    with app.app_context():
        matter_id = register().id
        lawyer_id = lawyer("lawyer").id
    desk = as_user("desk")
    data = {"lawyer_id": str(lawyer_id), "matter_id": str(matter_id)}
    resp = post_form(
        desk, "/legal-aid/attach", {**data, "next": "//evil.example/"}, token_from="/legal-aid/"
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == f"/legal-aid/matters/{matter_id}"
    resp = post_form(
        desk, "/legal-aid/attach", {**data, "next": "/reception/desk"}, token_from="/legal-aid/"
    )
    assert resp.headers["Location"] == "/reception/desk"  # refused (attached already), back
