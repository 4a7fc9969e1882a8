"""The scheme page: weights summing to 100, the 基本满意 rule, audited, view vs manage."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.api import db
from tests.kit import AuditEvent, csrf_token, install_module

EVALUATOR = {"evaluator": ("考核员小周", "evaluator", "XFJ")}


def _form(c) -> dict[str, str]:
    html = c.get("/evaluation/scheme").get_data(as_text=True)
    fields = dict(re.findall(r'name="((?:weight|target|deduction|cap)-\d+)" value="([^"]*)"', html))
    fields.update(re.findall(r'name="(deduction_unit-\d+)".*?<option value="(\w+)" selected', html))
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
    keys = sorted((k for k in data if k.startswith("weight-")), key=lambda k: int(k[7:]))
    assert [data[k] for k in keys] == ["20", "25", "5", "20", "0", "10", "10", "5", "5", "0", "0"]
    resp = c.post("/evaluation/scheme", data={**data, keys[0]: "25"})
    assert resp.status_code == 400
    assert "各指标权重之和须为 100，现为 105。" in resp.get_data(as_text=True)
    resp = c.post("/evaluation/scheme", data={**data, keys[0]: "abc"})
    assert "“及时受理率”的权重须为 0 至 100 的整数。" in resp.get_data(as_text=True)
    fpr = keys[6].split("-")[1]  # 初信初访化解率: target 90, 1 point per point short, cap 10
    rule = (data[f"target-{fpr}"], data[f"deduction-{fpr}"], data[f"cap-{fpr}"])
    assert rule == ("90", "1", "10")
    resp = c.post("/evaluation/scheme", data={**data, f"target-{fpr}": ""})
    assert "“初信初访化解率”设了扣分，须同时设目标值。" in resp.get_data(as_text=True)
    # Unchecked box: 基本满意 no longer counts as satisfied; a stricter target, a smaller cap.
    changed = {keys[0]: "25", keys[1]: "20", f"target-{fpr}": "95", f"cap-{fpr}": "8"}
    resp = c.post("/evaluation/scheme", data={**data, **changed})
    assert resp.status_code == 302
    with app.app_context():
        from modules.evaluation.services import default_scheme

        scheme = default_scheme()
        assert [i.weight for i in scheme.indicators][:4] == [25, 20, 5, 20]
        assert (scheme.indicators[6].target, scheme.indicators[6].cap) == (95.0, 8.0)
        assert scheme.basically_counts is False
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "evaluation.scheme_changed")
        ).scalar_one()
        assert event.detail["before"]["weights"]["timely_acceptance"] == 20
        assert event.detail["after"]["weights"]["timely_acceptance"] == 25
        assert event.detail["after"]["items"]["first_petition_resolution"]["target"] == 95.0
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
