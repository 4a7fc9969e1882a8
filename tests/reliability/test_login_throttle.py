"""Login under attack: guessing is slowed, the owner is never locked out by strangers, directory
outages are not counted, counting is atomic, refusals take the same time whoever the name is,
and a silent directory stalls one login, not every login."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from core.accounts import throttle
from core.accounts.directory import UNAVAILABLE_MESSAGE, forget_outages
from core.accounts.login import BAD_CREDENTIALS, CHALLENGE_NEEDED
from core.accounts.models import LoginAttempt
from core.accounts.passwords import hash_password, verify_password
from core.db import utcnow
from core.extensions import db
from tests.accounts_support import ldap_settings, text
from tests.plugin import PASSWORD, csrf_token

DIR_PASSWORD = "Secret-123"
QUESTION = re.compile(r"(\d) 加 (\d) 等于几")
WAIT = re.compile(r"登录失败次数较多，请 \d+ 秒后再试")


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client, username: str, password: str, answer_from=None):
    """One post of the login form; answers the question shown on ``answer_from`` if any."""
    data = {"username": username, "password": password, "csrf_token": csrf_token(client)}
    if answer_from is not None:
        m = QUESTION.search(text(answer_from))
        if m:
            data["challenge"] = str(int(m.group(1)) + int(m.group(2)))
    return client.post("/login", data=data)


def guess(app, client, username: str, times: int) -> None:
    """``times`` wrong passwords, answering each question as a determined attacker would."""
    last = None
    for _ in range(times):
        last = attempt(client, username, "wrong-guess", answer_from=last)
        assert last.status_code == 401
        assert BAD_CREDENTIALS in text(last), text(last)[:300]
        _age_failures(app, seconds=120)  # no waiting in tests: the last failure is long past


def _age_failures(app, seconds: int) -> None:
    with app.app_context():
        # In Python: SQLite would subtract an interval from its text timestamp as a number.
        for row in db.session.execute(select(LoginAttempt)).scalars():
            row.at = row.at - timedelta(seconds=seconds)
        db.session.commit()


def failures(app, username: str) -> int:
    with app.app_context():
        return db.session.execute(
            select(func.count()).where(
                LoginAttempt.username == username, LoginAttempt.success.is_(False)
            )
        ).scalar_one()


def add_failures(app, address: str, usernames: list[str], *, now: bool = False) -> None:
    with app.app_context():
        if now:  # every earlier failure happened just now
            db.session.execute(update(LoginAttempt).values(at=utcnow()))
        for name in usernames:
            db.session.add(LoginAttempt(username=name, address=address, success=False))
        db.session.commit()


def test_strangers_guessing_never_lock_the_owner_out_of_their_browser(app):
    owner = client_from(app, "10.0.0.1")
    assert attempt(owner, "clerk", PASSWORD).status_code == 302  # this browser is now known
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/me")})

    guess(app, client_from(app, "10.9.9.9"), "clerk", 12)
    # The guesser now waits and answers questions; the owner's browser does neither.
    assert attempt(owner, "clerk", PASSWORD).status_code == 302


def test_other_browsers_answer_a_question_then_wait_seconds_never_a_lock(app):
    stranger = client_from(app, "10.0.0.2")
    guess(app, stranger, "clerk", throttle.CHALLENGE_AFTER)
    # Even the right password needs the answer now ...
    resp = attempt(stranger, "clerk", PASSWORD)
    assert resp.status_code == 401
    assert CHALLENGE_NEEDED in text(resp)
    assert QUESTION.search(text(resp))
    assert failures(app, "clerk") == throttle.CHALLENGE_AFTER  # an unanswered try is not a guess
    # ... and with it the owner gets in from any browser.
    assert attempt(stranger, "clerk", PASSWORD, answer_from=resp).status_code == 302


def test_the_wait_grows_with_failures_and_stops_at_a_minute(app):
    guess(app, client_from(app, "10.0.0.3"), "clerk", throttle.DELAY_AFTER + 3)
    add_failures(app, "10.0.0.3", [], now=True)  # the failures happened just now
    resp = attempt(client_from(app, "10.0.0.4"), "clerk", PASSWORD)
    assert resp.status_code == 401
    assert "请 8 秒后再试" in text(resp)
    assert failures(app, "clerk") == throttle.DELAY_AFTER + 3  # a refused try is no guess
    add_failures(app, "10.0.0.5", ["clerk"] * 20, now=True)  # many at once: the wait is capped
    assert "请 60 秒后再试" in text(attempt(client_from(app, "10.0.0.4"), "clerk", PASSWORD))
    _age_failures(app, seconds=61)
    c = client_from(app, "10.0.0.4")
    shown = attempt(c, "clerk", PASSWORD)
    assert CHALLENGE_NEEDED in text(shown)
    assert attempt(c, "clerk", PASSWORD, answer_from=shown).status_code == 302


def test_an_office_behind_one_address_is_slowed_not_blocked(app):
    add_failures(app, "10.6.6.6", [f"ghost{n}" for n in range(throttle.DELAY_AFTER_ADDRESS + 2)])
    _age_failures(app, seconds=120)
    colleague = client_from(app, "10.6.6.6")
    shown = attempt(colleague, "admin", PASSWORD)
    assert CHALLENGE_NEEDED in text(shown)
    assert attempt(colleague, "admin", PASSWORD, answer_from=shown).status_code == 302


def test_concurrent_guesses_are_counted_atomically(app):
    # Twelve guesses at once: without atomic counting every one of them checked its password
    # (all saw zero failures before any was written). Now at most CHALLENGE_AFTER do.
    barrier = threading.Barrier(12)
    statuses: list[str] = []

    def one(n: int) -> None:
        c = client_from(app, f"10.1.0.{n}")
        token = csrf_token(c)
        barrier.wait()
        resp = c.post(
            "/login", data={"username": "clerk", "password": "wrong", "csrf_token": token}
        )
        statuses.append(text(resp))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checked = sum(BAD_CREDENTIALS in body for body in statuses)
    held = sum(CHALLENGE_NEEDED in body or WAIT.search(body) is not None for body in statuses)
    # Every guess is answered: its password checked, or held back by the question or a wait.
    # How many got checked depends on how the writes interleave: when all twelve are written
    # before any counts, none is (each sees twelve tries and waits), which is as safe; never
    # more than the threshold.
    assert (len(statuses), checked + held) == (12, 12)
    assert checked <= throttle.CHALLENGE_AFTER
    assert failures(app, "clerk") == checked


# --- the directory ---------------------------------------------------------------------------


@pytest.fixture
def fresh_outages():
    forget_outages()
    yield
    forget_outages()


def test_directory_outages_are_not_counted(app, slapd, dead_ldap_url, fresh_outages):
    app.config["MINSHENG_LDAP"] = ldap_settings(slapd, url=dead_ldap_url)
    for n in range(throttle.DELAY_AFTER + 2):
        resp = attempt(client_from(app, f"10.2.0.{n}"), "zhangwei", DIR_PASSWORD)
        assert resp.status_code == 401
        assert UNAVAILABLE_MESSAGE in text(resp)
    assert failures(app, "zhangwei") == 0
    # When the directory is back, the person logs in with no question and no wait.
    app.config["MINSHENG_LDAP"] = ldap_settings(slapd)
    assert attempt(client_from(app, "10.2.1.1"), "zhangwei", DIR_PASSWORD).status_code == 302


def timed_post(client, username: str, password: str):
    token = csrf_token(client)
    started = time.monotonic()
    resp = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    return resp, time.monotonic() - started


def hash_cost() -> float:
    """Seconds one password check takes on this machine now (argon2: slow on a busy machine)."""
    stored = hash_password("x")
    started = time.monotonic()
    verify_password(stored, "y")
    return time.monotonic() - started


def test_refusals_take_the_same_time_for_local_directory_and_unknown_names(app, slapd):
    app.config["MINSHENG_LDAP"] = ldap_settings(slapd)
    floor = round(2 * hash_cost() + 0.3, 2)
    app.config["MINSHENG_LOGIN_FLOOR"] = floor
    timed_post(client_from(app, "10.3.1.1"), "warm-up", "wrong")  # templates, connections
    took = {}
    for n, name in enumerate(("clerk", "zhangwei", "no-such-person")):
        resp, took[name] = timed_post(client_from(app, f"10.3.0.{n}"), name, "wrong")
        assert resp.status_code == 401
        assert BAD_CREDENTIALS in text(resp)
    assert min(took.values()) >= floor, (floor, took)
    assert max(took.values()) - min(took.values()) < 0.2, (floor, took)


def test_a_silent_directory_stalls_one_login_per_worker_not_every_login(
    app, slapd, silent_ldap_url, fresh_outages
):
    app.config["MINSHENG_LDAP"] = ldap_settings(slapd, url=silent_ldap_url, timeout=2)
    app.config["MINSHENG_LOGIN_FLOOR"] = 0.1
    took = []
    for n in range(3):
        resp, seconds = timed_post(client_from(app, f"10.4.0.{n}"), "zhangwei", DIR_PASSWORD)
        took.append(seconds)
        assert resp.status_code == 401
        assert UNAVAILABLE_MESSAGE in text(resp)
    assert 1.9 < took[0] < 4.5, took  # the timeout, once
    # Then skipped while it stays silent: a password check's time, not the timeout.
    quick = 2 * hash_cost() + 0.5
    assert took[1] < quick and took[2] < quick, (quick, took)
    resp, seconds = timed_post(client_from(app, "10.4.1.1"), "admin", PASSWORD)
    assert resp.status_code == 302
    assert seconds < quick
    assert failures(app, "zhangwei") == 0


def test_the_administrator_clears_failures_from_the_command_line(app):
    guess(app, client_from(app, "10.5.0.1"), "admin", throttle.DELAY_AFTER + 1)
    result = app.test_cli_runner().invoke(args=["users", "unthrottle", "admin"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"cleared {throttle.DELAY_AFTER + 1} failed logins of admin"
    assert failures(app, "admin") == 0
    # No question, no wait: the very next try goes through.
    assert attempt(client_from(app, "10.5.0.2"), "admin", PASSWORD).status_code == 302
