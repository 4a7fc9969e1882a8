"""One page of matter search results, shared by the search page and ``/api/v1/search``.

The search itself (``core.cases.search.query``) finds the matters within the record rules; this adds
the paging (one row more than asked tells whether another page follows, so the "next" link is
never offered to an empty page) and loads what the result lists show of each matter in two
batched queries instead of one per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.cases.models import Matter, MatterParty
from core.cases.search.query import Filters, search
from core.extensions import db
from core.web.http import INT_MAX, parse_int

#: Rows on a page of the search page; the API lets the caller choose up to ``MAX_LIMIT``.
PAGE_SIZE = 50
MAX_LIMIT = 100


#: What each search parameter is called on the page, for messages that stand alone (API, export).
LABELS = {
    "q": "关键词",
    "state": "状态",
    "channel": "信访形式",
    "category": "内容分类",
    "agency": "机构",
    "from": "收到日期（起）",
    "to": "收到日期（止）",
    "flag": "标识",
    "after": "翻页位置",
    "limit": "每页条数",
}


def explain(errors: dict[str, str]) -> str:
    """The problems of ``errors`` (by parameter) as one Chinese sentence for the user."""
    parts = []
    for name, message in errors.items():
        label = LABELS.get(name, name)
        parts.append(message if label in message else f"{label}：{message}")
    return "查询条件有误：" + " ".join(parts)


@dataclass
class Results:
    """A page of matters, newest first; ``next_after`` is the key of the next page, if any."""

    items: list[Matter]
    next_after: int | None


def parse_paging(args, default: int = PAGE_SIZE) -> tuple[int | None, int, dict[str, str]]:
    """``after`` and ``limit`` from query parameters, with Chinese problems by parameter."""
    errors: dict[str, str] = {}
    after = None
    raw = (args.get("after") or "").strip()
    if raw:
        after = parse_int(raw)
        if after is None:  # past PostgreSQL's integer it would fail in the database
            errors["after"] = f"翻页位置应为正整数（不超过 {INT_MAX}）。"
    limit = default
    raw = (args.get("limit") or "").strip()
    if raw:
        checked = parse_int(raw, 1, MAX_LIMIT)
        if checked is None:
            errors["limit"] = f"每页条数应为 1 到 {MAX_LIMIT} 之间的整数。"
        else:
            limit = checked
    return after, limit, errors


def results(f: Filters, *, after: int | None = None, limit: int = PAGE_SIZE) -> Results:
    """The matters matching ``f`` below key ``after``, at most ``limit`` of them."""
    found = search(f, after_id=after, limit=limit + 1)
    items = found[:limit]
    _load_list_columns(items)
    return Results(items, items[-1].id if len(found) > limit else None)


def _load_list_columns(matters: list[Matter]) -> None:
    # The lists show the lead petitioner and the handling agency: load them for the whole page
    # at once (the matters are already in the session; only their unloaded relations are read).
    if not matters:
        return
    db.session.execute(
        select(Matter)
        .where(Matter.id.in_([m.id for m in matters]))
        .options(
            selectinload(Matter.parties).selectinload(MatterParty.person),
            selectinload(Matter.handling_agency),
        )
    ).scalars().all()
