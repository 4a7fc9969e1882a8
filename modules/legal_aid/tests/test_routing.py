"""诉访分离: a lawyer's consultation recommending a legal route routes the matter in one step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.api import FINAL_STATES, db, rating_statuses
from modules.legal_aid.tests.hall import models, pdf_text, services, setup_hall
from tests.kit import (
    Document,
    as_,
    audit_actions,
    fresh,
    matter_in,
    post_form,
    register,
    timeline_titles,
)

ARBITRATION = {
    "question": "公司拖欠三个月工资，能否要求补发？",
    "advice": "属于劳动争议，应先申请劳动仲裁。",
    "route": "labour_arbitration",
    "body": "沈河区劳动人事争议仲裁委员会",
    "minutes": "40",
}


def _consult(c, number: str, **data):
    return post_form(
        c, "/legal-aid/consultations/new", {**ARBITRATION, "matter_number": number, **data}
    )


def _open_clocks(matter) -> list[str]:
    return sorted(c.kind for c in matter.clocks if c.open)


@pytest.mark.parametrize("state", ["registered", "in_handling"])
def test_labour_arbitration_routes_the_matter_stops_its_clocks_and_leaves_the_rating(
    app, as_user, state
):
    setup_hall(app)
    with app.app_context():
        m = matter_in(state)
        matter_id, number = m.id, m.number
        assert _open_clocks(m) != []
    resp = _consult(as_user("lawyer"), number)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    with app.app_context():
        m = fresh(matter_id)
        assert m.state == "referred_legal"
        assert m.legal_route == "labour_arbitration"
        assert m.has_flag("law_related")
        assert m.closed_at is not None
        assert _open_clocks(m) == []
        assert {s.status for s in rating_statuses(m)} == {"excluded"}
        docs = db.session.execute(select(Document).where(Document.matter_id == matter_id))
        titles = [d.title for d in docs.scalars()]
        assert titles[-1] == "导入法定途径告知书" and titles.count("导入法定途径告知书") == 1
        c = db.session.execute(select(models.Consultation)).scalar_one()
        assert (c.routed, c.body, c.minutes, c.counsel.name) == (
            True,
            "沈河区劳动人事争议仲裁委员会",
            40,
            "值班律师老周",
        )
        assert "导入法定途径（律师引导，诉访分离）" in timeline_titles(matter_id)
        assert {"matter.legal_aid_route", "legal_aid.consultation.create"} <= audit_actions()
    page = as_user("supervisor").get(f"/cases/{matter_id}").get_data(as_text=True)
    assert "已导入法定途径" in page
    assert "劳动人事争议仲裁 · 沈河区劳动人事争议仲裁委员会" in page


def test_the_route_notice_names_the_route_and_the_body(app, as_user):
    setup_hall(app)
    with app.app_context():
        matter_id, number = (m := register()).id, m.number
    assert _consult(as_user("lawyer"), number).status_code == 302
    with app.app_context():
        doc = db.session.execute(
            select(Document).where(Document.matter_id == matter_id)
        ).scalar_one()
        att_id = doc.attachment_id
    pdf = as_user("supervisor").get(f"/cases/{matter_id}/attachments/{att_id}").data
    text = pdf_text(pdf)
    assert "导入法定途径告知书" in text
    assert "劳动人事争议仲裁途径，向沈河区劳动人事争议仲裁委员会提出" in text


def test_a_legal_route_without_the_body_is_refused_and_nothing_changes(app, as_user):
    setup_hall(app)
    with app.app_context():
        matter_id, number = (m := register()).id, m.number
    resp = _consult(as_user("lawyer"), number, body="")
    assert resp.status_code == 422
    assert "请填写有权处理的机关" in resp.get_data(as_text=True)
    with app.app_context():
        assert fresh(matter_id).state == "registered"
        assert db.session.execute(select(func.count(models.Consultation.id))).scalar() == 0


def test_advice_to_stay_a_petition_leaves_the_matter_where_it_is(app, as_user):
    setup_hall(app)
    with app.app_context():
        matter_id, number = (m := register()).id, m.number
    resp = _consult(as_user("lawyer"), number, route="petition", body="")
    assert resp.status_code == 302
    with app.app_context():
        m = fresh(matter_id)
        assert m.state == "registered" and not m.has_flag("law_related")
        assert "律师建议：继续按信访程序办理" in timeline_titles(matter_id)


def test_a_matter_past_handling_is_not_routed_by_the_lawyer(app, as_user):
    setup_hall(app)
    with app.app_context():
        m = matter_in("review_window")
        matter_id, number = m.id, m.number
    resp = _consult(as_user("lawyer"), number)
    assert resp.status_code == 422
    assert "律师不能将其导入法定途径" in resp.get_data(as_text=True)
    with app.app_context():
        assert fresh(matter_id).state == "review_window"
        assert db.session.execute(select(func.count(models.Consultation.id))).scalar() == 0


def test_the_guidance_slip_is_a_pdf_in_chinese(app, as_user):
    setup_hall(app)
    c = as_user("lawyer")
    resp = post_form(
        c,
        "/legal-aid/consultations/new",
        {**ARBITRATION, "visitor_name": "赵师傅", "visitor_phone": "13912345678"},
    )
    assert resp.status_code == 302
    slip = c.get(resp.headers["Location"] + "/slip.pdf")
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    text = pdf_text(slip.data)
    assert "法律咨询引导单" in text
    assert "建议途径：劳动人事争议仲裁，有权机关：沈河区劳动人事争议仲裁委员会" in text
    # The lawyer may not see personal data: the slip is addressed to 来访人, not by name.
    assert "来访人：" in text and "赵师傅" not in text
    assert "值班律师：值班律师老周（辽宁正大律师事务所）" in text


def test_the_routed_state_is_final(app):
    setup_hall(app)
    assert "referred_legal" in FINAL_STATES
    with app.app_context(), as_("lawyer"):
        m = register()
        c = services.create_consultation(
            services.ConsultationInput(
                question="问", route="admin_review", body="沈河区人民政府", matter_number=m.number
            )
        )
        assert c.routed and fresh(m.id).legal_route == "admin_review"


def test_the_step_from_the_matter_page(app, as_user):
    setup_hall(app)
    with app.app_context():
        matter_id = register().id
    c = as_user("lawyer")
    page = f"/cases/{matter_id}"
    html = c.get(page).get_data(as_text=True)
    assert "导入法定途径（律师引导，诉访分离）" in html
    assert "有权处理的机关（如××区劳动人事争议仲裁委员会）" in html
    step = "legal_aid_route"
    resp = post_form(
        c,
        f"{page}/actions/{step}",
        {f"{step}-route": "police", f"{step}-body": "沈河公安分局", f"{step}-version": "1"},
        token_from=page,
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    with app.app_context():
        m = fresh(matter_id)
        assert (m.state, m.legal_route) == ("referred_legal", "police")
