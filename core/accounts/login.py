"""Logging in: local accounts first, then the directory; throttled and audited."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core import audit
from core.accounts import throttle
from core.accounts.directory import DirectoryError, DirectoryUnavailable
from core.accounts.models import User
from core.accounts.passwords import hash_password, needs_rehash, verify_password
from core.accounts.provisioning import directory_client, find_account, provision_at_login
from core.db import utcnow
from core.extensions import db

log = logging.getLogger(__name__)

BAD_CREDENTIALS = "用户名或密码不正确。"
_DUMMY_HASH = hash_password("minsheng-timing-equaliser")
DIRECTORY_FAILED = "目录服务器查询出错，请稍后再试或联系管理员。"
DEACTIVATED = "该账户已停用，请联系管理员。"


@dataclass
class LoginResult:
    """The user on success, else a message to show (never says which part was wrong)."""

    user: User | None
    message: str = ""


def authenticate(username: str, password: str, address: str) -> LoginResult:
    """Check credentials and return the user, refreshing a directory user's roles and agency.

    Local accounts are tried first, so the local administrator can log in while the directory
    is down. Every attempt is counted for throttling and written to the audit log.
    """
    username = (username or "").strip()
    if not username or not password or "\x00" in username or len(username) > 128:
        return LoginResult(None, BAD_CREDENTIALS)
    refusal = throttle.refusal(username, address)
    if refusal:
        audit.record("login.throttled", summary=f"登录被限制：{username}", account=username)
        db.session.commit()
        return LoginResult(None, refusal)
    user = find_account(username)
    result: LoginResult
    if user is not None and user.source == "local":
        if verify_password(user.password_hash, password):
            if needs_rehash(user.password_hash or ""):
                user.password_hash = hash_password(password)
            result = LoginResult(user)
        else:
            result = LoginResult(None, BAD_CREDENTIALS)
    else:
        result = _directory_login(username, password)
    if result.user is not None and not result.user.active:
        result = LoginResult(None, DEACTIVATED)
    throttle.note(username, address, result.user is not None)
    if result.user is not None:
        u = result.user
        u.previous_login_at, u.previous_login_ip = u.last_login_at, u.last_login_ip
        u.last_login_at, u.last_login_ip = utcnow(), address
        audit.record("login.success", u, summary=f"{u.display_name} 登录", actor=u)
    else:
        audit.record(
            "login.failure",
            summary=f"登录失败：{username}",
            account=username,
            reason=result.message,
        )
    db.session.commit()
    return result


def _directory_login(username: str, password: str) -> LoginResult:
    client = directory_client()
    if client is None:
        # Spend the same time as a wrong password, so response times do not reveal which
        # account names exist.
        verify_password(_DUMMY_HASH, password)
        return LoginResult(None, BAD_CREDENTIALS)
    try:
        entry = client.authenticate(username, password)
    except DirectoryUnavailable as exc:
        return LoginResult(None, str(exc))
    except DirectoryError:
        # A misconfiguration (wrong base DN, schema...): the administrator needs the details,
        # the person at the login form only needs to know it is not their fault.
        log.exception("directory login of %r failed", username)
        return LoginResult(None, DIRECTORY_FAILED)
    if entry is None:
        return LoginResult(None, BAD_CREDENTIALS)
    return LoginResult(provision_at_login(entry))
