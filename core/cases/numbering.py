"""Numbers without duplicates or gaps, also under concurrent registration on PostgreSQL.

A counter row per key is incremented with ``UPDATE … RETURNING`` inside the caller's
transaction: the row lock serialises concurrent registrations, and a rolled-back registration
rolls its number back too, so no number is skipped. (SQLite serialises writers anyway.)
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.cases.models import Matter, Sequence
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


def next_value(key: str) -> int:
    """Increment the counter ``key`` in the current transaction and return the new value."""
    conn = db.session.connection()
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


def matter_number(region: str, channel: str, on: date, pattern: str = DEFAULT_PATTERN) -> str:
    """The next 信访件编号: ``{region}{year}{channel}{serial}`` by default (configurable)."""
    code = CHANNEL_CODES.get(channel, "Q")
    serial = next_value(f"matter:{region}:{on.year}:{code}")
    return pattern.format(region=region, year=on.year, channel=code, serial=serial)


def document_number(prefix: str, on: date) -> str:
    """A document number such as ``交〔2026〕12号`` (numbered per prefix and year)."""
    return f"{prefix}〔{on.year}〕{next_value(f'doc:{prefix}:{on.year}')}号"


_MATTERS = Matter.__table__
_CODE_TAKEN = select(_MATTERS.c.id).where(_MATTERS.c.query_code == bindparam("code"))


def new_query_code() -> str:
    """A random 查询码 of 10 characters (about 50 bits: not guessable), unique among matters."""
    conn = db.session.connection()  # across agencies on purpose, and without an autoflush
    while True:
        code = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(10))
        if conn.execute(_CODE_TAKEN, {"code": code}).first() is None:
            return code
