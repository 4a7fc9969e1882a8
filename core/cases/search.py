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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, bindparam, event, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from core.accounts.actor import current_actor
from core.accounts.masking import may_view_personal
from core.cases.models import Clock, Matter, MatterParty
from core.cases.models.search_index import MatterIndex
from core.cases.sealing import sealed_criterion
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
    return content, identity


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


def _match(dialect: str, column: str, query_tokens: list[str]):
    """A SQL condition: the index row's ``column`` holds every token (prefix for 1 CJK char)."""
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
    fts = text(
        "core_matter_index.matter_id IN (SELECT rowid FROM core_matter_fts "
        "WHERE core_matter_fts MATCH :q)"
    ).bindparams(bindparam("q", f"{{{column}}} : ({quoted})", unique=True))
    return fts


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


def search_statement(f: Filters, *, after_id: int | None = None, limit: int = 50) -> Select:
    """The matters matching ``f``, newest first, from keyset position ``after_id``.

    Record rules apply when the statement runs. Petitioner identities are searched only for users
    who may see personal data, and never in matters whose accuser is sealed from them.
    """
    stmt = select(Matter)
    words = tokens(f.text)
    if words:
        dialect = db.engine.dialect.name
        content = _match(dialect, "content", words)
        personal = may_view_personal()
        hits = select(MatterIndex.matter_id).where(
            or_(content, _match(dialect, "identity", words)) if personal else content
        )
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
        stmt = stmt.where(Matter.category_id == f.category_id)
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
        from core.cases.clocks import today

        late = select(Clock.matter_id).where(Clock.state == "running", Clock.due < today())
        stmt = stmt.where(Matter.id.in_(late))
    if after_id:
        stmt = stmt.where(Matter.id < after_id)
    return stmt.order_by(Matter.id.desc()).limit(limit)


def search(f: Filters, *, after_id: int | None = None, limit: int = 50) -> list[Matter]:
    """Run ``search_statement`` and return the matters."""
    return list(db.session.execute(search_statement(f, after_id=after_id, limit=limit)).scalars())
