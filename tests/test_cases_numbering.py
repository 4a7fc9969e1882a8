"""信访件编号 and document numbers: unique and gap-free, also under concurrent registration."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from core.accounts.actor import acting_as
from core.cases.clocks import clocks
from core.cases.lifecycle.registration import PartyInput, Registration, register_matter
from core.cases.models import Matter, Sequence
from core.cases.records.numbering import QUERY_ALPHABET
from core.extensions import db
from tests.cases_support import agency, register, step, user

D = date
THREADS, EACH = 10, 2


def _registration(i: int) -> Registration:
    return Registration(
        channel="visit",
        summary=f"并发登记测试 {i}",
        received_on=D(2026, 7, 6),
        parties=[PartyInput(name=f"来访人{i}")],
    )


def test_concurrent_registration_gives_unique_gap_free_numbers(app, backend):
    """Threads with their own app context (own session and connection) register at once."""
    numbers: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def desk(n: int) -> None:
        try:
            with app.app_context(), acting_as(user("clerk")):
                start.wait(timeout=30)
                for k in range(EACH):
                    numbers.append(register_matter(_registration(n * EACH + k)).number)
                db.session.remove()
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    total = THREADS * EACH
    assert len(numbers) == total
    assert all(n.startswith("0000002026F") for n in numbers)
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, total + 1))

    with app.app_context():
        stored = db.session.execute(select(Matter.number)).scalars().all()
        assert sorted(stored) == sorted(numbers)
        counter = db.session.execute(
            select(Sequence.value).where(Sequence.key == "matter:000000:2026:F")
        ).scalar_one()
        assert counter == total
        codes = db.session.execute(select(Matter.query_code)).scalars().all()
        assert len(set(codes)) == total


def test_a_failed_registration_gives_its_number_back(app, monkeypatch):
    with app.app_context():
        first = register(received_on=D(2026, 7, 6))
        assert first.number == "0000002026F000001"

        def broken(*args, **kwargs):
            raise RuntimeError("clock store unavailable")

        # Fails after the number was drawn: the whole registration is rolled back, number too.
        monkeypatch.setattr(clocks, "new_clock", broken)
        with pytest.raises(RuntimeError):
            register(received_on=D(2026, 7, 6))
        monkeypatch.undo()
        assert db.session.execute(select(func.count()).select_from(Matter)).scalar_one() == 1

        second = register(received_on=D(2026, 7, 6))
        assert second.number == "0000002026F000002"


def test_numbers_count_per_channel_and_year_and_follow_the_pattern(app):
    with app.app_context():
        visit = register(received_on=D(2026, 7, 6))
        letter = register(received_on=D(2026, 7, 6), channel="letter")
        last_year = register(received_on=D(2025, 12, 31))
        assert visit.number == "0000002026F000001"
        assert letter.number == "0000002026L000001"
        assert last_year.number == "0000002025F000001"
        app.config["MINSHENG_MATTER_NUMBER_PATTERN"] = "XF{year}-{channel}-{serial:04d}"
        assert register(received_on=D(2026, 7, 6)).number == "XF2026-F-0002"
        for m in (visit, letter, last_year):
            assert len(m.query_code) == 10 and set(m.query_code) <= set(QUERY_ALPHABET)


def test_document_numbers_run_per_kind_and_year_without_gaps(app):
    with app.app_context():
        numbers = []
        for day in (6, 7, 8):
            m = register(received_on=D(2026, 7, day))
            doc = step(m.id, "supervisor", "not_accept", on=D(2026, 7, day), ground="out_of_remit")
            numbers.append(doc.number)
        assert numbers == ["不受告〔2026〕1号", "不受告〔2026〕2号", "不受告〔2026〕3号"]
        m = register(received_on=D(2026, 7, 9))
        slip = step(
            m.id,
            "supervisor",
            "assign",
            on=D(2026, 7, 9),
            agency_id=agency("CJJ").id,
            standard="依法处理",
            deadline=D(2026, 8, 31),
        )
        assert slip.number == "交〔2026〕1号"
