"""Searching matters in Chinese written without spaces.

Text is cut into tokens: every pair of adjacent CJK characters (bigrams; a lone CJK character
stays a token) and every run of letters and digits (lower-cased). A query is tokenised the same
way and a matter matches when it holds all the query's tokens — so a two-character word is one
bigram lookup, and any substring of two or more characters is found. A single CJK character is
matched as a prefix of the bigrams. Nothing of the user's query reaches the full-text syntax:
tokens are only CJK characters, letters and digits, and are quoted.

The index is kept in step by a session hook: whenever a matter (or its parties) is flushed, its
row in ``core_matter_index`` is rebuilt in the same transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, bindparam, event, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from core.accounts.actor import current_actor
from core.accounts.masking import may_view_personal
from core.cases.models import Clock, Matter, MatterParty
from core.cases.models.search_index import MatterIndex
from core.cases.people.sealing import sealed_criterion
from core.cases.records.categories import subtree
from core.extensions import db

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def tokens(value: str | None) -> list[str]:
    """The search tokens of ``value`` in order (duplicates kept; see ``document``)."""
    if not value:
        return []
    norm = unicodedata.normalize("NFKC", value).lower()
    out: list[str] = []
    for run in _RUN.findall(norm):
        if _IS_CJK.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def document(values: Iterable[str | None]) -> str:
    """The space-separated unique tokens of several values (what the index stores)."""
    seen: dict[str, None] = {}
    for v in values:
        for t in tokens(v):
            seen.setdefault(t, None)
    return " ".join(seen)


def facet_tokens(
    state: str | None = None,
    channel: str | None = None,
    agency_ids: Iterable[int | None] = (),
    flags: Iterable[str] = (),
) -> list[str]:
    """Tokens standing for the filterable attributes of a matter (``zstate…``, ``zagency3`` …).

    (Not the category: its filter takes the sub-categories too, which the matter's own category
    token could not answer.)

    Stored in the index beside the words, so a word combined with a rare state or channel is
    one index lookup that finds exactly the matching matters (instead of every matter with the
    word, each then read to test its state). They are letters and digits only, like any token.
    """
    out = []
    if state:
        out.append("zstate" + state.replace("_", ""))
    if channel:
        out.append("zchannel" + channel)
    out.extend(f"zagency{a}" for a in dict.fromkeys(agency_ids) if a)
    out.extend("zflag" + flag.replace("_", "") for flag in flags)
    return out


def _facets(matter) -> list[str]:
    return facet_tokens(
        getattr(matter, "state", None),
        getattr(matter, "channel", None),
        (getattr(matter, "agency_id", None), getattr(matter, "handling_agency_id", None)),
        getattr(matter, "flags", None) or (),
    )


def _filter_tokens(f: Filters) -> list[str]:
    tokens_ = facet_tokens(f.state, f.channel, (), f.flags)
    if f.agency_id:
        tokens_.append(f"zagency{f.agency_id}")
    return tokens_


def index_row(matter: Matter, people: Iterable | None = None) -> tuple[str, str]:
    """The (content, identity) documents of a matter.

    ``people``: objects with ``name``, ``id_number`` and ``mobile`` (default: the persons of the
    matter's parties) — a registration passes them before the party rows exist.
    """
    content = document(
        [
            matter.number,
            matter.summary,
            " ".join(matter.demands or []),
            matter.place_text,
            matter.complained_party,
            matter.hot_topic,
            *(str(v) for v in (matter.external_numbers or {}).values()),
        ]
    )
    if people is None:
        people = [p.person for p in matter.parties if p.person is not None]
    identity = document(
        [v for person in people for v in (person.name, person.id_number, person.mobile)]
    )
    # Both columns carry the facets: a search matches the words in either column.
    facets = " ".join(_facets(matter))
    return f"{content} {facets}".strip(), f"{identity} {facets}".strip()


def reindex(session: Session, matters: Iterable[Matter], *, new: frozenset = frozenset()) -> None:
    """Rebuild the index rows of ``matters`` (ids must exist).

    ``new``: matters inserted by this flush — they have no row yet, so none is looked up. The
    rows are kept for the rest of the transaction (``session.info``; the session's identity map
    holds them only weakly), so a registration's later flushes do not read them back.
    """
    rows = session.info.setdefault("minsheng_index_rows", {})
    for matter in matters:
        content, identity = index_row(matter)
        row = rows.get(matter.id)
        if row is None and matter not in new:
            row = session.get(MatterIndex, matter.id)
        if row is None:
            row = MatterIndex(matter_id=matter.id, content=content, identity=identity)
            session.add(row)
        elif (row.content, row.identity) != (content, identity):
            row.content, row.identity = content, identity
        rows[matter.id] = row


@event.listens_for(Session, "before_flush")
def _collect(session: Session, flush_context, instances) -> None:
    pending = session.info.setdefault("minsheng_reindex", set())
    new = session.info.setdefault("minsheng_reindex_new", set())
    for obj in session.new:
        if isinstance(obj, Matter):
            new.add(obj)
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, Matter):
            pending.add(obj)
        elif isinstance(obj, MatterParty) and obj.matter is not None:
            pending.add(obj.matter)


@event.listens_for(Session, "after_flush_postexec")
def _reindex(session: Session, flush_context) -> None:
    pending = session.info.pop("minsheng_reindex", None)
    new = frozenset(session.info.pop("minsheng_reindex_new", ()))
    if pending:
        reindex(session, [m for m in pending if m.id is not None], new=new)


@event.listens_for(Session, "after_transaction_end")
def _forget_rows(session: Session, transaction) -> None:
    # After commit the rows are expired, after a rollback they may not exist: look them up again.
    # (Each flush runs in a subtransaction of its own: those end with the rows still good.)
    if transaction.parent is None or transaction.nested:
        session.info.pop("minsheng_index_rows", None)
        session.info.pop("minsheng_reindex_new", None)


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
            parts.append(f"'{t}':*" if len(t) == 1 and _IS_CJK.match(t) else f"'{t}'")
        # The stored ``{column}_tsv`` column (migration core_0006), GIN-indexed.
        return literal_column(f"{MatterIndex.__tablename__}.{column}_tsv").op("@@")(
            func.to_tsquery(literal_column("'simple'"), " & ".join(parts))
        )
    quoted = " ".join(
        f'"{t}"*' if len(t) == 1 and _IS_CJK.match(t) else f'"{t}"' for t in query_tokens
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
        if not value.isdigit():
            errors[name] = "应为数字编号。"
            return None
        return int(value)

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
    f = Filters(
        text=(args.get("q") or "")[:200],
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
