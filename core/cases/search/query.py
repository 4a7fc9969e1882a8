"""Searching matters in Chinese written without spaces.

A query is tokenised like the indexed text (``core.cases.search.index``) and a matter matches
when it holds all the query's tokens — so a two-character word is one bigram lookup, and any
substring of two or more characters is found. A single CJK character is matched as a prefix of
the bigrams. Nothing of the user's query reaches the full-text syntax: tokens are only CJK
characters, letters and digits, and are quoted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, bindparam, func, literal_column, or_, select, text

from core.accounts.actor import current_actor
from core.accounts.masking import may_view_personal
from core.cases.models import Clock, Matter
from core.cases.models.search_index import MatterIndex
from core.cases.people.sealing import sealed_criterion
from core.cases.records.categories import subtree
from core.cases.search.index import IS_CJK, facet_tokens, tokens
from core.extensions import db
from core.web.http import INT_MAX, parse_int

#: The longest query text (the OpenAPI document's ``maxLength`` of ``q``).
MAX_QUERY = 200
#: A query text with no character the index holds (only ``%``, ``_``, punctuation …).
NOTHING_TO_SEARCH = "关键词中没有可查找的文字（汉字、字母或数字）：请输入要查找的内容。"


def _filter_tokens(f: Filters) -> list[str]:
    tokens_ = facet_tokens(f.state, f.channel, (), f.flags)
    if f.agency_id:
        tokens_.append(f"zagency{f.agency_id}")
    return tokens_


def _match(
    dialect: str,
    column: str,
    query_tokens: list[str],
    low: int | None = None,
    high: int | None = None,
):
    """A SQL condition: the index row's ``column`` holds every token (prefix for 1 CJK char).

    ``low``/``high`` bound the matter ids looked at (``low <= id < high``); SQLite's full-text
    table takes them inside its own lookup, so only that slice of a common word's hits is read.
    """
    if dialect == "postgresql":
        parts = []
        for t in query_tokens:
            # Tokens are only CJK characters, letters and digits: safe inside single quotes.
            parts.append(f"'{t}':*" if len(t) == 1 and IS_CJK.match(t) else f"'{t}'")
        # The stored ``{column}_tsv`` column (migration core_0006), GIN-indexed.
        return literal_column(f"{MatterIndex.__tablename__}.{column}_tsv").op("@@")(
            func.to_tsquery(literal_column("'simple'"), " & ".join(parts))
        )
    quoted = " ".join(
        f'"{t}"*' if len(t) == 1 and IS_CJK.match(t) else f'"{t}"' for t in query_tokens
    )
    sql = (
        "core_matter_index.matter_id IN (SELECT rowid FROM core_matter_fts "
        "WHERE core_matter_fts MATCH :q"
    )
    params = [bindparam("q", f"{{{column}}} : ({quoted})", unique=True)]
    if low:
        sql += " AND rowid >= :low"
        params.append(bindparam("low", low, unique=True))
    if high:
        sql += " AND rowid < :high"
        params.append(bindparam("high", high, unique=True))
    return text(sql + ")").bindparams(*params)


@dataclass
class Filters:
    """Search filters; all optional."""

    text: str = ""
    state: str | None = None
    channel: str | None = None
    category_id: int | None = None
    agency_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    flags: list[str] = field(default_factory=list)
    overdue: bool = False


def parse_filters(args: Mapping[str, str]) -> tuple[Filters, dict[str, str]]:
    """Filters from query parameters (``q state channel category agency from to flag overdue``).

    Returns the filters and the problems found, by parameter, in Chinese; a parameter with a
    problem is left out of the filters.
    """
    from core.cases.lifecycle.table import STATES
    from core.cases.models.matter import CHANNELS, FLAGS

    errors: dict[str, str] = {}

    def pick(name: str, allowed, label: str) -> str | None:
        value = (args.get(name) or "").strip()
        if value and value not in allowed:
            errors[name] = f"未知的{label}：{value[:30]}。"
            return None
        return value or None

    def number(name: str) -> int | None:
        value = (args.get(name) or "").strip()
        if not value:
            return None
        number_ = parse_int(value)
        if number_ is None:
            # An id past PostgreSQL's integer would fail in the database (a 500).
            errors[name] = f"应为数字编号（1 到 {INT_MAX}）。"
        return number_

    def day(name: str) -> date | None:
        value = (args.get(name) or "").strip()
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            errors[name] = f"日期格式应为 YYYY-MM-DD：{value[:30]}"
            return None

    getlist = getattr(args, "getlist", None)
    flags = [v for v in (getlist("flag") if getlist else [args.get("flag") or ""]) if v]
    unknown = [v for v in flags if v not in FLAGS]
    if unknown:
        errors["flag"] = f"未知的标识：{'、'.join(v[:30] for v in unknown)}。"
    text_ = args.get("q") or ""
    if len(text_) > MAX_QUERY:
        # Refused, not cut: a cut query finds other matters than the one asked for.
        errors["q"] = f"关键词不能超过 {MAX_QUERY} 个字（现有 {len(text_)} 个）。"
        text_ = ""
    elif text_.strip() and not tokens(text_):
        # Only wildcards or punctuation ("%", "_", "？"): nothing to look up. Searched as no
        # words it would list (and export) every matter the user may see.
        errors["q"] = NOTHING_TO_SEARCH
        text_ = ""
    f = Filters(
        text=text_,
        state=pick("state", STATES, "状态"),
        channel=pick("channel", CHANNELS, "信访形式"),
        category_id=number("category"),
        agency_id=number("agency"),
        received_from=day("from"),
        received_to=day("to"),
        flags=[v for v in flags if v in FLAGS],
        overdue=(args.get("overdue") or "") in ("1", "on", "true"),
    )
    if f.received_from and f.received_to and f.received_from > f.received_to:
        errors["to"] = "结束日期不能早于开始日期。"
    return f, errors


#: Id spans searched one after the other, newest first, before the rest of the table.
#: A common word ("补偿", "物业") matches a tenth of all matters: fetching every hit and sorting
#: them to show the newest 50 grows with the table, while the newest few thousand matters
#: already hold 50 hits. A rare word finds nothing there and widens the window quickly, each
#: window an index lookup of its own.
WINDOWS = (2_000, 8_000, 32_000, 128_000, 512_000)


def search(f: Filters, *, after_id: int | None = None, limit: int = 50) -> list[Matter]:
    """The first ``limit`` matters matching ``f``, newest first, below keyset ``after_id``.

    The next page is ``search(f, after_id=<last id>)`` when ``limit`` rows came back.
    """
    if not tokens(f.text):
        return list(
            db.session.execute(search_statement(f, after_id=after_id, limit=limit)).scalars()
        )
    top = after_id
    if top is None:
        newest = db.session.connection().execute(select(func.max(MatterIndex.matter_id))).scalar()
        top = (newest or 0) + 1
    found: list[Matter] = []
    for span in (*WINDOWS, None):
        low = None if span is None else top - span
        rows = db.session.execute(
            search_statement(f, after_id=top, from_id=low, limit=limit - len(found))
        ).scalars()
        found.extend(rows)
        if len(found) >= limit or low is None or low <= 1:
            break
        top = low
    return found


def search_statement(
    f: Filters, *, after_id: int | None = None, from_id: int | None = None, limit: int | None = 50
) -> Select:
    """The matters matching ``f``, newest first, with ids in ``[from_id, after_id)``.

    Record rules apply when the statement runs. Petitioner identities are searched only for users
    who may see personal data, and never in matters whose accuser is sealed from them.
    """
    stmt = select(Matter)
    words = tokens(f.text)
    if words:
        dialect = db.engine.dialect.name
        # The filters' facets join the words in the index lookup (they are tested on the
        # matters below as well, which keeps the answer right whatever the index holds).
        terms = [*words, *_filter_tokens(f)]
        content = _match(dialect, "content", terms, from_id, after_id)
        personal = may_view_personal()
        hits = select(MatterIndex.matter_id).where(
            or_(content, _match(dialect, "identity", terms, from_id, after_id))
            if personal
            else content
        )
        # The id range goes into the index lookup too, so only that slice of hits is read.
        if after_id:
            hits = hits.where(MatterIndex.matter_id < after_id)
        if from_id:
            hits = hits.where(MatterIndex.matter_id >= from_id)
        if dialect == "postgresql":
            # OFFSET 0 fences the subquery: the GIN indexes find every hit first, then the
            # matters are joined newest first. Without it the planner, expecting ~200 hits for
            # any word, walks all matters backwards by id and tests each row's tsvector — the
            # whole table for a name with fewer than 50 hits.
            hits = hits.offset(0)
        stmt = stmt.where(Matter.id.in_(hits))
        if personal:
            sealed = sealed_criterion(current_actor())
            if sealed is not None:
                # A sealed accuser's name, ID number or phone must not find the matter: keep a
                # sealed row only when its own text matched. Tested on the outer row (no scan
                # of every matter for the sealed ones); IS NOT TRUE keeps rows where it is NULL.
                # A correlated EXISTS (one primary-key probe, for sealed rows only): an IN
                # subquery would be hashed up front and PostgreSQL charges that to each probe.
                own_text = (
                    select(MatterIndex.matter_id)
                    .where(MatterIndex.matter_id == Matter.id, _match(dialect, "content", words))
                    .exists()
                )
                stmt = stmt.where(or_(sealed.is_not(True), own_text))
    if f.state:
        stmt = stmt.where(Matter.state == f.state)
    if f.channel:
        stmt = stmt.where(Matter.channel == f.channel)
    if f.category_id:
        # The chosen category and everything under it, written into the SQL as numbers: the
        # planner then knows how rare they are. Behind a subquery it guessed, and for a rare
        # category with a state walked back through the matters testing each (~20 ms at 100k).
        ids = bindparam("categories", subtree(f.category_id), expanding=True, literal_execute=True)
        stmt = stmt.where(Matter.category_id.in_(ids))
    if f.agency_id:
        stmt = stmt.where(
            or_(Matter.agency_id == f.agency_id, Matter.handling_agency_id == f.agency_id)
        )
    if f.received_from:
        stmt = stmt.where(Matter.received_on >= f.received_from)
    if f.received_to:
        stmt = stmt.where(Matter.received_on <= f.received_to)
    for flag in f.flags:
        # Flags are a JSON list; match the quoted flag name in its text form.
        stmt = stmt.where(func.cast(Matter.flags, db.String).like(f'%"{flag}"%'))
    if f.overdue:
        from core.cases.clocks.clocks import today

        late = select(Clock.matter_id).where(Clock.state == "running", Clock.due < today())
        stmt = stmt.where(Matter.id.in_(late))
    if after_id:
        stmt = stmt.where(Matter.id < after_id)
    if from_id:
        stmt = stmt.where(Matter.id >= from_id)
    return stmt.order_by(Matter.id.desc()).limit(limit)
