"""Category filters: a category finds the matters of every category below it, with and without
words and other filters, under record rules, following a matter's steps and recategorisation."""

from __future__ import annotations

from datetime import date

import pytest

from core.cases.models import ContentCategory, Matter
from core.cases.search import query as search_module
from core.cases.search.query import Filters, search
from core.extensions import db
from tests.cases_support import agency, as_, category, register, step


def _tree(leaf_name: str) -> tuple[int, int, int]:
    """(leaf, middle, top) ids of a level-3 category."""
    leaf = category(leaf_name)
    middle = db.session.get(ContentCategory, leaf.parent_id)
    return leaf.id, middle.id, middle.parent_id


def _ids(**kw) -> set[int]:
    return {m.id for m in search(Filters(**kw))}


def test_a_parent_category_finds_a_grandchild_matter(app):
    with app.app_context():
        leaf, middle, top = _tree("物业服务")
        wages, _, labour = _tree("拖欠工资")
        a = register(summary="物业公司不履行维修义务，要求处理。", category_id=leaf).id
        b = register(summary="工地拖欠工资，要求处理。", category_id=wages).id
        register(summary="物业费用争议，要求处理。")  # no category
        with as_("supervisor"):
            for chosen in (leaf, middle, top):
                assert _ids(category_id=chosen) == {a}
                assert _ids(category_id=chosen, state="registered") == {a}
                assert _ids(category_id=chosen, state="terminated") == set()
                assert _ids(category_id=chosen, channel="visit") == {a}
                assert _ids(text="物业", category_id=chosen) == {a}
                assert _ids(text="要求", category_id=chosen) == {a}
                assert _ids(text="工资", category_id=chosen) == set()
            assert _ids(category_id=labour) == {b}
            assert _ids(text="要求", category_id=labour) == {b}
            assert _ids(category_id=wages, agency_id=agency("XFJ").id) == {b}
            assert _ids(category_id=wages, agency_id=agency("CJJ").id) == set()
        # Record rules still decide what is shown.
        with as_("town_handler"):
            assert _ids(category_id=top) == set()
            assert _ids(text="物业", category_id=top) == set()


def test_a_category_search_follows_the_matter_through_its_steps(app):
    with app.app_context():
        leaf, _, top = _tree("物业服务")
        a = register(
            summary="物业公司不履行维修义务。", category_id=leaf, received_on=date(2026, 5, 6)
        ).id
        cjj = agency("CJJ").id
        step(a, "supervisor", "forward", on=date(2026, 5, 8), agency_id=cjj)
        with as_("supervisor"):
            state = db.session.get(Matter, a).state
            assert _ids(category_id=top, state="registered") == set()
            assert _ids(category_id=top, state=state) == {a}
            assert _ids(category_id=top, agency_id=cjj) == {a}
        with as_("handler"):  # CJJ sees it now
            assert _ids(category_id=top) == {a}


def test_recategorising_a_matter_moves_it_between_searches(app):
    with app.app_context():
        leaf, middle, top = _tree("物业服务")
        wages, wages_middle, labour = _tree("拖欠工资")
        m = register(summary="反映小区物业不作为，要求处理。", category_id=leaf).id
        matter = db.session.get(Matter, m)
        matter.category_id = wages
        db.session.commit()
        with as_("supervisor"):
            for old in (leaf, middle, top):
                assert _ids(category_id=old) == set()
                assert _ids(text="物业", category_id=old) == set()
            for new in (wages, wages_middle, labour):
                assert _ids(category_id=new) == {m}
                assert _ids(text="物业", category_id=new) == {m}
        # Through the relationship as well, and back to no category at all.
        matter = db.session.get(Matter, m)
        matter.category = db.session.get(ContentCategory, middle)
        db.session.commit()
        with as_("supervisor"):
            assert _ids(category_id=top) == {m}
            assert _ids(category_id=leaf) == set()
            assert _ids(category_id=labour) == set()
        matter = db.session.get(Matter, m)
        matter.category_id = None
        db.session.commit()
        with as_("supervisor"):
            assert _ids(category_id=top) == set()


@pytest.mark.parametrize("text", ["", "反映"])
def test_a_category_search_pages_by_key(app, monkeypatch, text):
    # Tiny windows: a search with words widens its window through the index several times;
    # paging by key, with or without words, must neither repeat nor skip a matter.
    monkeypatch.setattr(search_module, "WINDOWS", (1, 2, 3))
    with app.app_context():
        leaf, middle, top = _tree("物业服务")
        other = category("维修资金").id  # same parents, another leaf
        wages = category("拖欠工资").id
        wanted = []
        for i in range(9):
            filed = (leaf, other, wages, None)[i % 4]
            m = register(summary=f"反映问题第{i}次，要求处理。", category_id=filed)
            if filed in (leaf, other):
                wanted.append(m.id)
        for _ in range(3):
            register(summary="工地拖欠工资。", category_id=wages)
        with as_("supervisor"):
            for chosen, expected in ((top, wanted), (middle, wanted), (leaf, wanted[::2])):
                seen, after = [], None
                while True:
                    page = search(Filters(text=text, category_id=chosen), after_id=after, limit=2)
                    seen += [m.id for m in page]
                    if len(page) < 2:
                        break
                    after = page[-1].id
                assert seen == sorted(expected, reverse=True)
