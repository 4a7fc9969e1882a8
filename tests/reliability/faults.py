"""What the fault tests check after a fault: the register whole, and answers that say why.

``check_register`` is the house's promise about numbers (``core.cases.records.numbering``): a
counter per region, year and channel, bumped in the registering transaction, so a registration
cut off by a fault gives its number back — every counter's serials are 1…N with no gap and no
duplicate, and the numbers drawn are exactly the matters there are.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter

from sqlalchemy import func, select

from core.audit import AuditEvent
from core.cases.models import Clock, Matter, MatterIndex, Sequence, TimelineEntry
from core.cases.models.matter import MatterParty
from core.extensions import db

_serial = itertools.count(1)
_serial_lock = threading.Lock()


def registration() -> dict:
    """A valid API registration with a summary of its own (``fault …``)."""
    with _serial_lock:
        n = next(_serial)
    return {
        "channel": "phone",
        "summary": f"来电反映小区供暖不热（故障测试 {n}）。",
        "parties": [{"name": "赵六", "mobile": "13900139000"}],
    }


def _without(model, column) -> list[str]:
    """Numbers of matters with no row of ``model`` pointing at them through ``column``."""
    has = select(column).where(column == Matter.id).exists()
    return list(db.session.execute(select(Matter.number).where(~has)).scalars())


def check_register(acknowledged: set[str]) -> int:
    """Assert the register is whole after a fault; return how many matters it holds.

    Every matter acknowledged to a client is there; no matter lacks its parties, first clock,
    timeline entry, index row or registration audit event; numbers are unique and each
    counter's serials run 1…N, N being the counter's value. Inside an app context.
    """
    db.session.remove()  # a fresh session: nothing cached from before the fault
    numbers = list(db.session.execute(select(Matter.number)).scalars())
    assert len(numbers) == len(set(numbers)), "a number was given twice"
    assert acknowledged <= set(numbers), sorted(acknowledged - set(numbers))
    assert _without(MatterParty, MatterParty.matter_id) == []
    assert _without(Clock, Clock.matter_id) == []
    assert _without(TimelineEntry, TimelineEntry.matter_id) == []
    assert _without(MatterIndex, MatterIndex.matter_id) == []
    registered = select(AuditEvent.object_id).where(
        AuditEvent.action == "matter.register", AuditEvent.object_type == "Matter"
    )
    audited = list(db.session.execute(registered).scalars())
    assert len(audited) == len(set(audited)), "a registration audited twice"
    ids = {str(i) for i in db.session.execute(select(Matter.id)).scalars()}
    audited = set(audited)
    assert audited == ids, "a matter without its audit event, or an event without its matter"
    serials: dict[str, list[int]] = {}
    for number in numbers:
        serials.setdefault(number[:-6], []).append(int(number[-6:]))
    for prefix, drawn in serials.items():
        assert sorted(drawn) == list(range(1, len(drawn) + 1)), f"gap in {prefix}: {drawn}"
    counters = db.session.execute(
        select(func.coalesce(func.sum(Sequence.value), 0)).where(Sequence.key.like("matter:%"))
    ).scalar_one()
    assert counters == len(numbers), "a number drawn for no matter"
    return len(numbers)


class Tally:
    """Answers gathered by client threads: status counts, acknowledged numbers, odd answers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.acknowledged: set[str] = set()
        self.unavailable: list[tuple[dict | None, str | None]] = []
        self.odd: list[tuple[int, str]] = []

    def add(self, status: int, body: dict | None, text: str, retry_after: str | None) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status == 201:
                self.acknowledged.add(body["number"])
            elif status == 503:
                self.unavailable.append((body, retry_after))
            elif status != 200:
                self.odd.append((status, text[:300]))

    def count(self, status: int) -> int:
        with self.lock:
            return self.statuses[status]
