"""The one scheduler process (``flask scheduler run``).

APScheduler 3.x does not coordinate processes, so exactly one scheduler must run; on
PostgreSQL a session-level advisory lock on a dedicated connection makes a second one wait
instead of running every job twice. Jobs of every present module are registered; each run
checks that its module is installed at that moment, so install and uninstall need no restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import text

from core.extensions import db
from core.registry.manifest import Job, resolve
from core.registry.registry import Registry

log = logging.getLogger(__name__)

LOCK_KEY = 0x4D53_4A42  # "MSJB": Minsheng jobs
TIMEZONE = "Asia/Shanghai"


def job_runner(app: Flask, module: str, job: Job) -> Callable[[], bool]:
    """A callable that runs ``job`` in an app context if ``module`` is installed.

    Returns whether the job ran (handy for tests and logs).
    """

    def run() -> bool:
        with app.app_context():
            registry: Registry = app.extensions["minsheng.registry"]
            if module not in registry.installed_names():
                log.info("skip job %s: module %s is not installed", job.id, module)
                return False
            try:
                resolve(job.func)()
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("job %s failed", job.id)
                raise
            finally:
                db.session.remove()
            return True

    run.__name__ = job.id
    return run


def build_scheduler(app: Flask, scheduler: BlockingScheduler | None = None):
    """Create a scheduler (Asia/Shanghai) with every present module's jobs registered."""
    scheduler = scheduler or BlockingScheduler(timezone=TIMEZONE)
    registry: Registry = app.extensions["minsheng.registry"]
    for name, manifest in registry.manifests.items():
        for job in manifest.jobs:
            scheduler.add_job(
                job_runner(app, name, job),
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


def run_scheduler(app: Flask) -> None:
    """Run the scheduler in the foreground, holding the single-scheduler lock on PostgreSQL."""
    lock_conn = None
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            lock_conn = db.engine.connect()
            got = lock_conn.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}
            ).scalar()
            lock_conn.commit()
            if not got:
                lock_conn.close()
                raise SystemExit("另一个调度进程正在运行（已持有调度锁），本进程退出。")
    scheduler = build_scheduler(app)
    log.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
    try:
        scheduler.start()
    finally:
        if lock_conn is not None:
            lock_conn.close()
