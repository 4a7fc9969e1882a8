"""One desk action, one transaction: the unit of work every writing service runs in.

A service decorated with ``transactional`` joins the transaction of the service that called it;
the outermost one commits once at the end. Whatever goes wrong anywhere inside rolls the whole
action back: the matter, its number, its timeline, its documents, the module's own rows, the
audit events and the files written on disk (see ``core.cases.files.attachments``) — and the
caller learns why from the exception.

Conflicts are told apart from refusals at the outermost level only:

* a write that found the row changed since it was read (``StaleDataError``, the optimistic
  lock of ``VersionedMixin``) becomes ``StaleEdit``;
* a conflict that says nothing about what the user saw — SQLite refusing a write because
  another connection committed first, a random query code already taken, the working-day
  calendar changed while a clock was computed — runs the whole action again in a new
  transaction. Objects the caller loaded before are expired by the rollback and read again,
  so a version check inside the action then sees the other writer's change and refuses with
  ``StaleEdit`` if the user's page is out of date.

An action does not use savepoints (``begin_nested``): SQLAlchemy reports the rollback of a
savepoint like that of the transaction, and the hooks here and in ``core.cases.files.attachments``
would drop the action's files and attached objects although its rows are still there.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.accounts.services import StaleEdit
from core.errors import ActionRefused
from core.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

#: How often an action is tried (another SQLite writer, a taken query code, a new calendar).
ATTEMPTS = 50

_DEPTH = "minsheng_unit_depth"
_ATTACHED = "minsheng_attached"
_AFTER_COMMIT = "minsheng_after_commit"


class TryAgain(Exception):
    """Raised inside an action for a conflict that a fresh attempt resolves (see the module doc).

    ``before_retry`` runs after the rollback, before the next attempt (e.g. forget a cache).
    """

    def __init__(self, before_retry: Callable[[], None] | None = None):
        super().__init__("try again")
        self.before_retry = before_retry


#: Tells whether an ``IntegrityError`` is a conflict worth another attempt (registered by the
#: case file for its random query codes, so this module needs to know nothing of matters).
_retryable_integrity: list[Callable[[IntegrityError], bool]] = []


def retry_on_integrity(test: Callable[[IntegrityError], bool]) -> None:
    """Make an ``IntegrityError`` that ``test`` accepts start the action again."""
    _retryable_integrity.append(test)


def depth() -> int:
    """How many transactional services are running in this session (0: none)."""
    return db.session.info.get(_DEPTH, 0)


def attach_on_rollback_expunge(obj: object) -> None:
    """Keep track of an object written without the unit of work and attached by hand.

    The session does not know it is new in this transaction; a rollback must take it out of
    the identity map (a retry may write a row with the same key on SQLite).
    """
    db.session.info.setdefault(_ATTACHED, []).append(obj)


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the action has committed (dropped if it rolls back)."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def _sqlite_busy(exc: OperationalError) -> bool:
    """SQLite refused a write because another connection wrote first ("database is locked").

    In WAL mode a transaction that has read and then wants to write fails at once when another
    connection committed in between (SQLITE_BUSY_SNAPSHOT): busy_timeout does not wait for it.
    """
    return db.session.get_bind().dialect.name == "sqlite" and "locked" in str(exc.orig).lower()


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in the current unit of work, or as a new one that commits when it returns.

    Nested calls join the outermost action. The outermost commits; on any exception it rolls
    back everything the action wrote and re-raises (``StaleEdit`` for a lost optimistic lock;
    an ``ActionRefused`` with ``keep`` commits first), or, for a conflict that another attempt
    resolves, runs ``func`` again.
    """

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        session = db.session
        info = session.info
        level = info.get(_DEPTH, 0)
        if level:
            info[_DEPTH] = level + 1
            try:
                return func(*args, **kwargs)
            finally:
                info[_DEPTH] = level
        last = ATTEMPTS - 1
        for attempt in range(ATTEMPTS):
            info[_DEPTH] = 1
            try:
                result = func(*args, **kwargs)
                _commit(session)
                return result
            except TryAgain as exc:
                session.rollback()
                if exc.before_retry:
                    exc.before_retry()
                if attempt == last:
                    raise
            except ActionRefused as exc:
                if not exc.keep:
                    session.rollback()
                    raise
                # What came before the refusal stands (see ActionRefused).
                try:
                    _commit(session)
                except StaleDataError:
                    session.rollback()
                    raise StaleEdit() from None
                except BaseException:
                    session.rollback()
                    raise
                raise
            except StaleDataError:
                session.rollback()
                raise StaleEdit() from None
            except IntegrityError as exc:
                session.rollback()
                if attempt == last or not any(t(exc) for t in _retryable_integrity):
                    raise
            except OperationalError as exc:
                session.rollback()
                if attempt == last or not _sqlite_busy(exc):
                    raise
                time.sleep(0.005 * (attempt + 1))
            except BaseException:
                session.rollback()
                raise
            finally:
                info[_DEPTH] = 0
        raise AssertionError("unreachable")

    return run


def _commit(session) -> None:
    session.commit()
    for callback in session.info.pop(_AFTER_COMMIT, ()):
        callback()


@event.listens_for(Session, "after_rollback")
def _forget_attached(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)
    for obj in session.info.pop(_ATTACHED, []):
        if obj in session:
            session.expunge(obj)


@event.listens_for(Session, "after_commit")
def _keep_attached(session: Session) -> None:
    session.info.pop(_ATTACHED, None)
