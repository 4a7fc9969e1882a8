"""Drill-down: every figure lists its matters; a department head sees only their own department.

Data: ``data.small_june`` (June 2026, as of 09-30). 及时受理率: CJJ 2/3 (numerator A and S;
denominator A, B, S), TOWN 0/1 (F).
"""

from __future__ import annotations

import re

import pytest

from tests.kit import audit_events, csrf_token

from .data import small_june


@pytest.fixture
def june(app):
    return small_june(app)


def _listed(html: str) -> set[str]:
    table = html.split('id="matters"')[1].split("</table>")[0]
    return set(re.findall(r'<a href="/cases/\d+">([^<]+)</a>', table))


def test_each_figure_lists_the_matters_it_counts(june, as_user):
    c = as_user("evaluator")
    n, page, cjj = june["numbers"], june["page"], june["cjj"]
    html = c.get(f"{page}/agency/{cjj}/timely_acceptance/numerator").get_data(as_text=True)
    assert _listed(html) == {n["A"], n["S"]}
    assert "按时受理（告知）的事项" in html and "共 2 件" in html
    html = c.get(f"{page}/agency/{cjj}/timely_acceptance/denominator").get_data(as_text=True)
    assert _listed(html) == {n["A"], n["B"], n["S"]}
    assert "共 3 件" in html and "及时受理＋超期受理＋超期未受理" in html
    # 按期办结: A on time; B accepted 06-30, never replied, overdue by 09-30; S sent back on
    # 06-15, its new handling clock (60 days) overdue too.
    html = c.get(f"{page}/agency/{cjj}/on_time_completion/numerator").get_data(as_text=True)
    assert _listed(html) == {n["A"]}
    html = c.get(f"{page}/agency/{cjj}/on_time_completion/denominator").get_data(as_text=True)
    assert _listed(html) == {n["A"], n["B"], n["S"]}
    html = c.get(f"{page}/agency/{cjj}/matters").get_data(as_text=True)
    assert _listed(html) == {n["A"], n["B"], n["S"]} and "期内登记的事项" in html
    town = c.get(f"{page}/agency/{june['town']}/timely_acceptance/denominator")
    assert _listed(town.get_data(as_text=True)) == {n["F"]}
    assert c.get(f"{page}/agency/{cjj}/no_such/numerator").status_code == 404


def test_department_head_sees_own_department_and_is_refused_another(june, as_user):
    leader = as_user("cjj_leader")
    n, page, cjj, town = june["numbers"], june["page"], june["cjj"], june["town"]
    html = leader.get(page).get_data(as_text=True)
    ranking = html.split('id="ranking"')[1].split("</table>")[0]
    assert "县住建局" in ranking and "城关镇" not in ranking
    assert "计算得分" not in html and "记录加减分" not in html
    own = leader.get(f"{page}/agency/{cjj}")
    assert own.status_code == 200 and "名次 1" in own.get_data(as_text=True)
    drill = leader.get(f"{page}/agency/{cjj}/timely_acceptance/denominator")
    assert drill.status_code == 200
    assert _listed(drill.get_data(as_text=True)) == {n["A"], n["B"], n["S"]}
    for url in (
        f"{page}/agency/{town}",
        f"{page}/agency/{town}/matters",
        f"{page}/agency/{town}/timely_acceptance/denominator",
    ):
        resp = leader.get(url)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 403
        assert "您只能查看本单位（及下属单位）的考核数据和事项。" in body
        assert n["F"] not in body and "城关镇" not in body
    # The dashboard shows their department only.
    dash = leader.get("/evaluation/dashboard").get_data(as_text=True)
    assert "县住建局" in dash and "城关镇" not in dash


def test_self_assessment_submitted_returned_and_resubmitted(app, june, as_user):
    leader = as_user("cjj_leader")
    page, cjj, town = june["page"], june["cjj"], june["town"]
    dept = f"{page}/agency/{cjj}"
    resp = leader.post(
        dept + "/assess",
        data={"csrf_token": csrf_token(leader, dept), "self_score": "95", "self_note": ""},
    )
    assert resp.status_code == 400
    assert "请写明自评说明（完成情况、扣分原因）。" in resp.get_data(as_text=True)
    resp = leader.post(
        dept + "/assess",
        data={"csrf_token": csrf_token(leader, dept), "self_score": "95", "self_note": "均按期"},
    )
    assert resp.status_code == 302
    other = leader.post(
        f"{page}/agency/{town}/assess",
        data={"csrf_token": csrf_token(leader, dept), "self_score": "99", "self_note": "代评"},
    )
    assert other.status_code == 403
    evaluator = as_user("evaluator")
    html = evaluator.get(page).get_data(as_text=True)
    assert "均按期" in html and "待复核" in html
    assessment_id = re.search(r"/evaluation/assessment/(\d+)/review", html).group(1)
    version = re.search(
        rf'assessment/{assessment_id}/review".*?name="version" value="(\d+)"', html, re.S
    ).group(1)
    url = f"/evaluation/assessment/{assessment_id}/review"
    token = csrf_token(evaluator, page)
    evaluator.post(url, data={"csrf_token": token, "version": version, "decision": "return"})
    assert "待复核" in evaluator.get(page).get_data(as_text=True)  # a return needs a reason
    resp = evaluator.post(
        url,
        data={
            "csrf_token": token,
            "version": version,
            "decision": "return",
            "review_note": "B 超期受理，自评偏高",
        },
    )
    assert resp.status_code == 302
    html = leader.get(dept).get_data(as_text=True)
    assert "退回自评" in html and "B 超期受理，自评偏高" in html and "提交自评" in html
    with app.app_context():
        events = [e.action for e in audit_events(like="evaluation.%")]
    assert events.count("evaluation.self_assessed") == 1
    assert events.count("evaluation.reviewed") == 1
