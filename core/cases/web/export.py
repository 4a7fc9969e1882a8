"""Exports of matter lists to CSV and Excel, streamed, with record rules, masking and sealing.

Rows are read in batches (``yield_per``) with their petitioners loaded per batch, so an export
of a hundred thousand matters never holds them all in memory. CSV streams as it is produced;
Excel is written by openpyxl's write-only workbook to a temporary file and then streamed.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from core.accounts.actor import acting_as, current_actor
from core.accounts.masking import flush_personal_views
from core.accounts.models import User
from core.cases.lifecycle.table import STATES
from core.cases.models import Matter, MatterParty
from core.cases.models.matter import CHANNELS
from core.cases.web.reading import lead_name
from core.extensions import db

HEADER = (
    "信访件编号",
    "收到日期",
    "信访形式",
    "状态",
    "信访人",
    "内容摘要",
    "登记机构",
    "办理机构",
)
BATCH = 1000


def count(stmt: Select) -> int:
    """How many rows ``stmt`` yields (record rules apply)."""
    return db.session.execute(
        select(func.count()).select_from(stmt.order_by(None).limit(None).subquery())
    ).scalar_one()


def rows(stmt: Select) -> Iterator[tuple[Any, ...]]:
    """The export rows of the matters of ``stmt`` (a ``select(Matter)``), in batches."""
    user = current_actor()
    stmt = stmt.limit(None).options(
        selectinload(Matter.parties).selectinload(MatterParty.person),
        selectinload(Matter.agency),
        selectinload(Matter.handling_agency),
    )
    result = db.session.execute(stmt.execution_options(yield_per=BATCH)).scalars()
    for matter in result:
        yield (
            matter.number,
            matter.received_on.isoformat(),
            CHANNELS.get(matter.channel, matter.channel),
            STATES.get(matter.state, matter.state),
            lead_name(matter, user),
            matter.summary,
            matter.agency.name if matter.agency else "",
            matter.handling_agency.name if matter.handling_agency else "",
        )


def _csv_safe(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would be run as a formula by spreadsheet programs.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def as_user(user_id: int | None, chunks_of) -> Iterator:
    """Run a streaming generator with the rights of ``user_id``.

    A streamed body is produced after the view returned, when the request's session may be gone:
    the user is loaded afresh and set explicitly, so record rules and masking still apply.
    """
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        return
    with acting_as(user):
        yield from chunks_of()
        # What was shown unmasked while streaming came after the request's own audit of it
        # (``after_request`` ran when the view returned): audited here, once, at the end.
        flush_personal_views()


def csv_chunks(stmt: Select) -> Iterator[str]:
    """CSV text (UTF-8 with BOM so Excel reads the Chinese) in chunks of ``BATCH`` rows."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    buf.write("\ufeff")
    writer.writerow(HEADER)
    for n, row in enumerate(rows(stmt), 1):
        writer.writerow([_csv_safe(v) for v in row])
        if n % BATCH == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def xlsx_file(stmt: Select) -> tempfile.SpooledTemporaryFile:
    """An Excel workbook of the matters, written row by row (write-only mode)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("信访事项")
    ws.append(list(HEADER))
    for row in rows(stmt):
        ws.append([_csv_safe(v) for v in row])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    wb.save(out)
    out.seek(0)
    return out
