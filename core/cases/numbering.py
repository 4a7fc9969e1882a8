"""Numbers without duplicates or gaps, also under concurrent registration on PostgreSQL.

A counter row per key is incremented with ``UPDATE … RETURNING`` inside the caller's
transaction: the row lock serialises concurrent registrations, and a rolled-back registration
rolls its number back too, so no number is skipped. (SQLite serialises writers anyway.)
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from core.cases.models import Matter, Sequence
from core.cases.models.matter import CHANNEL_CODES
from core.extensions import db

DEFAULT_PATTERN = "{region}{year}{channel}{serial:06d}"
QUERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def next_value(key: str) -> int:
    """Increment the counter ``key`` in the current transaction and return the new value."""
    stmt = update(Sequence).where(Sequence.key == key).values(value=Sequence.value + 1)
    value = db.session.execute(stmt.returning(Sequence.value)).scalar_one_or_none()
    if value is not None:
        return value
    try:
        with db.session.begin_nested():
            db.session.execute(insert(Sequence).values(key=key, value=1))
        return 1
    except IntegrityError:
        # Another transaction created the row first: take the next value after it.
        return db.session.execute(stmt.returning(Sequence.value)).scalar_one()


def matter_number(region: str, channel: str, on: date, pattern: str = DEFAULT_PATTERN) -> str:
    """The next 信访件编号: ``{region}{year}{channel}{serial}`` by default (configurable)."""
    code = CHANNEL_CODES.get(channel, "Q")
    serial = next_value(f"matter:{region}:{on.year}:{code}")
    return pattern.format(region=region, year=on.year, channel=code, serial=serial)


def document_number(prefix: str, on: date) -> str:
    """A document number such as ``交〔2026〕12号`` (numbered per prefix and year)."""
    return f"{prefix}〔{on.year}〕{next_value(f'doc:{prefix}:{on.year}')}号"


def new_query_code() -> str:
    """A random 查询码 of 10 characters (about 50 bits: not guessable), unique among matters."""
    while True:
        code = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(10))
        exists = db.session.execute(
            select(Matter.id)
            .where(Matter.query_code == code)
            .execution_options(skip_record_rules=True)
        ).first()
        if not exists:
            return code
