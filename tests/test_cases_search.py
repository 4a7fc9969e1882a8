"""Chinese search over matters: bigrams, syntax characters, identities, record rules."""

from datetime import date

import pytest

from core.cases.lifecycle.registration import PartyInput
from core.cases.models import Matter
from core.cases.search import query as search_module
from core.cases.search.index import tokens
from core.cases.search.query import Filters, search
from core.extensions import db
from tests.cases_support import agency, as_, register, step

OTHER_ID = "110105194912310062"


def test_tokens_are_bigrams_and_words():
    assert tokens("拆迁补偿") == ["拆迁", "迁补", "补偿"]
    assert tokens("拆") == ["拆"]
    assert tokens("电话13800138000，ＡＢＣ") == ["电话", "13800138000", "abc"]
    assert tokens("'; DROP TABLE x; --") == ["drop", "table", "x"]


def _seed():
    a = register(summary="反映拆迁补偿款未到位，要求补发。", received_on=date(2026, 5, 6))
    b = register(
        summary="小区噪声污染扰民，要求处理。",
        demands=["停止夜间施工"],
        received_on=date(2026, 5, 7),
        parties=[PartyInput(name="李秀英", id_number=OTHER_ID, mobile="13900001111")],
    )
    return a.id, b.id


def _ids(**kw):
    return {m.id for m in search(Filters(**kw))}


def test_two_character_words_and_substrings(app):
    with app.app_context():
        a, b = _seed()
        with as_("supervisor"):
            assert _ids(text="拆迁") == {a}
            assert _ids(text="补偿款") == {a}
            assert _ids(text="噪声") == {b}
            assert _ids(text="拆迁 噪声") == set()  # all tokens must match
            assert _ids(text="拆") == {a}  # one character: prefix of a bigram
            assert _ids(text="要求") == {a, b}
            assert _ids(text="要求", channel="letter") == set()


@pytest.mark.parametrize(
    "query",
    [
        "拆迁'",
        '"拆迁"',
        "拆迁*",
        "(拆迁)",
        "拆迁:",
        "{}: 拆迁",
        "^拆迁",
        "拆迁 -",
        "拆迁)(",
        "拆迁%_\\",
        "\x00拆迁",
        "拆迁;--",
        "拆迁 & | !",
    ],
)
def test_fts_and_sql_syntax_characters_are_plain_text(app, query):
    with app.app_context():
        a, _ = _seed()
        with as_("supervisor"):
            assert _ids(text=query) == {a}


def test_sql_words_are_searched_as_words(app):
    with app.app_context():
        _seed()
        with as_("supervisor"):
            assert _ids(text="拆迁' OR '1'='1") == set()
            assert _ids(text="'; DROP TABLE core_matter; --") == set()
            assert len(_ids(text="")) == 2


def test_identity_search_needs_personal_data_permission(app):
    with app.app_context():
        _, b = _seed()
        with as_("supervisor"):  # has core.personal_data.view
            assert _ids(text="李秀英") == {b}
            assert _ids(text=OTHER_ID) == {b}
            assert _ids(text="13900001111") == {b}
        with as_("leader"):  # bureau-wide records, no personal data permission
            assert _ids(text="噪声") == {b}
            assert _ids(text="李秀英") == set()
            assert _ids(text=OTHER_ID) == set()


def test_sealed_accuser_not_searchable_by_the_unit_complained_about(app):
    with app.app_context():
        m = register(
            summary="举报住建局工作人员索要好处费。",
            purpose="accusation",
            handling_type="accusation",
            complained_agency_id=agency("CJJ").id,
            parties=[PartyInput(name="赵举报", id_number=OTHER_ID)],
            received_on=date(2026, 5, 8),
        )
        step(m.id, "supervisor", "forward", on=date(2026, 5, 8), agency_id=agency("CJJ").id)
        db.session.expire_all()
        with as_("supervisor"):
            assert _ids(text="赵举报") == {m.id}
        with as_("handler"):  # CJJ: sees the matter, has personal data permission
            assert _ids(text="好处费") == {m.id}
            assert _ids(text="赵举报") == set()


def test_results_obey_record_rules(app):
    with app.app_context():
        a, _b = _seed()
        step(a, "supervisor", "forward", on=date(2026, 5, 8), agency_id=agency("CJJ").id)
        with as_("handler"):
            assert _ids(text="要求") == {a}
        with as_("town_handler"):
            assert _ids(text="要求") == set()


def test_word_with_filters_follows_the_matter_through_its_steps(app):
    # The index carries the filters' facets; a step that changes the state or the handling
    # agency must change what a word-plus-filter search finds.
    with app.app_context():
        a, b = _seed()
        cjj = agency("CJJ").id
        with as_("supervisor"):
            assert _ids(text="要求", state="registered") == {a, b}
            assert _ids(text="要求", agency_id=cjj) == set()
        step(a, "supervisor", "forward", on=date(2026, 5, 8), agency_id=cjj)
        with as_("supervisor"):
            state = db.session.get(Matter, a).state
            assert state != "registered"
            assert _ids(text="要求", state="registered") == {b}
            assert _ids(text="要求", state=state) == {a}
            assert _ids(text="要求", agency_id=cjj) == {a}
            assert _ids(text="要求", channel="visit", flags=["collective"]) == set()


def test_windows_walk_back_to_old_matters_and_page_by_key(app, monkeypatch):
    # Tiny windows: the newest matters do not hold enough hits, so the search widens its
    # window several times; paging by key must neither repeat nor skip a matter.
    monkeypatch.setattr(search_module, "WINDOWS", (1, 2, 3))
    with app.app_context():
        wanted = [register(summary=f"反映物业维修资金问题第{i}次。").id for i in range(5)]
        for _ in range(4):
            register(summary="小区噪声污染扰民。")
        wanted += [register(summary="物业收费不合理。").id]
        with as_("supervisor"):
            first = search(Filters(text="物业"), limit=4)
            rest = search(Filters(text="物业"), after_id=first[-1].id, limit=4)
            more = search(Filters(text="物业"), after_id=rest[-1].id, limit=4)
        seen = [m.id for m in first + rest + more]
        assert seen == sorted(wanted, reverse=True)


def test_category_filter_takes_the_categories_below(app):
    from sqlalchemy import select

    from core.cases.models import ContentCategory

    with app.app_context():
        leaf = db.session.execute(
            select(ContentCategory).where(ContentCategory.name == "物业服务")
        ).scalar_one()
        middle, top = leaf.parent_id, db.session.get(ContentCategory, leaf.parent_id).parent_id
        a = register(summary="物业公司不履行维修义务。", category_id=leaf.id).id
        register(summary="物业费用争议。")
        with as_("supervisor"):
            for chosen in (leaf.id, middle, top):
                assert _ids(category_id=chosen) == {a}
                assert _ids(text="物业", category_id=chosen) == {a}
