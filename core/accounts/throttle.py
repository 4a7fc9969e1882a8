"""Login throttling that slows guessing without locking the account's owner out.

Stored in the database (``core_login_attempt``) so every worker agrees. The rules:

- A browser where the account last logged in carries a signed *device cookie*
  (``core.accounts.views``). Its attempts are counted on their own (``address`` ``device:<id>``):
  strangers guessing the account's password from elsewhere never slow or refuse the owner there.
- Attempts from anywhere else share the account's count and the address's count. After
  ``CHALLENGE_AFTER`` failures of the account (or ``CHALLENGE_AFTER_ADDRESS`` of the address)
  each attempt must answer a question first; after ``DELAY_AFTER`` (``DELAY_AFTER_ADDRESS``)
  each further attempt waits ``2 ** (n - DELAY_AFTER)`` seconds after the last failure, at most
  ``MAX_DELAY``: a wait of seconds, never a lock of a quarter of an hour.
- Only a wrong password counts: a directory that cannot be reached, a refused attempt or a
  missing answer to the question leave no failure behind.
- Counting is atomic: the attempt is written and committed *before* the count is read, so
  concurrent guesses see each other (they may be over-counted, never under-counted).

The administrator clears an account's or an address's failures with
``flask users unthrottle NAME`` (or ``--address``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from core.accounts.models import LoginAttempt
from core.db import utcnow
from core.extensions import db

WINDOW = timedelta(minutes=15)
CHALLENGE_AFTER = 3
CHALLENGE_AFTER_ADDRESS = 10
DELAY_AFTER = 5
DELAY_AFTER_ADDRESS = 20
MAX_DELAY = 60
#: ``LoginAttempt.address`` of attempts made from a trusted browser.
DEVICE_PREFIX = "device:"


@dataclass
class Verdict:
    """What the throttle says about one attempt, already recorded as ``attempt_id``."""

    attempt_id: int
    #: Refuse without checking the password (a wait is due): the message says how long.
    refusal: str | None = None
    #: The question must be answered before the password is checked.
    challenge: bool = False


def _failures(*conditions) -> tuple[int, object]:
    row = db.session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.success.is_(False), LoginAttempt.at >= utcnow() - WINDOW, *conditions
        )
    ).one()
    return row[0], row[1]


def _wait(failures: int, last, after: int) -> int:
    """Seconds still to wait after ``failures`` ending at ``last`` (0: go ahead)."""
    if failures < after or last is None:
        return 0
    delay = min(2 ** (failures - after), MAX_DELAY)
    if last.tzinfo is None:  # SQLite gives naive datetimes back
        last = last.replace(tzinfo=utcnow().tzinfo)
    left = delay - (utcnow() - last).total_seconds()
    return max(0, int(left + 0.999))


def begin(username: str, address: str, device: str | None = None) -> Verdict:
    """Record an attempt (as a failure until ``finish``) and say whether it may go ahead.

    ``device``: the id of the trusted-browser cookie, when it is this account's.
    Commits, so that concurrent attempts count each other.
    """
    name = username.lower()[:128]
    scope = f"{DEVICE_PREFIX}{device}"[:64] if device else address[:64]
    attempt = LoginAttempt(username=name, address=scope, success=False)
    db.session.add(attempt)
    db.session.commit()
    mine = LoginAttempt.id != attempt.id
    if device:
        n, last = _failures(LoginAttempt.username == name, LoginAttempt.address == scope, mine)
        wait = _wait(n, last, DELAY_AFTER)
        return Verdict(attempt.id, _wait_message(wait) if wait else None)
    untrusted = ~LoginAttempt.address.startswith(DEVICE_PREFIX, autoescape=True)
    n, last = _failures(LoginAttempt.username == name, untrusted, mine)
    a, last_a = _failures(LoginAttempt.address == scope, mine)
    wait = max(_wait(n, last, DELAY_AFTER), _wait(a, last_a, DELAY_AFTER_ADDRESS))
    challenge = n >= CHALLENGE_AFTER or a >= CHALLENGE_AFTER_ADDRESS
    return Verdict(attempt.id, _wait_message(wait) if wait else None, challenge)


def _wait_message(seconds: int) -> str:
    return f"登录失败次数较多，请 {seconds} 秒后再试。"


def finish(verdict: Verdict, outcome: str) -> None:
    """Settle the attempt: ``"success"``, ``"failure"`` (a wrong password) or ``"uncounted"``.

    A success clears the account's earlier failures from the same scope (this browser or,
    untrusted, everywhere untrusted); the caller commits.
    """
    attempt = db.session.get(LoginAttempt, verdict.attempt_id)
    if attempt is None:
        return
    if outcome == "uncounted":
        db.session.delete(attempt)
    elif outcome == "success":
        attempt.success = True
        scope = (
            LoginAttempt.address == attempt.address
            if attempt.address.startswith(DEVICE_PREFIX)
            else ~LoginAttempt.address.startswith(DEVICE_PREFIX, autoescape=True)
        )
        db.session.execute(
            delete(LoginAttempt).where(
                LoginAttempt.username == attempt.username,
                LoginAttempt.success.is_(False),
                scope,
            )
        )


def challenge_due(username: str, address: str) -> bool:
    """Whether the next untrusted attempt at ``username`` from ``address`` must answer first."""
    name = username.lower()[:128]
    untrusted = ~LoginAttempt.address.startswith(DEVICE_PREFIX, autoescape=True)
    n, _ = _failures(LoginAttempt.username == name, untrusted)
    a, _ = _failures(LoginAttempt.address == address[:64])
    return n >= CHALLENGE_AFTER or a >= CHALLENGE_AFTER_ADDRESS


def clear(username: str | None = None, address: str | None = None) -> int:
    """Forget the failures of an account and/or an address (the CLI recovery); commits."""
    stmt = delete(LoginAttempt).where(LoginAttempt.success.is_(False))
    if username:
        stmt = stmt.where(LoginAttempt.username == username.lower())
    if address:
        stmt = stmt.where(LoginAttempt.address == address)
    result = db.session.execute(stmt)
    db.session.commit()
    return result.rowcount or 0


def prune() -> int:
    """Delete attempts older than a day (a scheduled job)."""
    result = db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(days=1))
    )
    db.session.commit()
    return result.rowcount or 0
