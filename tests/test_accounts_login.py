"""Local logins: throttling, the session cookie, logout, last login, passwords, demo users."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.accounts_support import (
    PASSWORD,
    audit_actions,
    csrf_token,
    login,
    post_form,
    text,
    user_row,
)
from tests.plugin import make_app


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail_logins(client, usernames: list[str]) -> None:
    token = csrf_token(client)
    for username in usernames:
        resp = client.post(
            "/login", data={"username": username, "password": "wrong", "csrf_token": token}
        )
        assert resp.status_code == 401


# --- throttling -------------------------------------------------------------------------------


def test_failures_ask_other_browsers_a_question_never_lock_the_account(app):
    # The full rules (trusted browsers, waits, atomic counting, directory outages) are tested in
    # tests/reliability/test_login_throttle.py.
    attacker = client_from(app, "10.9.9.9")
    fail_logins(attacker, ["clerk", "Clerk", "CLERK", "clerk", "clerk"])

    resp = login(client_from(app, "10.0.0.1"), "clerk")

    assert resp.status_code == 401
    assert "请先回答验证问题" in text(resp)
    assert login(client_from(app, "10.0.0.1"), "handler").status_code == 302  # others unaffected
    with app.app_context():
        # The attacker's fourth and fifth tries (unanswered) and the owner's.
        assert len(audit_actions("login.throttled")) == 3

        # The failures are forgotten after 15 minutes.
        from core.accounts.models import LoginAttempt
        from core.extensions import db

        for row in db.session.execute(select(LoginAttempt)).scalars():
            row.at = row.at - timedelta(minutes=16)
        db.session.commit()
    assert login(client_from(app, "10.0.0.1"), "clerk").status_code == 302


def test_a_success_clears_the_accounts_earlier_failures(app):
    fail_logins(client_from(app, "10.0.0.1"), ["clerk"] * 2)
    assert login(client_from(app, "10.0.0.1"), "clerk").status_code == 302
    fail_logins(client_from(app, "10.0.0.1"), ["clerk"] * 2)  # the fourth failure, a fresh count
    assert login(client_from(app, "10.0.0.1"), "clerk").status_code == 302


def test_many_failures_from_one_address_ask_that_address_a_question(app):
    attacker = client_from(app, "10.6.6.6")
    fail_logins(attacker, [f"ghost{n}" for n in range(10)])

    resp = login(client_from(app, "10.6.6.6"), "admin")

    assert resp.status_code == 401
    assert "请先回答验证问题" in text(resp)
    assert login(client_from(app, "10.0.0.7"), "admin").status_code == 302


# --- session ----------------------------------------------------------------------------------


def test_session_cookie_is_http_only_and_same_site_lax(app):
    resp = login(app.test_client(), "clerk")

    cookie = next(
        c for c in resp.headers.getlist("Set-Cookie") if c.startswith("minsheng_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # only behind HTTPS (MINSHENG_SECURE_COOKIES=1)


def test_logout_is_a_post_with_a_csrf_token(app, as_user):
    client = as_user("clerk")

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still logged in

    resp = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    assert resp.status_code == 302
    assert resp.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    with app.app_context():
        [event] = audit_actions("logout")
        assert event.username == "clerk"


def test_me_shows_this_and_the_previous_login(app):
    assert login(client_from(app, "10.0.0.11"), "clerk").status_code == 302
    second = client_from(app, "10.0.0.22")
    assert login(second, "clerk").status_code == 302

    page = text(second.get("/me"))

    assert "10.0.0.22" in page  # this login
    assert "10.0.0.11" in page  # the one before
    assert "上次登录" in page
    assert "10.0.0.11" in text(second.get("/"))
    with app.app_context():
        clerk = user_row("clerk")
        assert clerk.last_login_ip == "10.0.0.22"
        assert clerk.previous_login_ip == "10.0.0.11"
        assert clerk.previous_login_at <= clerk.last_login_at


def test_login_returns_to_the_page_asked_for_but_never_off_site(app):
    stranger = app.test_client()
    resp = stranger.get("/me")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/login?next=%2Fme"

    token = csrf_token(stranger)
    resp = stranger.post(
        "/login?next=%2Fme", data={"username": "clerk", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.headers["Location"] == "/me"

    for target in [
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "/\t/evil.example",
    ]:
        client = app.test_client()
        resp = client.post(
            "/login",
            query_string={"next": target},
            data={"username": "clerk", "password": PASSWORD, "csrf_token": csrf_token(client)},
        )
        assert resp.headers["Location"] == "/", target


def test_login_form_without_csrf_token_is_refused(app):
    resp = app.test_client().post("/login", data={"username": "clerk", "password": PASSWORD})
    assert resp.status_code == 400


# --- passwords --------------------------------------------------------------------------------

NEW_PASSWORD = "Another-Pass-456"


def test_local_users_change_their_password_under_the_policy(app, as_user):
    elsewhere = as_user("clerk")
    client = as_user("clerk")

    def change(current: str, new: str, confirm: str | None = None):
        return post_form(
            client,
            "/me/password",
            {
                "current_password": current,
                "new_password": new,
                "confirm_password": new if confirm is None else confirm,
            },
            token_from="/me",
        )

    refusals = [
        (change("not-my-password", NEW_PASSWORD), "当前密码不正确"),
        (change(PASSWORD, "short"), "至少 10 位"),
        (change(PASSWORD, "clerk-Pass-12345"), "不能包含用户名"),
        (change(PASSWORD, NEW_PASSWORD, "Another-Pass-457"), "两次输入的新密码不一致"),
    ]
    for resp, message in refusals:
        assert resp.status_code == 422
        assert message in text(resp)

    resp = change(PASSWORD, NEW_PASSWORD)

    assert resp.status_code == 302
    assert client.get("/me").status_code == 200  # this session goes on
    assert elsewhere.get("/").status_code == 302  # other sessions end
    assert login(app.test_client(), "clerk").status_code == 401
    assert login(app.test_client(), "clerk", NEW_PASSWORD).status_code == 302
    with app.app_context():
        assert len(audit_actions("user.password")) == 1


# --- demo data --------------------------------------------------------------------------------


@pytest.fixture
def bare_app(backend, databases, tmp_path):
    """An app on an empty database with only core installed (what the run command makes)."""
    from core.extensions import db
    from core.registry.installer import install_core

    url = databases.new(backend, empty=True)
    application = make_app(url, tmp_path / "var")
    with application.app_context():
        install_core()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


def test_demo_data_has_one_local_user_per_role_and_loads_once(bare_app):
    from core.accounts.models import User
    from core.demo import load_demo
    from core.extensions import db
    from core.seed import ROLES

    with bare_app.app_context():
        lines = load_demo()
    # The run command loads it again on every start: nothing new, the same logins.
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == lines

    with bare_app.app_context():
        users = list(db.session.execute(select(User)).scalars())
        assert sorted(u.username for u in users) == sorted(code for code, _, _ in ROLES)
        for user in users:
            assert [r.code for r in user.roles] == [user.username]
            assert user.source == "local" and user.active and user.agency is not None
    password = lines[0].split("密码均为 ")[1].rstrip("）:")

    resp = login(bare_app.test_client(), "case_handler", password)
    assert resp.status_code == 302
    # Matters to work on, registered and routed through the services, once.
    from core.cases.models import Matter

    with bare_app.app_context():
        states = sorted(m.state for m in db.session.execute(select(Matter)).scalars())
    assert len(states) == 8 and states.count("registered") == 3
    assert {"forwarded", "assigned", "in_handling"} <= set(states)
    # The housing bureau's handler sees the five routed to it, not the three still at the desk.
    handler = bare_app.test_client()
    login(handler, "case_handler", password)
    page = handler.get("/cases/queue?tab=all").get_data(as_text=True)
    assert len(re.findall(r'href="/cases/\d+">210103', page)) == 5
    # Filed under categories, so the search page's category filter shows something: five of
    # the eight are below 城乡建设 (物业服务 ×2, 维修资金, 拆迁补偿, 安置房); the handler sees
    # the three of them routed to the housing bureau.
    with bare_app.app_context():
        from core.cases.models import ContentCategory

        urban = db.session.execute(
            select(ContentCategory.id).where(ContentCategory.name == "城乡建设")
        ).scalar_one()
    page = handler.get(f"/cases/search?category={urban}").get_data(as_text=True)
    assert len(re.findall(r'href="/cases/\d+">210103', page)) == 3
    admin = bare_app.test_client()
    assert login(admin, "admin", password).status_code == 302
    assert admin.get("/admin/users").status_code == 200


def test_proxy_hops_make_throttling_see_the_client_address(databases, backend, tmp_path):
    from core.accounts.models import LoginAttempt
    from core.extensions import db

    url = databases.new(backend)
    app = make_app(url, tmp_path / "var", MINSHENG_PROXY_HOPS=1)
    try:
        c = app.test_client()
        token = csrf_token(c)
        c.post(
            "/login",
            data={"username": "admin", "password": "wrong", "csrf_token": token},
            headers={"X-Forwarded-For": "10.1.2.3"},
        )
        with app.app_context():
            addresses = set(db.session.execute(select(LoginAttempt.address)).scalars())
        assert addresses == {"10.1.2.3"}
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)
