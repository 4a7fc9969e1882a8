"""PostgreSQL restarted under load: registrations and reads go on in threads while the server
goes down (fast shutdown) and comes back on the same files.

While it is down every request is answered 503 with a Chinese message and ``Retry-After``,
never a 500; once it is back the same app (no restart) answers again, its pool having replaced
the dead connections; the register is whole and the administrator logs in. The fault is
PostgreSQL's: this runs on PostgreSQL only.
"""

from __future__ import annotations

import threading
import time

import pytest

from core.web.errors import DATABASE_UNAVAILABLE
from tests.plugin import login
from tests.reliability.faults import Tally, check_register, registration

THREADS = 3
MAX_REQUESTS = 300  # per thread: the loops end by count even if the clock misbehaves
TIME_LIMIT = 40.0  # seconds for the whole load


@pytest.fixture
def backend() -> str:
    return "postgresql"


def _until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_requests_during_a_postgresql_restart_get_503_and_the_app_recovers(
    app, databases, clerk_api, as_user
):
    pg = databases.pg
    clerk_page = as_user("clerk")  # logged in before the outage: its session must still work
    tally = Tally()
    stop = threading.Event()
    started = time.monotonic()

    def load(kind: int) -> None:
        client = app.test_client()
        for _ in range(MAX_REQUESTS):
            if stop.is_set() or time.monotonic() - started > TIME_LIMIT:
                return
            if kind == 0:
                resp = client.get("/api/v1/matters?per_page=5", headers=clerk_api)
            else:
                resp = client.post("/api/v1/matters", json=registration(), headers=clerk_api)
            tally.add(
                resp.status_code,
                resp.get_json(silent=True),
                resp.get_data(as_text=True),
                resp.headers.get("Retry-After"),
            )
            if resp.status_code == 503:
                time.sleep(0.05)  # as a client told to come back would

    threads = [threading.Thread(target=load, args=(k,), daemon=True) for k in range(THREADS)]
    for t in threads:
        t.start()
    try:
        assert _until(lambda: tally.count(201) >= 3, 15), tally.statuses
        pg.shut_down()
        try:
            assert _until(lambda: tally.count(503) >= 3, 10), tally.statuses
            # A page (HTML) while the database is down: the message, not an error trace.
            page = clerk_page.get("/cases/queue")
            assert page.status_code == 503
            assert DATABASE_UNAVAILABLE in page.get_data(as_text=True)
            assert "Traceback" not in page.get_data(as_text=True)
        finally:
            pg.start_again()
        before = tally.count(201)
        assert _until(lambda: tally.count(201) >= before + 3, 15), tally.statuses
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)

    assert tally.odd == []  # every answer was 200, 201 or 503: no 500, no other refusal
    assert tally.unavailable, "the outage was never seen"
    for body, retry_after in tally.unavailable:
        assert body == {"error": {"code": 503, "message": DATABASE_UNAVAILABLE}}
        assert retry_after == "5"
    # The page session opened before the outage works again, and the administrator logs in.
    assert clerk_page.get("/cases/queue").status_code == 200
    assert login(app.test_client(), "admin").status_code == 302
    with app.app_context():
        assert check_register(tally.acknowledged) >= len(tally.acknowledged) >= 6
