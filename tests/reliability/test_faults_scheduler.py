"""The scheduler killed during its daily job: started again, it runs that job once, never twice.

A real ``run_scheduler`` process runs core's daily clock job (``core.case_clocks``): the job
ran yesterday, so at start the scheduler catches up today's fire time. It is SIGKILLed at one
of two moments — in the middle of the job's work (reminders written, not committed), or after
the work committed and before the run was marked done — and started again. The second
process catches the run up; afterwards every clock has exactly one reminder per recipient and
one timeline note, the run is recorded done after two attempts, and a further start runs
nothing. The fault is the process's; the single-scheduler lock released by a SIGKILL differs
by backend (PostgreSQL's advisory lock, SQLite's file lock), so each backend takes one moment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select, update

from core.cases.models import Clock, Reminder, TimelineEntry
from core.extensions import db
from core.job_runs import DONE, RUNNING, JobRun
from core.scheduler import build_scheduler, catch_up, last_fire_time, run_recorded
from tests.cases_support import register

JOB = "core.case_clocks"
ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0  # seconds at most for a scheduler process to reach a point

SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from tests.plugin import make_app
    app = make_app({url!r}, Path({var!r}))
    marker, point = Path({marker!r}), {point!r}

    def hang():
        marker.write_text(str(os.getpid()))
        time.sleep(120)  # killed here

    if point == "work":
        import core.cases.clocks.jobs as jobs
        remind = jobs._remind
        def hanging(*args):
            count = remind(*args)
            hang()  # the job's reminders are written, not committed
            return count
        jobs._remind = hanging
    elif point == "mark":
        import core.job_runs as runs
        finish = runs.finish
        def hanging(job_id, due, error=None):
            if job_id == {job!r}:
                hang()  # the job's work is committed, its run not marked done
            finish(job_id, due, error)
        runs.finish = hanging
    from core.scheduler import run_scheduler
    run_scheduler(app)
    """
)


def _start(app, tmp_path: Path, point: str | None) -> subprocess.Popen:
    marker = tmp_path / f"reached-{point}"
    script = SCRIPT.format(
        root=str(ROOT),
        url=app.config["SQLALCHEMY_DATABASE_URI"],
        var=app.config["MINSHENG_VAR_DIR"],
        marker=str(marker),
        point=point,
        job=JOB,
    )
    with (tmp_path / "scheduler.log").open("ab") as log:
        return subprocess.Popen([sys.executable, "-c", script], stdout=log, stderr=log, cwd=ROOT)


def _wait_for(condition, proc: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail(f"scheduler never {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def _run_state(app) -> tuple[str, int] | None:
    """State and attempts of the newest run of the job."""
    with app.app_context():
        row = db.session.execute(
            select(JobRun.state, JobRun.attempts)
            .where(JobRun.job_id == JOB)
            .order_by(JobRun.due_at.desc())
            .limit(1)
        ).first()
        db.session.remove()
    return tuple(row) if row else None


def _reminders(app) -> Counter:
    with app.app_context():
        rows = db.session.execute(select(Reminder.clock_id, Reminder.user_id, Reminder.kind))
        counted = Counter(tuple(r) for r in rows)
        db.session.remove()
    return counted


# Each kill point once, on one backend each (a scheduler process costs seconds to start):
# between them both locks and both moments are covered.
@pytest.mark.parametrize(("backend", "point"), [("sqlite", "work"), ("postgresql", "mark")])
def test_a_scheduler_killed_in_its_daily_job_runs_it_once_when_started_again(app, tmp_path, point):
    today = date.today()
    # A job that never ran is not caught up: a new install does not fire every job at start.
    assert catch_up(app, build_scheduler(app, BackgroundScheduler())) == []
    with app.app_context():
        overdue, soon = register().id, register().id
        for matter_id, due in ((overdue, today - timedelta(days=1)), (soon, today + timedelta(1))):
            db.session.execute(update(Clock).where(Clock.matter_id == matter_id).values(due=due))
        # The scheduler ran the job yesterday: today's fire time is the one it owes.
        trigger = build_scheduler(app, BackgroundScheduler()).get_job(JOB).trigger
        due = last_fire_time(trigger, datetime.now(trigger.timezone))
        db.session.add(
            JobRun(
                job_id=JOB,
                due_at=due - timedelta(days=1),
                state=DONE,
                started_at=due - timedelta(days=1),
            )
        )
        db.session.commit()
        db.session.remove()

    first = _start(app, tmp_path, point)
    log = tmp_path / "scheduler.log"
    _wait_for((tmp_path / f"reached-{point}").exists, first, f"reached {point}", log)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert _run_state(app) == (RUNNING, 1)  # claimed, never finished
    committed = _reminders(app)
    assert (committed == Counter()) is (point == "work")

    second = _start(app, tmp_path, None)
    try:
        _wait_for(lambda: _run_state(app) == (DONE, 2), second, "finished", log)
    finally:
        second.terminate()
        second.wait(timeout=10)

    reminders = _reminders(app)
    assert reminders, "the daily job never reminded anyone"
    assert set(reminders.values()) == {1}  # one reminder per clock, recipient and kind
    with app.app_context():
        kinds = {kind for _, _, kind in reminders}
        assert kinds == {"overdue", "due_soon"}
        notes = db.session.execute(
            select(func.count())
            .select_from(TimelineEntry)
            .where(TimelineEntry.matter_id == overdue, TimelineEntry.title.like("%超期%"))
        ).scalar_one()
        assert notes == 1
        # A further start owes nothing: the run is done, and claiming it again is refused.
        assert catch_up(app, build_scheduler(app, BackgroundScheduler())) == []
        job = next(
            j for j in app.extensions["minsheng.registry"].manifests["core"].jobs if j.id == JOB
        )
    assert run_recorded(app, "core", job, due) is False
    assert _reminders(app) == reminders
    assert _run_state(app) == (DONE, 2)
