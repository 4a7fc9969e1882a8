"""The search index: each matter's tokens, kept in step with the matter by a session hook.

Text is cut into tokens: every pair of adjacent CJK characters (bigrams; a lone CJK character
stays a token) and every run of letters and digits (lower-cased). A matter's row in
``core_matter_index`` holds the tokens of its text (``content``) and of its petitioners
(``identity``), each with the *facet tokens* of its filterable attributes. Whenever a matter (or
its parties) is flushed, its row is rebuilt in the same transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.cases.models import Matter, MatterParty
from core.cases.models.search_index import MatterIndex

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
IS_CJK = re.compile(rf"[{_CJK}]")


def tokens(value: str | None) -> list[str]:
    """The search tokens of ``value`` in order (duplicates kept; see ``document``)."""
    if not value:
        return []
    norm = unicodedata.normalize("NFKC", value).lower()
    out: list[str] = []
    for run in _RUN.findall(norm):
        if IS_CJK.match(run):
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
