"""A query made only of wildcards or punctuation has nothing to search: it is refused with a
message instead of matching (and exporting) every matter."""

from __future__ import annotations

import pytest

from core.audit import AuditEvent
from core.extensions import db
from tests.cases_support import register

NOTHING = "关键词中没有可查找的文字（汉字、字母或数字）：请输入要查找的内容。"


@pytest.fixture
def two_matters(app):
    with app.app_context():
        register()
        register()


@pytest.mark.parametrize("q", ["%", "_", "%_%", "％", "！？"])
def test_api_search_of_no_searchable_character_is_400(app, clerk_api, two_matters, q):
    resp = app.test_client().get("/api/v1/search", query_string={"q": q}, headers=clerk_api)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["errors"] == {"q": NOTHING}


def test_search_page_and_export_refuse_a_wildcard_query(app, as_user, two_matters):
    supervisor = as_user("supervisor")
    page = supervisor.get("/cases/search", query_string={"q": "%"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert NOTHING in html
    assert 'id="q-error"' in html
    export = supervisor.get("/cases/export.csv", query_string={"q": "__"})
    assert export.status_code == 400
    assert NOTHING in export.get_data(as_text=True)
    with app.app_context():
        exported = db.session.query(AuditEvent).filter(AuditEvent.action == "matter.export")
        assert exported.count() == 0
