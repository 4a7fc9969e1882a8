"""The evaluation pages: permissions, CSRF, adjustments with reasons (audited), publish lock."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from core.api import db
from tests.kit import (
    AuditEvent,
    agency,
    csrf_token,
    install_module,
    post_on_page,
    register,
    shown_version,
    step,
)

PERIOD = (date(2026, 6, 1), date(2026, 6, 30))
EVALUATOR = {"evaluator": ("考核员小周", "evaluator", "XFJ")}


def _setup(app, as_user):
    install_module(app, "evaluation", users=EVALUATOR)
    return as_user("evaluator")


def _new_period(c) -> str:
    resp = c.post(
        "/evaluation/new",
        data={
            "csrf_token": csrf_token(c, "/evaluation/"),
            "period_type": "month",
            "name": "",
            "starts_on": PERIOD[0].isoformat(),
            "ends_on": PERIOD[1].isoformat(),
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    return resp.headers["Location"]


def _computed(app, as_user):
    c = _setup(app, as_user)
    with app.app_context():
        mid = register(received_on=PERIOD[0]).id
        step(mid, "supervisor", "forward", on=PERIOD[0], agency_id=agency("CJJ").id)
        cjj = agency("CJJ").id
    page = _new_period(c)
    resp = post_on_page(c, page, "compute")
    assert resp.status_code == 302
    return c, page, cjj


def test_permission_required(app, as_user):
    install_module(app, "evaluation")
    assert as_user("nobody").get("/evaluation/").status_code == 403
    assert as_user("handler").get("/evaluation/").status_code == 403
    leader = as_user("leader")
    html = leader.get("/evaluation/").get_data(as_text=True)
    assert "部门考核" in html and "新建考核期" not in html  # view only
    resp = leader.post("/evaluation/new", data={"csrf_token": csrf_token(leader, "/evaluation/")})
    assert resp.status_code == 403


def test_forms_carry_csrf_and_refuse_without_it(app, as_user):
    c = _setup(app, as_user)
    page = _new_period(c)
    html = c.get(page).get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 1
    resp = c.post(page + "/compute", data={"version": "1"})
    assert resp.status_code == 400
    assert "Traceback" not in resp.get_data(as_text=True)


def test_period_validation_in_chinese(app, as_user):
    c = _setup(app, as_user)
    resp = c.post(
        "/evaluation/new",
        data={
            "csrf_token": csrf_token(c, "/evaluation/"),
            "period_type": "custom",
            "name": "倒置",
            "starts_on": "2026-06-30",
            "ends_on": "2026-06-01",
        },
    )
    assert resp.status_code == 400
    assert "结束日期不能早于开始日期。" in resp.get_data(as_text=True)


def test_ranked_table_shows_rates_with_numerator_and_denominator(app, as_user):
    c, page, cjj = _computed(app, as_user)
    html = c.get(page).get_data(as_text=True)
    assert "县住建局" in html
    # Never accepted, acceptance overdue (超期未受理): 0 of 1, each number a link to its matters.
    cell = html.split('data-code="timely_acceptance">')[1].split("</td>")[0]
    assert re.sub(r"<[^>]+>", "", cell) == "0.00% (0/1)"
    assert f"{page}/agency/{cjj}/timely_acceptance/denominator" in cell
    assert "重新计算" in html and "2026年6月" in html


def test_adjustment_needs_a_reason_and_is_audited(app, as_user):
    c, page, cjj = _computed(app, as_user)
    resp = post_on_page(c, page, "adjust", agency_id=str(cjj), points="-2.5", reason="  ")
    assert resp.status_code == 400
    assert "加减分必须填写理由。" in resp.get_data(as_text=True)
    resp = post_on_page(c, page, "adjust", agency_id=str(cjj), points="-2.5", reason="迟报专项材料")
    assert resp.status_code == 302
    html = c.get(page).get_data(as_text=True)
    assert "迟报专项材料" in html and "-2.50" in html
    with app.app_context():
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "evaluation.adjusted")
        ).scalar_one()
        assert event.username == "evaluator"
        assert event.detail["reason"] == "迟报专项材料" and event.detail["points"] == -2.5


def test_stale_form_is_refused(app, as_user):
    c, page, cjj = _computed(app, as_user)
    token = csrf_token(c, page)
    resp = c.post(
        page + "/adjust",
        data={
            "csrf_token": token,
            "version": "1",
            "agency_id": str(cjj),
            "points": "1",
            "reason": "旧页面",
        },
    )
    assert resp.status_code == 409
    assert "该记录已被他人修改" in resp.get_data(as_text=True)


def test_published_period_refuses_recompute_and_adjustments(app, as_user):
    c, page, cjj = _computed(app, as_user)
    assert post_on_page(c, page, "publish").status_code == 302
    html = c.get(page).get_data(as_text=True)
    assert "已发布" in html and "记录加减分" not in html and "重新计算" not in html
    # The page offers no buttons any more; post as a page opened before publishing would.
    with app.app_context():
        from modules.evaluation.models import EvaluationPeriod

        version = str(db.session.execute(select(EvaluationPeriod.version)).scalar_one())
    token = csrf_token(c, page)
    resp = c.post(page + "/compute", data={"csrf_token": token, "version": version})
    assert resp.status_code == 409
    assert "该考核期已发布" in resp.get_data(as_text=True)
    resp = c.post(
        page + "/adjust",
        data={
            "csrf_token": token,
            "version": version,
            "agency_id": str(cjj),
            "points": "1",
            "reason": "补加",
        },
    )
    assert resp.status_code == 409
    assert "该考核期已发布" in resp.get_data(as_text=True)
    with app.app_context():
        actions = set(db.session.execute(select(AuditEvent.action)).scalars())
        assert {"evaluation.computed", "evaluation.published"} <= actions
        assert "evaluation.adjusted" not in actions


def test_publish_from_a_page_opened_before_an_adjustment_is_refused(app, as_user):
    c, page, cjj = _computed(app, as_user)
    html = c.get(page).get_data(as_text=True)
    seen = shown_version(html)
    resp = post_on_page(c, page, "adjust", agency_id=str(cjj), points="-1", reason="材料迟报")
    assert resp.status_code == 302
    token = csrf_token(c, page)
    resp = c.post(page + "/publish", data={"csrf_token": token, "version": seen})
    assert resp.status_code == 409
    assert "该记录已被他人修改" in resp.get_data(as_text=True)
    assert "已发布" not in c.get(page).get_data(as_text=True).split('id="period-state"')[1][:20]


def test_leader_reads_the_ranking_without_buttons(app, as_user):
    _c, page, _cjj = _computed(app, as_user)
    leader = as_user("leader")
    html = leader.get(page).get_data(as_text=True)
    assert "县住建局" in html and "考核排名" in html
    assert "重新计算" not in html and "记录加减分" not in html and "/publish" not in html
    token = csrf_token(leader, "/evaluation/")
    assert leader.post(page + "/compute", data={"csrf_token": token}).status_code == 403
