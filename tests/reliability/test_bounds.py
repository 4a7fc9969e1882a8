"""Integers out of range in URLs, query parameters and bodies answer 404/400 with a reason.

PostgreSQL's ``integer`` ends at 2**31 - 1: a bigger id or filter used to reach the database and
fail there ("integer out of range", a 500). The converter and the parameter parsing refuse them
before any query, on both backends alike.
"""

from __future__ import annotations

import pytest

from core.cases.models import Matter
from core.extensions import db
from tests.cases_support import register

BIG = "2147483648"  # one past PostgreSQL's integer
HUGE = "9" * 30
ENORMOUS = "9" * 4000  # a URL just under the 4096 characters answered at all


@pytest.mark.parametrize("number", [BIG, HUGE, ENORMOUS])
def test_api_matter_id_out_of_range_is_a_json_404(app, clerk_api, number):
    resp = app.test_client().get(f"/api/v1/matters/{number}", headers=clerk_api)
    assert resp.status_code == 404
    assert resp.get_json()["error"]["message"] == "编号超出范围，没有这条记录。"


def test_pages_and_downloads_with_an_id_out_of_range_are_404(app, as_user):
    with app.app_context():
        matter_id = register().id
    clerk = as_user("clerk")
    for url in (
        f"/cases/{BIG}",
        f"/cases/{matter_id}/attachments/{HUGE}",
        f"/admin/users/{BIG}",
    ):
        resp = clerk.get(url)
        assert resp.status_code == 404, url
        assert "编号超出范围" in resp.get_data(as_text=True), url


@pytest.mark.parametrize(
    ("param", "reason"),
    [
        ("after", "翻页位置应为正整数（不超过 2147483647）。"),
        ("agency", "应为数字编号（1 到 2147483647）。"),
        ("category", "应为数字编号（1 到 2147483647）。"),
    ],
)
def test_api_search_filters_out_of_range_are_400(app, clerk_api, param, reason):
    resp = app.test_client().get(f"/api/v1/search?{param}={HUGE}", headers=clerk_api)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["errors"] == {param: reason}


@pytest.mark.parametrize("param", ["page", "per_page"])
def test_api_paging_out_of_range_is_400(app, clerk_api, param):
    resp = app.test_client().get(f"/api/v1/matters?{param}={HUGE}", headers=clerk_api)
    assert resp.status_code == 400
    assert param in resp.get_json()["error"]["message"]


def test_export_and_search_page_with_a_filter_out_of_range_are_refused(app, as_user):
    clerk = as_user("clerk")
    resp = clerk.get(f"/cases/export.csv?agency={HUGE}")
    assert resp.status_code == 400
    assert "应为数字编号（1 到 2147483647）" in resp.get_data(as_text=True)
    resp = clerk.get(f"/cases/search?category={BIG}")
    assert resp.status_code == 200  # the search page shows problems next to its form
    assert "应为数字编号（1 到 2147483647）" in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (f"/cases/queue?page={HUGE}", "page"),
        (f"/cases/queue?tab=all&after={BIG}", "after"),
        (f"/admin/users?page={HUGE}", "page"),
        ("/admin/users?page=abc", "page"),
    ],
)
def test_integer_parameters_of_pages_out_of_range_are_400(app, as_user, url, name):
    # Every ``request.args.get(name, type=int)`` of core and modules goes through this check.
    resp = as_user("admin").get(url)
    assert resp.status_code == 400
    assert f"参数“{name}”应为不超过 2147483647 的整数。" in resp.get_data(as_text=True)


def test_api_registration_with_a_category_out_of_range_is_422(app, clerk_api):
    body = {
        "channel": "phone",
        "summary": "来电反映小区供暖不热。",
        "category_id": 99999999999,
        "parties": [{"name": "赵六", "mobile": "13900139000"}],
    }
    resp = app.test_client().post("/api/v1/matters", json=body, headers=clerk_api)
    assert resp.status_code == 422
    assert resp.get_json()["error"]["errors"]["category_id"] == "内容分类无效。"
    with app.app_context():
        assert db.session.query(Matter).count() == 0


@pytest.mark.parametrize("field", ["head_count", "people_involved", "complained_agency_id"])
def test_api_registration_with_a_number_out_of_range_is_422(app, clerk_api, field):
    body = {
        "channel": "phone",
        "summary": "来电反映小区供暖不热。",
        field: 99999999999,
        "parties": [{"name": "赵六", "mobile": "13900139000"}],
    }
    resp = app.test_client().post("/api/v1/matters", json=body, headers=clerk_api)
    assert resp.status_code == 422
    assert field in resp.get_json()["error"]["errors"]
    with app.app_context():
        assert db.session.query(Matter).count() == 0
