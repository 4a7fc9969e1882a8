"""The matter search page (/cases/search) and /api/v1/search: words, filters, key paging,
record rules, masking, refused parameters and the export link."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from core.cases.lifecycle.registration import PartyInput
from core.extensions import db
from tests.cases_support import agency, register, step

OTHER_ID = "110105194912310062"
NUMBER_LINK = re.compile(r'<a href="/cases/(\d+)">([^<]+)</a>')


def text(resp) -> str:
    return resp.get_data(as_text=True)


def found(html: str) -> list[str]:
    """The matter numbers listed on a search page, in order."""
    return [number for _id, number in NUMBER_LINK.findall(html)]


def link(html: str, label: str) -> str | None:
    m = re.search(rf'<a href="([^"]+)">[^<]*{label}', html)
    return m.group(1).replace("&amp;", "&") if m else None


def _seed(app) -> dict[str, str]:
    """Three matters at the bureau (XFJ); the first forwarded to the housing bureau (CJJ)."""
    with app.app_context():
        a = register(summary="反映小区拆迁补偿款未到位，要求补发。", received_on=date(2026, 5, 6))
        b = register(
            channel="letter",
            summary="来信反映工地夜间噪声扰民，要求处理。",
            demands=["停止夜间施工"],
            received_on=date(2026, 5, 7),
            parties=[PartyInput(name="李秀英", id_number=OTHER_ID, mobile="13900001111")],
        )
        c = register(
            summary="集体反映供暖不热。",
            demands=["恢复供暖"],
            received_on=date(2026, 5, 8),
            flags=["collective"],
            place_text="城关镇幸福里小区",
        )
        step(a.id, "supervisor", "forward", on=date(2026, 5, 8), agency_id=agency("CJJ").id)
        numbers = {"a": a.number, "b": b.number, "c": c.number}
        db.session.remove()
    return numbers


def test_a_two_character_word_finds_its_matter(app, as_user):
    n = _seed(app)
    supervisor = as_user("supervisor")
    html = text(supervisor.get("/cases/search?q=噪声"))
    assert found(html) == [n["b"]]
    assert "李秀英" in html  # the supervisor may see personal data
    assert found(text(supervisor.get("/cases/search?q=补偿款"))) == [n["a"]]
    assert found(text(supervisor.get("/cases/search?q=幸福里"))) == [n["c"]]  # the place
    # Without words every visible matter is listed, newest first.
    assert found(text(supervisor.get("/cases/search"))) == [n["c"], n["b"], n["a"]]
    # The number links to the matter page.
    assert re.search(r'<a href="/cases/\d+">' + re.escape(n["b"]), html)


def test_filters_narrow_the_results(app, as_user):
    n = _seed(app)
    supervisor = as_user("supervisor")

    def numbers(query: str) -> set[str]:
        resp = supervisor.get(f"/cases/search?{query}")
        assert resp.status_code == 200
        return set(found(text(resp)))

    assert numbers("q=要求") == {n["a"], n["b"]}
    assert numbers("q=要求&channel=letter") == {n["b"]}
    assert numbers("channel=visit") == {n["a"], n["c"]}
    assert numbers("state=forwarded") == {n["a"]}
    assert numbers("state=registered") == {n["b"], n["c"]}
    assert numbers("from=2026-05-07&to=2026-05-07") == {n["b"]}
    assert numbers("from=2026-05-07") == {n["b"], n["c"]}
    assert numbers("to=2026-05-06") == {n["a"]}
    assert numbers("flag=collective") == {n["c"]}
    assert numbers("flag=collective&flag=anonymous") == set()
    with app.app_context():
        cjj = agency("CJJ").id
    assert numbers(f"agency={cjj}") == {n["a"]}
    # The form shows the chosen filters again.
    html = text(supervisor.get("/cases/search?state=forwarded&flag=collective&q=要求"))
    assert '<option value="forwarded" selected>' in html
    assert 'value="collective" checked' in html and 'value="要求"' in html


def test_keyset_paging_through_the_api_returns_each_matter_once(app, as_user):
    with app.app_context():
        ids = [register(summary=f"物业维修资金纠纷第{i}件").id for i in range(5)]
        register(summary="与查找无关的来访")
    supervisor = as_user("supervisor")
    seen: list[int] = []
    after = None
    for _ in range(5):
        url = "/api/v1/search?q=物业维修&limit=2" + (f"&after={after}" if after else "")
        body = supervisor.get(url).get_json()
        assert len(body["items"]) <= 2
        seen += [item["id"] for item in body["items"]]
        after = body["next_after"]
        if after is None:
            break
    assert seen == ids[::-1]  # newest first, none twice, none missed
    first = supervisor.get("/api/v1/search?q=物业维修&limit=2").get_json()
    assert first["next_after"] == ids[3]
    assert {"number", "state", "lead", "url"} <= set(first["items"][0])


def test_the_page_links_to_the_next_page_and_back_with_the_same_filters(app, as_user, monkeypatch):
    monkeypatch.setattr("core.cases.web.search_views.PAGE_SIZE", 2)
    with app.app_context():
        numbers = [
            register(summary=f"物业维修资金纠纷第{i}件", received_on=date(2026, 5, 1)).number
            for i in range(3)
        ]
        register(summary="物业维修资金纠纷，来信", channel="letter", received_on=date(2026, 5, 1))
    supervisor = as_user("supervisor")
    first = text(supervisor.get("/cases/search?q=物业维修&channel=visit&flag=&overdue="))
    assert found(first) == numbers[::-1][:2]
    assert "回到第一页" not in first
    nxt = link(first, "下一页")
    assert nxt, "no next link"
    args = parse_qs(urlsplit(nxt).query)
    assert args["q"] == ["物业维修"] and args["channel"] == ["visit"] and "after" in args
    second = text(supervisor.get(nxt))
    assert found(second) == numbers[::-1][2:]
    assert link(second, "下一页") is None
    back = link(second, "回到第一页")
    assert back and "after" not in parse_qs(urlsplit(back).query)
    assert found(text(supervisor.get(back))) == found(first)


def test_results_obey_the_record_rules(app, as_user):
    n = _seed(app)
    # The housing bureau's handler sees only the matter forwarded to it.
    assert found(text(as_user("handler").get("/cases/search?q=要求"))) == [n["a"]]
    assert found(text(as_user("handler").get("/cases/search"))) == [n["a"]]
    # A town's handler sees none of the bureau's matters, on the page or through the API.
    town = as_user("town_handler")
    assert found(text(town.get("/cases/search?q=要求"))) == []
    assert town.get("/api/v1/search?q=要求").get_json()["items"] == []
    # The agency list offers only agencies the user can see.
    with app.app_context():
        xfj, town_id = agency("XFJ").id, agency("TOWN").id
    html = text(town.get("/cases/search"))
    offered = re.search(r'<select name="agency".*?</select>', html, re.S).group(0)
    assert f'<option value="{town_id}"' in offered and f'<option value="{xfj}"' not in offered
    # Naming another agency's id does not widen the search.
    assert found(text(town.get(f"/cases/search?agency={xfj}"))) == []


def test_without_personal_data_rights_names_are_masked_and_not_searchable(app, as_user):
    n = _seed(app)
    leader = as_user("leader")  # bureau-wide records, no core.personal_data.view
    html = text(leader.get("/cases/search?q=噪声"))
    assert found(html) == [n["b"]]
    assert "李＊＊" in html and "李秀英" not in html
    assert found(text(leader.get("/cases/search?q=李秀英"))) == []
    assert found(text(leader.get(f"/cases/search?q={OTHER_ID}"))) == []
    assert leader.get("/api/v1/search?q=13900001111").get_json()["items"] == []
    items = leader.get("/api/v1/search?q=噪声").get_json()["items"]
    assert [i["lead"] for i in items] == ["李＊＊"]
    # The supervisor finds the matter by the petitioner's name, ID number and phone.
    supervisor = as_user("supervisor")
    for q in ("李秀英", OTHER_ID, "13900001111"):
        assert found(text(supervisor.get(f"/cases/search?q={q}"))) == [n["b"]], q


@pytest.mark.parametrize(
    ("query", "param", "message"),
    [
        ("from=2026-13-01", "from", "日期格式应为 YYYY-MM-DD"),
        ("from=2026-05-08&to=2026-05-01", "to", "结束日期不能早于开始日期"),
        ("state=bogus", "state", "未知的状态"),
        ("channel=pigeon", "channel", "未知的信访形式"),
        ("category=abc", "category", "应为数字编号"),
        ("flag=nonsense", "flag", "未知的标识"),
        ("after=-3", "after", "翻页位置应为正整数"),
    ],
)
def test_bad_parameters_are_explained_in_chinese(app, as_user, query, param, message):
    client = as_user("supervisor")
    resp = client.get(f"/cases/search?{query}")
    assert resp.status_code == 200
    html = text(resp)
    assert message in html and "查找条件有误" in html
    assert f'id="{param}-error"' in html
    assert "Traceback" not in html
    api = client.get(f"/api/v1/search?{query}")
    assert api.status_code == 400
    error = api.get_json()["error"]
    assert error["code"] == 400 and message in error["message"]
    assert param in error["errors"]


@pytest.mark.parametrize("limit", ["0", "101", "x", "-1"])
def test_api_limit_must_be_1_to_100(app, as_user, limit):
    resp = as_user("supervisor").get(f"/api/v1/search?limit={limit}")
    assert resp.status_code == 400
    assert "每页条数" in resp.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("\"' OR 1=1 --", "none"),  # the words "or" and "1" are searched for, found nowhere
        ("*", "refused"),  # no word at all: refused (it would list and export every matter)
        ("NEAR(", "none"),
        (":", "refused"),
        ('"噪声"*', "b"),
        ("噪声:", "b"),
        ("(噪声", "b"),
        ("噪声 %_\\", "b"),
        ("噪声 NEAR(", "none"),  # "near" is a word the matter does not hold
    ],
)
def test_sql_and_full_text_syntax_is_searched_as_plain_text(app, as_user, query, expected):
    n = _seed(app)
    client = as_user("supervisor")
    resp = client.get("/cases/search", query_string={"q": query})
    assert resp.status_code == 200
    if expected == "refused":
        assert "关键词中没有可查找的文字" in text(resp)
        api = client.get("/api/v1/search", query_string={"q": query})
        assert api.status_code == 400
        return
    want = {"none": [], "b": [n["b"]]}[expected]
    assert "查找条件有误" not in text(resp)
    assert found(text(resp)) == want
    api = client.get("/api/v1/search", query_string={"q": query})
    assert api.status_code == 200
    assert [i["number"] for i in api.get_json()["items"]] == want


def test_only_case_workers_search_and_see_the_link(app, as_user):
    nobody = as_user("nobody")
    assert nobody.get("/cases/search").status_code == 403
    assert nobody.get("/api/v1/search").status_code == 403
    assert 'href="/cases/search"' not in text(nobody.get("/"))
    assert 'href="/cases/search"' in text(as_user("supervisor").get("/"))
    assert app.test_client().get("/cases/search").status_code in (302, 401)


def test_the_export_link_carries_every_filter(app, as_user):
    n = _seed(app)
    supervisor = as_user("supervisor")
    html = text(supervisor.get("/cases/search?q=要求&channel=letter&after=999999"))
    export = link(html, "导出这些事项")
    assert export and export.startswith("/cases/export?")
    args = parse_qs(urlsplit(export).query)
    assert args == {"q": ["要求"], "channel": ["letter"]}
    page = text(supervisor.get(export))
    assert "1 条" in page
    csv = text(supervisor.get(export.replace("/cases/export?", "/cases/export.csv?")))
    assert n["b"] in csv and n["a"] not in csv
    # Filters the old export did not know carry over too; bad ones are refused with the reason.
    assert "1 条" in text(supervisor.get("/cases/export?flag=collective"))
    refused = supervisor.get("/cases/export.csv?state=bogus")
    assert refused.status_code == 400 and "未知的状态" in text(refused)
