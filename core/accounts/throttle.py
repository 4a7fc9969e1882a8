"""Login throttling per account and per address, stored in the database so every worker agrees."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from core.accounts.models import LoginAttempt
from core.db import utcnow
from core.extensions import db

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20


def _failures(column, value: str) -> int:
    since = utcnow() - WINDOW
    return db.session.execute(
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    ).scalar_one()


def refusal(username: str, address: str) -> str | None:
    """A message if this account or address has failed too often recently, else ``None``."""
    if _failures(LoginAttempt.username, username.lower()) >= MAX_PER_ACCOUNT:
        return "该账户登录失败次数过多，已暂时锁定，请 15 分钟后再试。"
    if _failures(LoginAttempt.address, address) >= MAX_PER_ADDRESS:
        return "此地址登录失败次数过多，请 15 分钟后再试。"
    return None


def note(username: str, address: str, success: bool) -> None:
    """Record an attempt; a success clears the account's earlier failures."""
    if success:
        db.session.execute(
            delete(LoginAttempt).where(
                LoginAttempt.username == username.lower(), LoginAttempt.success.is_(False)
            )
        )
    db.session.add(
        LoginAttempt(username=username.lower()[:128], address=address[:64], success=success)
    )


def prune() -> int:
    """Delete attempts older than a day (a scheduled job)."""
    result = db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(days=1))
    )
    db.session.commit()
    return result.rowcount or 0
