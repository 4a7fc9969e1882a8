"""The scheme page: weights summing to 100, the 基本满意 rule, audited, view vs manage."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.api import db
from tests.kit import AuditEvent, csrf_token, install_module

EVALUATOR = {"evaluator": ("考核员小周", "evaluator", "XFJ")}


def _form(c) -> dict[str, str]:
    html = c.get("/evaluation/scheme").get_data(as_text=True)
    fields = dict(re.findall(r'name="(weight-\d+)" value="(\d+)"', html))
    version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', html)
    return {
        "csrf_token": csrf_token(c, "/evaluation/scheme"),
        "version": version.group(1) or version.group(2),
        **fields,
    }


def test_weights_must_sum_to_100_and_changes_are_audited(app, as_user):
    install_module(app, "evaluation", users=EVALUATOR)
    c = as_user("evaluator")
    data = _form(c)
    keys = sorted(k for k in data if k.startswith("weight-"))
    assert [data[k] for k in keys] == ["25", "35", "30", "10"]
    resp = c.post("/evaluation/scheme", data={**data, keys[0]: "30"})
    assert resp.status_code == 400
    assert "各指标权重之和须为 100，现为 105。" in resp.get_data(as_text=True)
    resp = c.post("/evaluation/scheme", data={**data, keys[0]: "abc"})
    assert "“及时受理率”的权重须为 0 至 100 的整数。" in resp.get_data(as_text=True)
    # Unchecked box: 基本满意 no longer counts as satisfied.
    resp = c.post("/evaluation/scheme", data={**data, keys[0]: "30", keys[1]: "30"})
    assert resp.status_code == 302
    with app.app_context():
        from modules.evaluation.services import default_scheme

        scheme = default_scheme()
        assert [i.weight for i in scheme.indicators] == [30, 30, 30, 10]
        assert scheme.basically_counts is False
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "evaluation.scheme_changed")
        ).scalar_one()
        assert event.detail["before"]["weights"]["timely_acceptance"] == 25
        assert event.detail["after"]["weights"]["timely_acceptance"] == 30
    # The page rendered before the change is stale now.
    resp = c.post("/evaluation/scheme", data=data)
    assert resp.status_code == 409


def test_leader_sees_the_scheme_but_cannot_change_it(app, as_user):
    install_module(app, "evaluation")
    leader = as_user("leader")
    html = leader.get("/evaluation/scheme").get_data(as_text=True)
    assert "及时受理率" in html and "保存方案" not in html
    resp = leader.post(
        "/evaluation/scheme", data={"csrf_token": csrf_token(leader, "/evaluation/scheme")}
    )
    assert resp.status_code == 403
