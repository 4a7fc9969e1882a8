"""The scheduler's record of its runs: one row per job and fire time (``core_job_run``).

A scheduled run first *claims* its (job, fire time) in a transaction of its own: the unique key
lets one claimant in; a run already ``done`` is never claimed again, one left ``running`` by a
scheduler that died (or ``failed``) is taken over by a compare-and-set on its attempt count.
Only then does the job's work run, in the job's own transaction(s); the run is marked ``done``
after it. A run cut short between its work's commit and that mark is run again — harmless,
because every job marks what it did in the same transaction as doing it (a clock's
``reminded_on`` with its reminders), so a second run finds nothing left to do.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import String, Text, UniqueConstraint, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow
from core.extensions import db

RUNNING, DONE, FAILED = "running", "done", "failed"


class JobRun(Base):
    """One run of a scheduled job, for the fire time it stands for (``due_at``, UTC)."""

    __tablename__ = "core_job_run"
    __table_args__ = (UniqueConstraint("job_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(100))
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")


_RUNS = JobRun.__table__


def _utc(moment: datetime) -> datetime:
    """The fire time as stored: UTC, whole seconds (a key must compare equal on both backends)."""
    return moment.astimezone(UTC).replace(microsecond=0)


def _this(job_id: str, due: datetime):
    return (_RUNS.c.job_id == job_id) & (_RUNS.c.due_at == _utc(due))


def claim(job_id: str, due: datetime) -> bool:
    """Claim the run of ``job_id`` for ``due``; False when it is done or someone else holds it.

    Commits the session (the claim must be visible before the work starts).
    """
    try:
        db.session.execute(
            insert(_RUNS).values(
                job_id=job_id, due_at=_utc(due), state=RUNNING, started_at=utcnow(), error=""
            )
        )
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    seen = db.session.execute(
        select(_RUNS.c.state, _RUNS.c.attempts).where(_this(job_id, due))
    ).one()
    if seen.state == DONE:
        db.session.rollback()
        return False
    # Taken over only as it was seen: of two claimants, the second's attempt count is stale.
    taken = db.session.execute(
        update(_RUNS)
        .where(_this(job_id, due), _RUNS.c.attempts == seen.attempts, _RUNS.c.state != DONE)
        .values(
            state=RUNNING,
            attempts=seen.attempts + 1,
            started_at=utcnow(),
            finished_at=None,
            error="",
        )
    ).rowcount
    db.session.commit()
    return taken == 1


def finish(job_id: str, due: datetime, error: str | None = None) -> None:
    """Mark the claimed run ``done`` (or ``failed`` with ``error``) and commit."""
    db.session.execute(
        update(_RUNS)
        .where(_this(job_id, due))
        .values(
            state=FAILED if error is not None else DONE,
            finished_at=utcnow(),
            error=(error or "")[:2000],
        )
    )
    db.session.commit()


def has_runs(job_id: str) -> bool:
    """Whether any run of ``job_id`` was ever recorded."""
    return (
        db.session.execute(select(_RUNS.c.id).where(_RUNS.c.job_id == job_id).limit(1)).first()
        is not None
    )


def is_done(job_id: str, due: datetime) -> bool:
    """Whether the run of ``job_id`` for ``due`` completed."""
    state = db.session.execute(select(_RUNS.c.state).where(_this(job_id, due))).scalar()
    return state == DONE
