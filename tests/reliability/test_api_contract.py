"""The API keeps the promises of its OpenAPI document: 401 before CSRF, parameters refused with
a reason (never silently replaced), the registration schema as strict as the server, long URLs
answered in the API's JSON."""

from __future__ import annotations

import pytest

from core.cases.models import Matter
from core.extensions import db

REGISTRATION = {
    "channel": "phone",
    "summary": "来电反映小区供暖不热。",
    "parties": [{"name": "赵六", "mobile": "13900139000"}],
}
NOT_LOGGED_IN = "请先登录，或在请求头中提供有效的 API 令牌（Authorization: Bearer …）。"


def test_unauthenticated_api_post_is_a_json_401_not_a_csrf_400(app):
    client = app.test_client()
    resp = client.post("/api/v1/matters", json=REGISTRATION)
    assert resp.status_code == 401
    assert resp.get_json() == {"error": {"code": 401, "message": NOT_LOGGED_IN}}
    # With an anonymous session cookie (a login page seen before) it is the same answer.
    client.get("/login")
    resp = client.post("/api/v1/matters/1/transitions/accept", json={"version": 1})
    assert resp.status_code == 401
    assert resp.get_json()["error"]["message"] == NOT_LOGGED_IN
    with app.app_context():
        assert db.session.query(Matter).count() == 0


def test_a_logged_in_browser_session_still_needs_its_csrf_token(app, as_user):
    resp = as_user("clerk").post("/api/v1/matters", json=REGISTRATION)
    assert resp.status_code == 400
    assert "CSRF" in resp.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.query(Matter).count() == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("per_page=abc", "参数 per_page 应为 1 到 100 之间的整数：abc"),
        ("per_page=100000", "参数 per_page 应为 1 到 100 之间的整数：100000"),
        ("per_page=0", "参数 per_page 应为 1 到 100 之间的整数：0"),
        ("page=-1", "参数 page 应为 1 到 2147483647 之间的整数：-1"),
    ],
)
def test_api_paging_parameters_are_refused_not_replaced(app, clerk_api, query, message):
    for path in ("/api/v1/matters", "/api/v1/queue"):
        resp = app.test_client().get(f"{path}?{query}", headers=clerk_api)
        assert resp.status_code == 400, path
        assert resp.get_json()["error"]["message"] == message, path


def test_q_over_its_max_length_is_refused(app, clerk_api):
    client = app.test_client()
    resp = client.get("/api/v1/search?q=" + "供暖" * 101, headers=clerk_api)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["errors"] == {"q": "关键词不能超过 200 个字（现有 202 个）。"}
    resp = client.get("/api/v1/queue?q=" + "供" * 201, headers=clerk_api)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["message"] == "关键词不能超过 200 个字（现有 201 个）。"
    assert client.get("/api/v1/search?q=" + "供" * 200, headers=clerk_api).status_code == 200


def test_registration_schema_requires_a_party_as_the_server_does(app, clerk_api):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    schema = doc["components"]["schemas"]["Registration"]
    assert "parties" in schema["required"]
    assert schema["properties"]["parties"]["minItems"] == 1
    resp = app.test_client().post(
        "/api/v1/matters", json={**REGISTRATION, "parties": []}, headers=clerk_api
    )
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.query(Matter).count() == 0


def test_an_over_long_url_is_a_json_414_on_the_api_and_a_page_elsewhere(app, clerk_api):
    client = app.test_client()
    resp = client.get("/api/v1/matters?x=" + "a" * 5000, headers=clerk_api)
    assert resp.status_code == 414
    assert resp.get_json() == {
        "error": {"code": 414, "message": "请求地址过长（超过 4096 个字符），请缩短查询条件。"}
    }
    resp = client.get("/login?x=" + "a" * 5000)
    assert resp.status_code == 414
    assert resp.mimetype == "text/html"
    assert "请求地址过长" in resp.get_data(as_text=True)
