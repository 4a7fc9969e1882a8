"""Pooled server connections: pinged before use only after sitting idle (core.db)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

import core.db
from core.extensions import db


@pytest.fixture
def pings(app, backend, monkeypatch):
    """The pings of the app's engine, counted (PostgreSQL only: SQLite is in-process)."""
    if backend != "postgresql":
        pytest.skip("SQLite connections are in-process: nothing to ping")
    seen: list[int] = []
    with app.app_context():
        dialect = db.engine.dialect
        real = dialect.do_ping
        monkeypatch.setattr(dialect, "do_ping", lambda c: seen.append(1) or real(c))
        yield seen


def _backend_pid() -> int:
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    db.session.commit()  # the connection goes back to the pool
    return pid


def _kill(pid: int) -> None:
    other = create_engine(db.engine.url, poolclass=NullPool)
    with other.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    other.dispose()


def test_a_connection_just_back_from_use_is_not_pinged(pings, monkeypatch):
    monkeypatch.setattr(core.db, "PING_WHEN_IDLE_FOR", 3600)
    first = _backend_pid()
    pings.clear()
    assert [_backend_pid() for _ in range(3)] == [first] * 3
    assert pings == []
    monkeypatch.setattr(core.db, "PING_WHEN_IDLE_FOR", 0)
    assert _backend_pid() == first
    assert pings == [1]


def test_an_idle_connection_closed_by_the_server_is_replaced_before_use(pings, monkeypatch):
    monkeypatch.setattr(core.db, "PING_WHEN_IDLE_FOR", 0)  # every connection counts as idle
    dead = _backend_pid()
    _kill(dead)
    # The ping finds it closed; the pool hands out a new connection and the query runs.
    assert _backend_pid() != dead
    assert pings


def test_without_the_ping_a_closed_connection_fails_once_then_the_pool_recovers(pings, monkeypatch):
    # What the ping spares the user (and why only recently used connections skip it).
    monkeypatch.setattr(core.db, "PING_WHEN_IDLE_FOR", 3600)
    dead = _backend_pid()
    _kill(dead)
    with pytest.raises(OperationalError):
        _backend_pid()
    db.session.rollback()
    assert _backend_pid() != dead


def test_a_registration_on_a_closed_connection_fails_once_then_the_pool_recovers(
    pings, monkeypatch
):
    # The registration writes on the driver's own cursor (core.direct_writes.on_driver): a
    # connection the server dropped still leaves the pool (the session's rollback finds it
    # closed), as after conn.execute.
    from core.accounts.actor import acting_as
    from core.cases.lifecycle.registration import PartyInput, Registration, register_matter
    from tests.cases_support import register, user

    monkeypatch.setattr(core.db, "PING_WHEN_IDLE_FOR", 3600)
    first = register()  # the agency's region and the calendar are known from now on
    clerk = user("clerk")
    db.session.commit()
    reg = Registration(
        channel="visit",
        summary="反映噪音扰民",
        received_on=first.received_on,
        parties=[PartyInput(name="李四", mobile="13900000001")],
    )
    with acting_as(clerk):
        dead = _backend_pid()
        _kill(dead)
        # Its first statement is the driver's: the dead connection fails there.
        with pytest.raises(OperationalError):
            register_matter(reg)
        matter = register_matter(reg)
    assert matter.id and _backend_pid() != dead
