"""The lawyers' desk: roster, consultations on matters, masking, record rules, stale edits."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.api import db
from tests.kit import (
    TimelineEntry,
    agency,
    audit_actions,
    audit_events,
    install_module,
    post_form,
    register,
    timeline_titles,
    user,
)

#: username → (display name, role, agency code)
LAWYERS = {
    "lawyer": ("值班律师老周", "lawyer", "XFJ"),
    "lawyer2": ("值班律师小钱", "lawyer", "XFJ"),
    "far_lawyer": ("邻县律师老孙", "lawyer", "OTHER"),
}


def setup_legal_aid(app) -> None:
    """Install the module and add lawyers at the bureau and in the neighbouring county."""
    install_module(app, "legal_aid", users=LAWYERS)


def _duty(c, lawyer: str, day: date, place: str = "接访大厅"):
    with c.application.app_context():
        lawyer_id = user(lawyer).id
    return post_form(
        c,
        "/legal-aid/roster",
        {"day": day.isoformat(), "lawyer_id": str(lawyer_id), "place": place},
        token_from="/legal-aid/",
    )


def _consult(c, **data):
    payload = {"question": "拆迁补偿款未付，能否起诉？", "advice": "可依协议提起民事诉讼。"}
    payload.update(data)
    return post_form(c, "/legal-aid/consultations/new", payload)


def _matter(app) -> tuple[int, str]:
    with app.app_context():
        m = register()
        return m.id, m.number


def _last_consultation(app):
    from modules.legal_aid.models import Consultation

    with app.app_context():
        c = db.session.execute(select(Consultation).order_by(Consultation.id.desc())).scalar()
        db.session.expunge(c)
        return c


def test_roster_refuses_double_booking(app, as_user):
    setup_legal_aid(app)
    sup = as_user("supervisor")
    day = date.today()
    resp = _duty(sup, "lawyer", day)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    resp = _duty(sup, "lawyer", day, place="调解室")
    assert resp.status_code == 422
    assert "已有值班安排，不能重复排班" in resp.get_data(as_text=True)
    assert _duty(sup, "lawyer", day + timedelta(days=1)).status_code == 302
    assert _duty(sup, "lawyer2", day).status_code == 302
    html = as_user("lawyer").get("/legal-aid/").get_data(as_text=True)
    today_block = html.split('id="today-duty"')[1].split("</ul>")[0]
    assert "值班律师老周" in today_block and "值班律师小钱" in today_block
    assert "接访大厅" in today_block and "调解室" not in html
    # A lawyer may not plan the roster.
    assert _duty(as_user("lawyer"), "lawyer", day + timedelta(days=2)).status_code == 403
    # Three weeks ahead is off the first page of the roster, on the page a week later.
    far_day = day + timedelta(days=20)
    assert _duty(sup, "lawyer2", far_day, place="调解中心").status_code == 302
    assert "调解中心" not in sup.get("/legal-aid/").get_data(as_text=True)
    later = (day + timedelta(days=14)).isoformat()
    assert "调解中心" in sup.get(f"/legal-aid/?start={later}").get_data(as_text=True)
    assert sup.get("/legal-aid/?start=not-a-date").status_code == 200
    # Cancelling a booking frees the day.
    with app.app_context():
        from modules.legal_aid.models import Duty

        duty_id = db.session.execute(select(Duty.id).where(Duty.day == far_day)).scalar_one()
    resp = post_form(sup, f"/legal-aid/roster/{duty_id}/remove", {}, token_from="/legal-aid/")
    assert resp.status_code == 302
    assert _duty(sup, "lawyer2", far_day).status_code == 302
    with app.app_context():
        actions = audit_actions()
    assert {"legal_aid.duty.add", "legal_aid.duty.remove"} <= actions


def test_consultation_on_a_matter_adds_the_route_to_the_timeline(app, as_user):
    setup_legal_aid(app)
    matter_id, number = _matter(app)
    c = as_user("lawyer")
    form = c.get(f"/legal-aid/consultations/new?matter={matter_id}").get_data(as_text=True)
    assert number in form
    resp = _consult(c, matter_number=number, route="litigation", kind="analysis")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    consultation = _last_consultation(app)
    assert consultation.matter_id == matter_id and consultation.route == "litigation"
    assert consultation.kind == "analysis"
    with app.app_context():
        titles = timeline_titles(matter_id)
        actions = audit_actions()
    assert "律师建议：诉讼" in titles
    assert "legal_aid.consultation.create" in actions
    # The written opinion is kept, shown and noted on the matter.
    url = f"/legal-aid/consultations/{consultation.id}"
    resp = post_form(
        c, url + "/opinion", {"opinion": "建议依法起诉。", "version": "1"}, token_from=url
    )
    assert resp.status_code == 302
    assert "建议依法起诉。" in c.get(url).get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(
            select(TimelineEntry).where(TimelineEntry.title == "律师出具书面意见")
        ).scalar()
    # The matter's page of the desk gathers its consultations and opinions.
    html = c.get(f"/legal-aid/matters/{matter_id}").get_data(as_text=True)
    assert "建议依法起诉。" in html and "诉讼" in html and number in html
    # An unknown number is refused on the form, in Chinese.
    resp = _consult(c, matter_number="NO-SUCH-NUMBER")
    assert resp.status_code == 422
    assert "未找到该信访事项，或您无权查看" in resp.get_data(as_text=True)


def test_visitor_phone_is_masked_without_personal_data_permission(app, as_user):
    setup_legal_aid(app)
    c = as_user("lawyer")
    resp = _consult(c, visitor_name="刘小红", visitor_phone="13912345678", route="arbitration")
    assert resp.status_code == 302
    url = f"/legal-aid/consultations/{_last_consultation(app).id}"
    html = c.get(url).get_data(as_text=True)
    assert "13912345678" not in html and "139＊＊＊＊5678" in html
    assert "刘小红" not in html
    # The supervisor holds core.personal_data.view.
    assert "13912345678" in as_user("supervisor").get(url).get_data(as_text=True)
    # A free-standing consultation needs the visitor's name.
    resp = _consult(c)
    assert resp.status_code == 422
    assert "未关联信访事项时，请填写来访人姓名" in resp.get_data(as_text=True)
    # A commissioned legal analysis (法律论证) is always about a matter.
    resp = _consult(c, visitor_name="刘小红", kind="analysis")
    assert resp.status_code == 422
    assert "法律论证须关联信访事项" in resp.get_data(as_text=True)


def test_other_agency_cannot_open_a_consultation_on_a_matter_it_cannot_see(app, as_user):
    setup_legal_aid(app)
    matter_id, number = _matter(app)
    assert _consult(as_user("lawyer"), matter_number=number).status_code == 302
    url = f"/legal-aid/consultations/{_last_consultation(app).id}"
    far = as_user("far_lawyer")
    assert far.get(url).status_code == 404
    assert far.get(f"/legal-aid/consultations/new?matter={matter_id}").status_code == 404
    assert far.get(f"/legal-aid/matters/{matter_id}").status_code == 404
    assert "未找到该信访事项" in _consult(far, matter_number=number).get_data(as_text=True)
    assert "拆迁补偿款" not in far.get("/legal-aid/consultations?show=all").get_data(as_text=True)


def test_stale_edit_is_refused(app, as_user):
    setup_legal_aid(app)
    c = as_user("lawyer")
    assert _consult(c, visitor_name="刘小红").status_code == 302
    url = f"/legal-aid/consultations/{_last_consultation(app).id}"
    edit = {"question": "改过的问题", "advice": "改过的建议", "route": "other", "version": "1"}
    assert post_form(c, url + "/edit", edit, token_from=url).status_code == 302
    stale = post_form(c, url + "/edit", {**edit, "question": "迟到的修改"}, token_from=url)
    assert stale.status_code == 409
    assert "该记录已被他人修改" in stale.get_data(as_text=True)
    assert _last_consultation(app).question == "改过的问题"
    with app.app_context():
        events = audit_events("legal_aid.consultation.update")
        assert [e.detail["changed"] for e in events] == [["advice", "question", "route"]]


def test_forms_carry_csrf_tokens_and_refuse_posts_without(app, as_user):
    setup_legal_aid(app)
    sup = as_user("supervisor")
    assert 'name="csrf_token"' in sup.get("/legal-aid/").get_data(as_text=True)
    lawyer = as_user("lawyer")
    html = lawyer.get("/legal-aid/consultations/new").get_data(as_text=True)
    assert re.search(r'name="csrf_token"[^>]*value="[^"]+"', html)
    resp = lawyer.post(
        "/legal-aid/consultations/new", data={"visitor_name": "甲", "question": "问"}
    )
    assert resp.status_code in (400, 422)
    with app.app_context():
        from modules.legal_aid.models import Consultation

        assert db.session.execute(select(Consultation)).first() is None


def test_consultation_of_own_agency_on_a_hidden_matter_stays_hidden(app, as_user):
    """The consultation's agency is the viewer's, but the matter is not theirs to see."""
    from modules.legal_aid.models import Consultation

    setup_legal_aid(app)
    matter_id, _number = _matter(app)
    with app.app_context():
        c = Consultation(
            consulted_on=date.today(),
            lawyer_id=user("far_lawyer").id,
            matter_id=matter_id,
            question="不该被看到的问题",
            advice="",
            agency_id=agency("OTHER").id,
        )
        db.session.add(c)
        db.session.commit()
        url = f"/legal-aid/consultations/{c.id}"
    far = as_user("far_lawyer")
    assert far.get(url).status_code == 404
    for show in ("mine", "all"):
        html = far.get(f"/legal-aid/consultations?show={show}").get_data(as_text=True)
        assert "不该被看到的问题" not in html
