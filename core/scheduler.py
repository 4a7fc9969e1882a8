"""The one scheduler process (``flask scheduler run``).

APScheduler 3.x does not coordinate processes, so exactly one scheduler must run; on
PostgreSQL a session-level advisory lock on a dedicated connection (on SQLite a file lock in the
var folder) makes a second one exit instead of running every job twice. Jobs of every present
module are registered; each run checks that its module is installed at that moment, so install
and uninstall need no restart.

Every scheduled run is recorded per (job, fire time) in ``core_job_run`` (``core.job_runs``):
claimed before the work, marked done after it. A scheduler that starts again after being
stopped or killed runs, once, each job's latest fire time of the last ``CATCH_UP_WITHIN`` that
has no completed run — the run it was killed in, or the one it was down for — and never one
that completed.
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text

from core import job_runs
from core.extensions import db
from core.registry.manifest import Job, resolve
from core.registry.registry import Registry

log = logging.getLogger(__name__)

LOCK_KEY = 0x4D53_4A42  # "MSJB": Minsheng jobs
TIMEZONE = "Asia/Shanghai"
#: A run missed longer ago than this is not caught up at start (the next fire time does it).
CATCH_UP_WITHIN = timedelta(hours=24)
#: How long a starting scheduler waits for the lock of one that just died (its connection may
#: not be closed on the server yet) before it exits.
LOCK_WAIT = 10.0


def job_runner(app: Flask, module: str, job: Job) -> Callable[[], bool]:
    """A callable that runs ``job`` in an app context if ``module`` is installed.

    Unrecorded (tests, a manual run); returns whether the job ran (handy for tests and logs).
    """

    def run() -> bool:
        return _run(app, module, job, None)

    run.__name__ = job.id
    return run


def run_recorded(app: Flask, module: str, job: Job, due: datetime) -> bool:
    """Run ``job`` for its fire time ``due`` unless that run completed or is held elsewhere.

    Returns whether the job's work ran.
    """
    return _run(app, module, job, due)


def _run(app: Flask, module: str, job: Job, due: datetime | None) -> bool:
    with app.app_context():
        registry: Registry = app.extensions["minsheng.registry"]
        try:
            if module not in registry.installed_names():
                log.info("skip job %s: module %s is not installed", job.id, module)
                return False
            if due is not None and not job_runs.claim(job.id, due):
                log.info("skip job %s for %s: it ran already", job.id, due.isoformat())
                return False
            try:
                resolve(job.func)()
                db.session.commit()
            except Exception as exc:
                db.session.rollback()
                log.exception("job %s failed", job.id)
                if due is not None:
                    job_runs.finish(job.id, due, error=f"{type(exc).__name__}: {exc}")
                raise
            if due is not None:
                job_runs.finish(job.id, due)
            return True
        finally:
            db.session.remove()


def last_fire_time(trigger, now: datetime) -> datetime | None:
    """The latest fire time of ``trigger`` at or before ``now`` (None within a year back)."""
    back = timedelta(minutes=1)
    while back <= timedelta(days=400):
        fire = trigger.get_next_fire_time(None, now - back)
        if fire is not None and fire <= now:
            for _ in range(100_000):  # bounded: a few steps, the window was just widened
                after = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
                if after is None or after > now:
                    return fire
                fire = after
            return fire
        back *= 4
    return None


def _scheduled(app: Flask, module: str, job: Job, scheduler) -> Callable[[], bool]:
    """What APScheduler calls at a fire time: the recorded run for that fire time."""

    def run() -> bool:
        trigger = scheduler.get_job(job.id).trigger
        due = last_fire_time(trigger, datetime.now(trigger.timezone))
        if due is None:  # not reachable for a trigger that just fired; run it unrecorded
            return _run(app, module, job, None)
        return run_recorded(app, module, job, due)

    run.__name__ = job.id
    return run


def catch_up(app: Flask, scheduler, now: datetime | None = None) -> list[str]:
    """Run each job's latest missed fire time (within ``CATCH_UP_WITHIN``) once; return the ids.

    Missed: no completed run recorded for it, though the job has run before (a new install
    does not run every job at its first start). A job that fails is logged and left failed:
    the scheduler still starts.
    """
    ran = []
    registry: Registry = app.extensions["minsheng.registry"]
    for name, manifest in registry.manifests.items():
        for job in manifest.jobs:
            scheduled = scheduler.get_job(job.id)
            if scheduled is None:
                continue
            moment = now or datetime.now(scheduled.trigger.timezone)
            due = last_fire_time(scheduled.trigger, moment)
            if due is None or moment - due > CATCH_UP_WITHIN:
                continue
            with app.app_context():
                missed = job_runs.has_runs(job.id) and not job_runs.is_done(job.id, due)
                db.session.remove()
            if not missed:
                continue
            log.info("catching up job %s for %s", job.id, due.isoformat())
            try:
                if run_recorded(app, name, job, due):
                    ran.append(job.id)
            except Exception:  # recorded as failed; the other jobs and the scheduler go on
                log.warning("catching up job %s failed; the scheduler starts all the same", job.id)
    return ran


def build_scheduler(app: Flask, scheduler: BlockingScheduler | None = None):
    """Create a scheduler (Asia/Shanghai) with every present module's jobs registered."""
    scheduler = scheduler or BlockingScheduler(timezone=TIMEZONE)
    registry: Registry = app.extensions["minsheng.registry"]
    for name, manifest in registry.manifests.items():
        for job in manifest.jobs:
            scheduler.add_job(
                _scheduled(app, name, job, scheduler),
                job.trigger,
                id=job.id,
                name=job.description or job.id,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=3600,
                # On the trigger itself, so a scheduler handed in with another zone (or the
                # host's local zone) cannot move "03:10" off Beijing time.
                **{"timezone": TIMEZONE, **job.trigger_args},
            )
    return scheduler


def _single_scheduler_lock(app: Flask):
    """Take the one-scheduler lock, waiting up to ``LOCK_WAIT``; return what holds it, or None.

    PostgreSQL: a session-level advisory lock on a connection of its own (schedulers may run on
    different hosts). SQLite: an exclusive lock on ``scheduler.lock`` in the var folder, next to
    the database file. The server or the operating system releases either when the process
    dies.
    """
    deadline = time.monotonic() + LOCK_WAIT
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            conn = db.engine.connect()
            while True:
                got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
                got = got.scalar()
                conn.commit()
                if got:
                    return conn
                if time.monotonic() > deadline:
                    conn.close()
                    return None
                time.sleep(0.2)
    path = Path(app.config["MINSHENG_VAR_DIR"]) / "scheduler.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a")
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.close()
                return None
            time.sleep(0.2)


def run_scheduler(app: Flask) -> None:
    """Run the scheduler in the foreground, holding the single-scheduler lock.

    At start it catches up the runs it missed (``catch_up``), then runs jobs at their times.
    """
    held = _single_scheduler_lock(app)
    if held is None:
        raise SystemExit("另一个调度进程正在运行（已持有调度锁），本进程退出。")
    try:
        scheduler = build_scheduler(app)
        log.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
        caught = catch_up(app, scheduler)
        if caught:
            log.info("caught up: %s", ", ".join(caught))
        scheduler.start()
    finally:
        held.close()
