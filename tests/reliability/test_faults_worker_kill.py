"""A worker killed mid-registration: the project's gunicorn with its settings
(``config/gunicorn.conf.py``: two workers of four threads) on a loopback port and a PostgreSQL
database, registrations in threads over the JSON API.

One registration is held inside its transaction (its rows written, not committed: a hook in
the test's gunicorn configuration) and its worker is SIGKILLed with whatever else it was
serving; later the other worker is killed at an unplanned moment of the burst. What must hold:
every matter acknowledged to a client (201 with its number) is in the register, none is
half-written (parties, clock, timeline, index row, audit event), numbers are unique and each
counter runs 1…N (the held registration gave its number back), and gunicorn's new workers
answer again. The fault is the web tier's and the database's rollback; it runs on PostgreSQL,
the production database.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.cases.models import Matter
from core.extensions import db
from tests.reliability.faults import Tally, check_register, registration

ROOT = Path(__file__).resolve().parents[2]
HELD = "这一件登记在事务中停住"  # the summary the hook holds
THREADS = 3
MAX_REQUESTS = 150  # per thread
TIME_LIMIT = 45.0  # seconds for the whole burst

HOOK = textwrap.dedent(
    """
    import os, time
    from pathlib import Path

    # The project's settings (worker model, threads, timeouts), then the test's changes.
    exec(Path({settings!r}).read_text())
    bind = {bind!r}
    accesslog = None
    # Loaded once and forked: starts and replaces workers in a fraction of the time of two
    # imports on a busy machine; each worker still opens its own connections.
    preload_app = True

    def post_worker_init(worker):  # instead of the fonts' warm-up, which plays no part here
        from flask import request
        import core.cases.lifecycle.registration as registration
        insert_family = registration.insert_family

        def held(*args, **kwargs):
            result = insert_family(*args, **kwargs)
            if {held!r} in request.get_data(as_text=True):
                Path({marker!r}).write_text(str(os.getpid()))
                time.sleep(60)  # killed here, the transaction open
            return result

        registration.insert_family = held
    """
)


@pytest.fixture
def backend() -> str:
    return "postgresql"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return {int(p) for p in children.read_text().split()} if children.exists() else set()


def _post(port: int, token: str, body: dict) -> tuple[int, dict | None, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            "/api/v1/matters",
            body=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Authorization": token, "Content-Type": "application/json"},
        )
        resp = conn.getresponse()
        text = resp.read().decode(errors="replace")
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        return resp.status, data, text
    finally:
        conn.close()


def _until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def gunicorn(app, tmp_path):
    """A gunicorn master serving the test database; yields (port, master pid, marker path)."""
    marker = tmp_path / "held-by"
    conf = tmp_path / "gunicorn_conf.py"
    port = _free_port()
    conf.write_text(
        HOOK.format(
            settings=str(ROOT / "config" / "gunicorn.conf.py"),
            bind=f"127.0.0.1:{port}",
            held=HELD,
            marker=str(marker),
        )
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "GUNICORN_CMD_ARGS"},
        "WEB_CONCURRENCY": "2",
        "MINSHENG_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MINSHENG_VAR_DIR": app.config["MINSHENG_VAR_DIR"],
        "MINSHENG_SECRET_KEY": "fault-test",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config", str(conf), "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )

    def answers() -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/login")
            return conn.getresponse().status == 200 and len(_workers(proc.pid)) == 2
        except OSError:
            return False
        finally:
            conn.close()

    try:
        if not _until(answers, 40):
            pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
        yield port, proc.pid, marker
    finally:
        proc.send_signal(signal.SIGINT)  # quick shutdown: the fault left nothing to finish
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_workers_killed_mid_registration_lose_nothing_acknowledged(app, clerk_api, gunicorn):
    port, master, marker = gunicorn
    token = clerk_api["Authorization"]
    tally = Tally()
    cut_off: list[str] = []  # requests whose connection died with a worker
    stop = threading.Event()
    started = time.monotonic()

    def burst() -> None:
        for _ in range(MAX_REQUESTS):
            if stop.is_set() or time.monotonic() - started > TIME_LIMIT:
                return
            try:
                status, data, text = _post(port, token, registration())
            except (OSError, http.client.HTTPException) as exc:
                cut_off.append(type(exc).__name__)
                continue
            tally.add(status, data, text, None)

    def held() -> None:
        try:
            _post(port, token, {**registration(), "summary": HELD})
            cut_off.append("the held registration was answered")
        except (OSError, http.client.HTTPException):
            pass  # its worker died with it: not acknowledged

    threads = [threading.Thread(target=burst, daemon=True) for _ in range(THREADS)]
    holder = threading.Thread(target=held, daemon=True)
    originals = _workers(master)
    try:
        for t in threads:
            t.start()
        assert _until(lambda: tally.count(201) >= 3, 20), tally.statuses
        holder.start()
        assert _until(marker.exists, 20), "the held registration never reached its hook"
        held_pid = int(marker.read_text())
        os.kill(held_pid, signal.SIGKILL)
        holder.join(timeout=20)
        # Gunicorn replaces it; meanwhile the other worker is killed in the middle of the burst.
        assert _until(lambda: len(_workers(master) - {held_pid}) == 2, 30)
        before = tally.count(201)
        assert _until(lambda: tally.count(201) >= before + 2, 20), tally.statuses
        (other,) = originals - {held_pid}
        os.kill(other, signal.SIGKILL)
        before = tally.count(201)
        assert _until(lambda: tally.count(201) >= before + 5, 30), tally.statuses
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=40)

    assert "the held registration was answered" not in cut_off
    assert tally.odd == []  # every answer was a 201: no 500, no refusal
    # The server answers again after both kills.
    status, data, _ = _post(port, token, registration())
    assert status == 201
    with app.app_context():
        assert check_register(tally.acknowledged | {data["number"]}) >= len(tally.acknowledged)
        held_rows = select(func.count()).select_from(Matter).where(Matter.summary == HELD)
        assert db.session.execute(held_rows).scalar_one() == 0
