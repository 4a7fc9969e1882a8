"""Logging in: local accounts first, then the directory; throttled and audited."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import current_app

from core import audit
from core.accounts import throttle
from core.accounts.directory import UNAVAILABLE_MESSAGE, DirectoryError, DirectoryUnavailable
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
    #: The next attempt must answer the throttle's question (``core.accounts.throttle``).
    challenge: bool = False


CHALLENGE_NEEDED = "登录失败次数较多，请先回答验证问题。"
CHALLENGE_WRONG = "验证问题的答案不正确，请重新回答。"


def authenticate(
    username: str,
    password: str,
    address: str,
    *,
    device: str | None = None,
    answered: bool | None = None,
) -> LoginResult:
    """Check credentials and return the user, refreshing a directory user's roles and agency.

    Local accounts are tried first, so the local administrator can log in while the directory
    is down. Every attempt is throttled (``core.accounts.throttle``: ``device`` is the trusted
    browser's id, ``answered`` whether the throttle's question was answered right, ``None``
    when it was not asked) and written to the audit log. With a directory configured, a
    refusal takes at least ``MINSHENG_LOGIN_FLOOR`` seconds, so the time of the answer does not
    tell local, directory and unknown names apart.
    """
    started = time.monotonic()
    username = (username or "").strip()
    if not username or not password or "\x00" in username or len(username) > 128:
        return LoginResult(None, BAD_CREDENTIALS)
    verdict = throttle.begin(username, address, device)
    if verdict.refusal or (verdict.challenge and answered is not True):
        throttle.finish(verdict, "uncounted")
        message = verdict.refusal or (CHALLENGE_NEEDED if answered is None else CHALLENGE_WRONG)
        audit.record("login.throttled", summary=f"登录被限制：{username}", account=username)
        db.session.commit()
        return LoginResult(None, message, challenge=verdict.challenge)
    client = directory_client()
    user = find_account(username)
    result: LoginResult
    outcome = "failure"
    if user is not None and user.source == "local":
        if verify_password(user.password_hash, password):
            if needs_rehash(user.password_hash or ""):
                user.password_hash = hash_password(password)
            result = LoginResult(user)
        else:
            result = LoginResult(None, BAD_CREDENTIALS)
    else:
        result = _directory_login(client, username, password)
        if result.message in (DIRECTORY_FAILED, UNAVAILABLE_MESSAGE):
            outcome = "uncounted"  # the directory's fault, not a guess
    if result.user is not None and not result.user.active:
        result = LoginResult(None, DEACTIVATED)
        outcome = "uncounted"  # the password was right
    elif result.user is not None:
        outcome = "success"
    throttle.finish(verdict, outcome)
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
    if result.user is None:
        if client is not None:
            floor = float(current_app.config.get("MINSHENG_LOGIN_FLOOR", LOGIN_FLOOR))
            time.sleep(max(0.0, started + floor - time.monotonic()))
        if device is None:
            result.challenge = throttle.challenge_due(username, address)
    return result


#: Seconds a refused login takes at least when a directory is configured (a directory
#: round trip is ~0.2 s, a local password check ~0.02 s: unpadded, the time tells which).
LOGIN_FLOOR = 0.5


def _directory_login(client, username: str, password: str) -> LoginResult:
    if client is None:
        # Spend the same time as a wrong password, so response times do not reveal which
        # account names exist.
        verify_password(_DUMMY_HASH, password)
        return LoginResult(None, BAD_CREDENTIALS)
    # A local name costs a password hash: spend it here too, so the two differ only by the
    # directory's round trip, which the refusal's floor (``MINSHENG_LOGIN_FLOOR``) covers.
    verify_password(_DUMMY_HASH, password)
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
