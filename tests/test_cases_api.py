"""The JSON API of the case file (/api/v1): matters, steps, queue, rating and the OpenAPI."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.cases.models import ContentCategory, Matter, Rating
from core.extensions import db
from tests.cases_support import VALID_ID, agency, register, step
from tests.cases_web_support import (
    OPINION,
    api_token,
    assign_to_cjj,
    bearer,
    matter,
    timeline_count,
)

MASKED_ID = VALID_ID[:3] + "＊" * 11 + VALID_ID[-4:]
REGISTRATION = {
    "channel": "phone",
    "summary": "来电反映小区供暖不热，物业不处理。",
    "demands": ["恢复正常供暖", "退还部分供暖费"],
    "parties": [
        {"name": "赵六", "id_number": VALID_ID, "mobile": "13900139000", "address": "城关镇西街"}
    ],
}


def tokens(app, *usernames: str) -> dict[str, dict[str, str]]:
    with app.app_context():
        return {u: bearer(api_token(u)) for u in usernames}


def test_register_through_the_api(app):
    client = app.test_client()
    h = tokens(app, "clerk")["clerk"]
    with app.app_context():
        leaf = db.session.execute(
            select(ContentCategory).where(ContentCategory.name == "物业服务")
        ).scalar_one()
        leaf_id = leaf.id
    resp = client.post("/api/v1/matters", json={**REGISTRATION, "category_id": leaf_id}, headers=h)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert re.fullmatch(r"[A-Z2-9]{10}", body["query_code"])
    assert body["number"] and body["state"] == "registered"
    assert resp.headers["Location"] == f"/api/v1/matters/{body['id']}"
    with app.app_context():
        m = db.session.get(Matter, body["id"])
        assert m.channel == "phone" and m.demands == ["恢复正常供暖", "退还部分供暖费"]
        assert m.received_on == date.today()
        assert m.category.path_name == "城乡建设 → 物业管理 → 物业服务"
        assert m.lead.person.mobile == "13900139000"
    # A session cookie was not handed out: the next call still needs no CSRF token.
    assert "Set-Cookie" not in resp.headers


def test_refused_registration_answers_422_with_chinese_field_errors(app):
    client = app.test_client()
    h = tokens(app, "clerk")["clerk"]
    bad = {
        **REGISTRATION,
        "summary": "",
        "received_on": "2026-13-40",
        "parties": [{"name": "赵六", "id_number": VALID_ID[:-1] + "5"}],
    }
    resp = client.post("/api/v1/matters", json=bad, headers=h)
    assert resp.status_code == 422
    error = resp.get_json()["error"]
    assert error["code"] == 422 and "登记信息有误" in error["message"]
    assert error["errors"] == {
        "received_on": "请输入正确的日期（年-月-日）。",
        "summary": "请填写内容摘要（诉求、事实和理由）。",
        "parties-0-id_number": "身份证号码校验位不正确，请核对后重新输入。",
    }
    # Six representatives: refused by the service, with its reason.
    reps = [{"name": f"代表{i}", "is_representative": True} for i in range(6)]
    resp = client.post(
        "/api/v1/matters", json={**REGISTRATION, "parties": reps, "head_count": 40}, headers=h
    )
    assert resp.status_code == 422
    assert "代表人数不超过 5 人" in resp.get_json()["error"]["errors"]["parties"]
    assert client.post("/api/v1/matters", data="x", headers=h).status_code == 400
    unknown = client.post("/api/v1/matters", json={**REGISTRATION, "category_id": 99999}, headers=h)
    assert unknown.get_json()["error"]["errors"] == {"category_id": "内容分类无效。"}
    with app.app_context():
        assert db.session.execute(select(Matter)).first() is None


def test_list_and_detail_mask_personal_data_and_follow_the_record_rules(app):
    with app.app_context():
        m = register(channel="letter")
        assign_to_cjj(m.id)
        other = register(channel="visit")
        mid, other_id = m.id, other.id
    h = tokens(app, "cjj_leader", "clerk", "town_handler")
    client = app.test_client()

    listed = client.get("/api/v1/matters", headers=h["cjj_leader"]).get_json()
    assert [i["id"] for i in listed["items"]] == [mid]  # CJJ sees only what was assigned to it
    assert listed["items"][0]["lead"] == "王＊＊"
    assert listed["total"] == 1

    clerk = client.get("/api/v1/matters?channel=visit", headers=h["clerk"]).get_json()
    assert [i["id"] for i in clerk["items"]] == [other_id]
    assert clerk["items"][0]["lead"] == "王大明"
    paged = client.get("/api/v1/matters?per_page=1&page=2", headers=h["clerk"]).get_json()
    assert (
        paged["total"] == 2 and paged["pages"] == 2 and [i["id"] for i in paged["items"]] == [mid]
    )
    assert client.get("/api/v1/matters?state=assigned", headers=h["clerk"]).get_json()["total"] == 1
    assert client.get("/api/v1/matters?state=bogus", headers=h["clerk"]).status_code == 400

    detail = client.get(f"/api/v1/matters/{mid}", headers=h["cjj_leader"]).get_json()
    lead = detail["parties"][0]
    assert lead == {
        "role": "主访人",
        "name": "王＊＊",
        "id_number": MASKED_ID,
        "mobile": "138＊＊＊＊8000",
        "address": "城关镇东街1号"[:6] + "＊＊＊＊",
    }
    assert VALID_ID not in str(detail)
    kinds = {c["kind"]: c for c in detail["clocks"]}
    assert kinds["disposition"]["state"] == "met"
    assert kinds["assignment"]["due"] == (date.today() + timedelta(days=30)).isoformat()
    assert kinds["acceptance"]["explanation"] and kinds["acceptance"]["article"] == "条例第23条"
    assert {"交办", "登记（来信）"} <= {e["title"] for e in detail["timeline"]}
    assert {t["name"] for t in detail["transitions"]} >= {"accept", "object"}
    assert detail["documents"][0]["title"] == "信访事项交办单"

    missing = client.get(f"/api/v1/matters/{other_id}", headers=h["town_handler"])
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == 404
    assert client.get("/api/v1/matters").status_code == 401
    assert client.get("/api/v1/matters").get_json()["error"]["code"] == 401


def test_sealed_accuser_in_the_api(app):
    with app.app_context():
        m = register(purpose="accusation", complained_agency_id=agency("CJJ").id)
        assign_to_cjj(m.id)
        mid = m.id
    h = tokens(app, "handler", "clerk")
    client = app.test_client()
    sealed = client.get(f"/api/v1/matters/{mid}", headers=h["handler"]).get_json()
    assert sealed["identity_sealed"] is True and sealed["query_code"] is None
    assert set(sealed["parties"][0].values()) == {"主访人", "（已保密）"}
    assert all(d["download"] is None for d in sealed["documents"])
    listed = client.get("/api/v1/matters", headers=h["handler"]).get_json()
    assert listed["items"][0]["lead"] == "（已保密）"
    clear = client.get(f"/api/v1/matters/{mid}", headers=h["clerk"]).get_json()
    assert clear["parties"][0]["id_number"] == VALID_ID


def test_transitions_through_the_api(app):
    with app.app_context():
        mid = register().id
        cjj = agency("CJJ").id
    h = tokens(app, "supervisor", "clerk", "handler")
    client = app.test_client()
    url = f"/api/v1/matters/{mid}/transitions"
    version = client.get(f"/api/v1/matters/{mid}", headers=h["supervisor"]).get_json()["version"]
    deadline = (date.today() + timedelta(days=15)).isoformat()
    assign = {"version": version, "agency_id": cjj, "standard": "查清并答复", "deadline": deadline}

    # No permission: the clerk cannot triage.
    forbidden = client.post(f"{url}/assign", json=assign, headers=h["clerk"])
    assert forbidden.status_code == 403 and "交办" in forbidden.get_json()["error"]["message"]
    # Refused by the rules: a deadline must lie ahead.
    refused = client.post(
        f"{url}/assign",
        json={**assign, "deadline": date.today().isoformat()},
        headers=h["supervisor"],
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "请填写晚于今天的办理期限。"
    invalid = client.post(f"{url}/assign", json={"version": version}, headers=h["supervisor"])
    assert invalid.status_code == 422
    assert set(invalid.get_json()["error"]["errors"]) == {"agency_id", "standard", "deadline"}

    done = client.post(f"{url}/assign", json=assign, headers=h["supervisor"])
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["state"] == "assigned" and body["version"] > version
    assert body["issued_document"]["title"] == "信访事项交办单"

    # The same version again: someone (here: the same caller) changed the matter since.
    with app.app_context():
        before = timeline_count(mid)
    stale = client.post(f"{url}/assign", json=assign, headers=h["supervisor"])
    assert stale.status_code == 409
    assert stale.get_json()["error"]["message"].startswith("该记录已被他人修改")
    with app.app_context():
        assert timeline_count(mid) == before and matter(mid).state == "assigned"

    accepted = client.post(f"{url}/accept", json={"version": body["version"]}, headers=h["handler"])
    assert accepted.status_code == 200 and accepted.get_json()["state"] == "in_handling"
    version = accepted.get_json()["version"]
    opinion = client.post(
        f"{url}/draft_opinion", json={"version": version, **OPINION}, headers=h["handler"]
    )
    assert opinion.status_code == 200, opinion.get_json()
    assert opinion.get_json()["state"] == "opinion_pending"
    assert client.post(f"{url}/nonsense", json={}, headers=h["handler"]).status_code == 404
    assert client.post(f"{url}/accept", json={}, headers=h["handler"]).status_code == 409


def test_queue_and_rating_through_the_api(app):
    with app.app_context():
        waiting = register()
        m = register()
        assign_to_cjj(m.id)
        step(m.id, "handler", "accept")
        step(m.id, "handler", "draft_opinion", **OPINION)
        step(m.id, "cjj_leader", "approve_opinion")
        step(m.id, "handler", "record_delivery", method="in_person")
        step(m.id, "supervisor", "approve_completion")
        mid, waiting_id = m.id, waiting.id
    h = tokens(app, "supervisor", "handler")
    client = app.test_client()

    queue = client.get("/api/v1/queue?tab=review", headers=h["supervisor"]).get_json()
    assert [i["id"] for i in queue["items"]] == [waiting_id]
    assert queue["counts"]["review"] == 1
    mine = client.get("/api/v1/queue", headers=h["handler"]).get_json()
    assert mine["tab"] == "mine" and [i["id"] for i in mine["items"]] == [mid]
    assert client.get("/api/v1/queue?tab=x", headers=h["handler"]).status_code == 400

    url = f"/api/v1/matters/{mid}/ratings"
    no_reason = client.post(
        url, json={"target": "unit", "value": "dissatisfied"}, headers=h["supervisor"]
    )
    assert no_reason.status_code == 422
    assert "reason" in no_reason.get_json()["error"]["errors"]
    ok = client.post(url, json={"target": "bureau", "value": "basically"}, headers=h["supervisor"])
    assert ok.status_code == 201
    assert (
        client.post(url, json={"target": "bureau", "value": "x"}, headers=h["handler"]).status_code
        == 403
    )
    with app.app_context():
        assert db.session.execute(select(Rating.value)).scalars().all() == ["basically"]
    detail = client.get(f"/api/v1/matters/{mid}", headers=h["supervisor"]).get_json()
    assert {r["target"]: r["status"] for r in detail["ratings"]} == {
        "bureau": "rated",
        "unit": "pending",
    }


def _path_of(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_openapi_describes_every_api_route(app, client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    doc = resp.get_json()
    assert doc["openapi"].startswith("3.1")
    # Core's routes (modules describe their own API).
    routes = [
        r
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/") and r.endpoint.startswith("core.")
    ]
    assert any(r.rule.startswith("/api/v1/matters") for r in routes)
    for rule in routes:
        path = _path_of(rule.rule)
        assert path in doc["paths"], f"{rule.rule} is not in the OpenAPI document"
        methods = {m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}}
        assert methods <= set(doc["paths"][path]), f"{rule.rule}: {methods}"
    for path in doc["paths"]:
        assert any(_path_of(r.rule) == path for r in routes), f"{path} has no route"
    # Every reference resolves.
    text = resp.get_data(as_text=True)
    for name in set(re.findall(r'"#/components/schemas/(\w+)"', text)):
        assert name in doc["components"]["schemas"]
