"""Numbers without duplicates or gaps, also under concurrent registration on PostgreSQL.

A counter row per key is incremented with ``UPDATE … RETURNING`` inside the caller's
transaction: the row lock serialises concurrent registrations, and a rolled-back registration
rolls its number back too, so no number is skipped. (SQLite serialises writers anyway.)
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import bindparam, insert, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from core.cases.models import Sequence
from core.cases.models.matter import CHANNEL_CODES
from core.extensions import db

DEFAULT_PATTERN = "{region}{year}{channel}{serial:06d}"
QUERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


_COUNTERS = Sequence.__table__
#: Built once: the statement is executed on every registration (Core, no ORM machinery).
_BUMP = (
    update(_COUNTERS)
    .where(_COUNTERS.c.key == bindparam("counter"))
    .values(value=_COUNTERS.c.value + 1)
    .returning(_COUNTERS.c.value)
)


def next_value(key: str, conn: Connection | None = None) -> int:
    """Increment the counter ``key`` in the current transaction and return the new value.

    ``conn``: the session's connection, when the caller holds it already.
    """
    conn = conn if conn is not None else db.session.connection()
    value = conn.execute(_BUMP, {"counter": key}).scalar_one_or_none()
    if value is not None:
        return value
    try:
        with db.session.begin_nested():
            db.session.execute(insert(Sequence).values(key=key, value=1))
        return 1
    except IntegrityError:
        # Another transaction created the row first: take the next value after it.
        return conn.execute(_BUMP, {"counter": key}).scalar_one()


def matter_counter(region: str, channel: str, on: date) -> str:
    """The counter key of the matters numbered by ``region``, ``channel`` and year of ``on``."""
    return f"matter:{region}:{on.year}:{CHANNEL_CODES.get(channel, 'Q')}"


def matter_number(
    region: str, channel: str, on: date, serial: int, pattern: str = DEFAULT_PATTERN
) -> str:
    """The 信访件编号 for value ``serial`` of ``matter_counter`` (pattern configurable).

    By default ``{region}{year}{channel}{serial:06d}``.
    """
    code = CHANNEL_CODES.get(channel, "Q")
    return pattern.format(region=region, year=on.year, channel=code, serial=serial)


def document_number(prefix: str, on: date) -> str:
    """A document number such as ``交〔2026〕12号`` (numbered per prefix and year)."""
    return f"{prefix}〔{on.year}〕{next_value(f'doc:{prefix}:{on.year}')}号"


def new_query_code() -> str:
    """A random 查询码 of 10 characters (about 50 bits: not guessable).

    Not checked against the matters here: the column's unique index refuses the one-in-10^9
    collision at a million matters, and ``register_matter`` then registers again with a new code.
    """
    # 32 letters: each random byte picks one without bias (256 is a multiple of 32).
    return "".join(QUERY_ALPHABET[b % 32] for b in secrets.token_bytes(10))


def query_code_taken(exc: IntegrityError) -> bool:
    """Whether ``exc`` is the unique index of the query codes refusing a duplicate."""
    return "query_code" in str(exc.orig)
