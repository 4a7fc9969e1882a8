"""Directory (LDAP) accounts end to end: the web login form, mapping, refresh and the sync.

Every test talks to the real slapd of tests/ldap_server.py through the app's own
``MINSHENG_LDAP`` settings. The slapd is shared by the whole session, so a test that changes it
adds its own people and removes them afterwards (``directory_people``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from core.accounts.directory import UNAVAILABLE_MESSAGE
from core.accounts.login import BAD_CREDENTIALS
from tests.accounts_support import (
    audit_actions,
    ldap_settings,
    login,
    post_form,
    text,
    user_row,
)
from tests.ldap_server import LdapServer, ssha, user_dn

DIR_PASSWORD = "Secret-123"


@pytest.fixture
def ldap_app(app, slapd):
    """The test app configured to log people in against the test slapd."""
    app.config["MINSHENG_LDAP"] = ldap_settings(slapd)
    return app


@pytest.fixture
def directory_people(slapd: LdapServer) -> Iterator[list[str]]:
    """Uids a test adds to slapd; deleted afterwards so the session's seed stays as it was."""
    uids: list[str] = []
    yield uids
    for uid in uids:
        slapd.delete_user(uid)


def roles_and_agency(username: str) -> tuple[list[str], str | None]:
    user = user_row(username)
    assert user is not None, f"{username} was not provisioned"
    return sorted(r.code for r in user.roles), user.agency.code if user.agency else None


def count_users() -> int:
    from core.accounts.models import User
    from core.extensions import db

    return db.session.execute(select(func.count()).select_from(User)).scalar_one()


# --- first login, mapping, refresh ------------------------------------------------------------


SEED_PEOPLE = [
    ("zhangwei", "张伟", ["case_handler", "registration_clerk"], "XFJ"),
    ("lina", "李娜", ["leader"], "XFJ"),
    ("wangfang", "王芳", ["case_handler"], "CJJ"),
    ("liuyang", "刘洋", [], "CJJ"),
]


def test_first_login_through_the_form_provisions_roles_and_agency(
    ldap_app, slapd, directory_people
):
    # A login name in Chinese characters as well (uid is a UTF-8 directory string; mail is
    # ASCII-only, so this person has none).
    directory_people.append("王小明")
    with slapd.admin() as conn:
        conn.add(
            user_dn("王小明", "城建局"),
            ["inetOrgPerson"],
            {"uid": "王小明", "cn": "王小明", "sn": "王", "userPassword": ssha(DIR_PASSWORD)},
        )
    for uid, name, roles, agency in [*SEED_PEOPLE, ("王小明", "王小明", [], "CJJ")]:
        client = ldap_app.test_client()
        resp = login(client, uid, DIR_PASSWORD)

        assert resp.status_code == 302, uid
        assert name in text(client.get("/"))
        with ldap_app.app_context():
            user = user_row(uid)
            assert user.source == "ldap"
            assert user.display_name == name
            assert user.email == (f"{uid}@minsheng.test" if uid.isascii() else None)
            assert user.password_hash is None
            assert user.directory_dn.startswith(f"uid={uid},ou=")
            assert roles_and_agency(uid) == (roles, agency)
    with ldap_app.app_context():
        events = audit_actions("user.provision")
        assert [e.username for e in events] == [uid for uid, *_ in SEED_PEOPLE] + ["王小明"]


def test_login_name_is_case_insensitive_and_stored_as_the_directory_spells_it(ldap_app):
    for typed in ("ZhangWei", "zhangwei", " ZHANGWEI "):
        assert login(ldap_app.test_client(), typed, DIR_PASSWORD).status_code == 302
    with ldap_app.app_context():
        assert user_row("zhangwei") is not None
        assert user_row("ZhangWei") is None
        # Logins that change nothing write no provisioning event.
        assert len(audit_actions("user.provision")) == 1
        assert len(audit_actions("login.success")) == 3


def test_groups_changed_in_the_directory_change_roles_at_the_next_login(
    ldap_app, slapd, directory_people
):
    directory_people.append("zhaomin")
    slapd.add_user("zhaomin", "赵敏", "信访局", groups=["登记员"])
    first = ldap_app.test_client()
    assert login(first, "zhaomin", DIR_PASSWORD).status_code == 302
    with ldap_app.app_context():
        assert roles_and_agency("zhaomin") == (["registration_clerk"], "XFJ")

    slapd.set_groups("zhaomin", ["局领导", "承办人"])
    second = ldap_app.test_client()
    assert login(second, "zhaomin", DIR_PASSWORD).status_code == 302

    with ldap_app.app_context():
        assert roles_and_agency("zhaomin") == (["case_handler", "leader"], "XFJ")
    # Roles changed, so the session opened with the old roles is over.
    assert first.get("/").status_code == 302
    assert second.get("/").status_code == 200


def test_moving_a_person_to_another_ou_moves_them_to_that_agency(ldap_app, slapd, directory_people):
    directory_people.append("zhouqi")
    slapd.add_user("zhouqi", "周琦", "信访局", groups=["承办人"])
    assert login(ldap_app.test_client(), "zhouqi", DIR_PASSWORD).status_code == 302
    slapd.delete_user("zhouqi")
    slapd.add_user("zhouqi", "周琦", "城建局", groups=["承办人"])

    assert login(ldap_app.test_client(), "zhouqi", DIR_PASSWORD).status_code == 302

    with ldap_app.app_context():
        assert roles_and_agency("zhouqi") == (["case_handler"], "CJJ")
        assert user_row("zhouqi").directory_dn.startswith("uid=zhouqi,ou=城建局")


# --- refused logins ---------------------------------------------------------------------------


def test_wrong_or_empty_passwords_are_refused(ldap_app):
    from core.accounts.login import authenticate

    for username, password in [
        ("zhangwei", "wrong-password"),
        ("zhangwei", "secret-123"),
        ("zhangwei", DIR_PASSWORD + " "),
        ("lina", DIR_PASSWORD.replace("S", "s")),
        ("nosuchperson", DIR_PASSWORD),
    ]:
        client = ldap_app.test_client()
        resp = login(client, username, password)
        assert resp.status_code == 401, (username, password)
        assert BAD_CREDENTIALS in text(resp)
    for password in ["", "   "]:
        client = ldap_app.test_client()
        resp = login(client, "zhangwei", password)
        assert resp.status_code == 422
        assert "请输入密码" in text(resp)
        assert client.get("/").status_code == 302
    with ldap_app.app_context():
        # Below the form too: an unauthenticated bind must never count as a login.
        for password in ["", "   ", "\t"]:
            assert authenticate("zhangwei", password, "10.0.0.1").user is None
        assert user_row("zhangwei") is None
        assert audit_actions("login.failure")[0].detail["account"] == "zhangwei"


INJECTIONS = [
    "*",
    ")(uid=*",
    "*)(|(uid=*",
    "zhangwei)(uid=*",
    "zhang*",
    "zhangwei\x00",
    "zhangwei\x00)(uid=*",
    "\x00",
]


def test_injection_in_the_login_name_matches_nobody(ldap_app):
    with ldap_app.app_context():
        before = count_users()

    for username in INJECTIONS:
        client = ldap_app.test_client()
        resp = login(client, username, DIR_PASSWORD)
        assert resp.status_code == 401, repr(username)
        assert client.get("/").status_code == 302

    with ldap_app.app_context():
        assert count_users() == before  # nobody was provisioned


def test_unreachable_directory_shows_a_chinese_message_and_local_admin_still_logs_in(
    app, slapd, dead_ldap_url
):
    app.config["MINSHENG_LDAP"] = ldap_settings(slapd, url=dead_ldap_url)
    staff = app.test_client()

    resp = login(staff, "zhangwei", DIR_PASSWORD)

    assert resp.status_code == 401
    assert UNAVAILABLE_MESSAGE in text(resp)
    admin = app.test_client()
    assert login(admin, "admin").status_code == 302
    assert "管理员" in text(admin.get("/"))


def test_a_directory_error_is_a_message_not_a_crash(app, slapd):
    app.config["MINSHENG_LDAP"] = ldap_settings(slapd, user_base=f"ou=nowhere,{slapd.base_dn}")

    resp = login(app.test_client(), "zhangwei", DIR_PASSWORD)

    assert resp.status_code == 401
    assert "目录服务器查询出错" in text(resp)

    # Without any directory configured only local accounts exist.
    app.config["MINSHENG_LDAP"] = {}
    resp = login(app.test_client(), "zhangwei", DIR_PASSWORD)
    assert resp.status_code == 401
    assert BAD_CREDENTIALS in text(resp)


def test_a_local_account_is_never_taken_over_by_a_directory_namesake(
    ldap_app, slapd, directory_people
):
    # "clerk" is a local test account; the directory now has a "clerk" too.
    directory_people.append("clerk")
    slapd.add_user("clerk", "冒名者", "城建局", groups=["局领导"])

    resp = login(ldap_app.test_client(), "clerk", DIR_PASSWORD)
    assert resp.status_code == 401

    from core.accounts.provisioning import directory_client, sync_directory

    with ldap_app.app_context():
        report = sync_directory(directory_client())
        assert "clerk" in report.skipped
        clerk = user_row("clerk")
        assert clerk.source == "local"
        assert clerk.display_name == "登记员小张"
        assert roles_and_agency("clerk") == (["registration_clerk"], "XFJ")
    assert login(ldap_app.test_client(), "clerk").status_code == 302


def test_a_directory_user_deactivated_by_an_administrator_stays_deactivated(
    ldap_app, slapd, directory_people
):
    from core.accounts.provisioning import directory_client, sync_directory
    from core.accounts.services import set_active

    directory_people.append("qianfeng")
    slapd.add_user("qianfeng", "钱峰", "城建局", groups=["承办人"])
    assert login(ldap_app.test_client(), "qianfeng", DIR_PASSWORD).status_code == 302
    with ldap_app.app_context():
        set_active(user_row("qianfeng"), False)

    resp = login(ldap_app.test_client(), "qianfeng", DIR_PASSWORD)
    assert resp.status_code == 401
    assert "已停用" in text(resp)
    with ldap_app.app_context():
        report = sync_directory(directory_client())
        assert "qianfeng" not in report.updated
        assert user_row("qianfeng").active is False
    assert login(ldap_app.test_client(), "qianfeng", DIR_PASSWORD).status_code == 401


# --- the sync ---------------------------------------------------------------------------------


def test_sync_creates_updates_and_deprovisions(ldap_app, slapd, directory_people):
    from core.accounts.provisioning import directory_client, sync_directory

    directory_people.append("sunli")
    slapd.add_user("sunli", "孙丽", "城建局", groups=["承办人"])
    holder = ldap_app.test_client()
    assert login(holder, "sunli", DIR_PASSWORD).status_code == 302
    assert holder.get("/").status_code == 200

    slapd.delete_user("sunli")
    with ldap_app.app_context():
        report = sync_directory(directory_client())

        assert report.deactivated == ["sunli"]
        assert sorted(report.created) == ["lina", "liuyang", "wangfang", "zhangwei"]
        assert user_row("sunli").active is False
        assert roles_and_agency("lina") == (["leader"], "XFJ")
        [event] = audit_actions("ldap.sync")
        assert event.detail["deactivated"] == ["sunli"]

    # The open session ends and the person cannot log in again.
    assert holder.get("/").status_code == 302
    resp = login(ldap_app.test_client(), "sunli", DIR_PASSWORD)
    assert resp.status_code == 401

    # Back in the directory: the next login brings the account back.
    slapd.add_user("sunli", "孙丽", "城建局", groups=["登记员"])
    assert login(ldap_app.test_client(), "sunli", DIR_PASSWORD).status_code == 302
    with ldap_app.app_context():
        assert user_row("sunli").active is True
        assert roles_and_agency("sunli") == (["registration_clerk"], "CJJ")


def test_sync_is_idempotent(ldap_app):
    from core.accounts.provisioning import directory_client, sync_directory

    with ldap_app.app_context():
        first = sync_directory(directory_client())
        second = sync_directory(directory_client())
    assert len(first.created) == 4
    assert (second.created, second.updated, second.deactivated) == ([], {}, [])


def test_sync_refreshes_roles_of_people_who_do_not_log_in(ldap_app, slapd, directory_people):
    from core.accounts.provisioning import directory_client, sync_directory

    directory_people.append("wuhao")
    slapd.add_user("wuhao", "吴昊", "信访局", groups=["承办人"])
    assert login(ldap_app.test_client(), "wuhao", DIR_PASSWORD).status_code == 302
    slapd.set_groups("wuhao", [])

    with ldap_app.app_context():
        report = sync_directory(directory_client())
        assert "wuhao" in report.updated
        assert roles_and_agency("wuhao") == ([], "XFJ")


def test_cli_sync_dry_run_reports_and_changes_nothing(ldap_app, slapd, directory_people):
    directory_people.append("zhengyi")
    slapd.add_user("zhengyi", "郑义", "城建局", groups=["承办人"])
    assert login(ldap_app.test_client(), "zhengyi", DIR_PASSWORD).status_code == 302
    slapd.delete_user("zhengyi")
    slapd.set_groups("wangfang", ["承办人"])  # unchanged: wangfang is not provisioned yet
    with ldap_app.app_context():
        before = count_users()
        audits_before = len(audit_actions("ldap.sync"))

    result = ldap_app.test_cli_runner().invoke(args=["ldap", "sync", "--dry-run"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["dry_run"] is True
    assert report["deactivated"] == ["zhengyi"]
    assert sorted(report["created"]) == ["lina", "liuyang", "wangfang", "zhangwei"]
    with ldap_app.app_context():
        assert count_users() == before
        assert user_row("zhengyi").active is True
        assert user_row("zhangwei") is None
        assert len(audit_actions("ldap.sync")) == audits_before

    result = ldap_app.test_cli_runner().invoke(args=["ldap", "whois", "wangfang"])
    assert result.exit_code == 0, result.output
    assert "roles: ['case_handler']" in result.output
    assert "agency: CJJ" in result.output

    result = ldap_app.test_cli_runner().invoke(args=["ldap", "sync"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["deactivated"] == ["zhengyi"]
    with ldap_app.app_context():
        assert count_users() == before + 4
        assert user_row("zhengyi").active is False
    assert login(ldap_app.test_client(), "zhengyi", DIR_PASSWORD).status_code == 401


def test_cli_sync_with_the_directory_down_fails_cleanly(app, slapd, dead_ldap_url):
    app.config["MINSHENG_LDAP"] = ldap_settings(slapd, url=dead_ldap_url)

    for args in (["ldap", "sync"], ["ldap", "sync", "--dry-run"], ["ldap", "whois", "lina"]):
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 1, args
        assert UNAVAILABLE_MESSAGE in result.output


def test_sync_refuses_to_deactivate_everyone_when_the_directory_returns_nobody(ldap_app, slapd):
    from core.accounts.directory import DirectoryError
    from core.accounts.provisioning import directory_client, sync_directory

    assert login(ldap_app.test_client(), "lina", DIR_PASSWORD).status_code == 302
    # A filter that matches nobody (a typo in the configuration) must not empty the site.
    ldap_app.config["MINSHENG_LDAP"] = ldap_settings(
        slapd, all_users_filter="(objectClass=posixAccount)"
    )
    with ldap_app.app_context():
        with pytest.raises(DirectoryError):
            sync_directory(directory_client())
        assert user_row("lina").active is True


# --- the directory preview page ---------------------------------------------------------------


def test_directory_preview_shows_what_a_directory_user_would_get(ldap_app, as_user):
    admin = as_user("admin")

    resp = post_form(admin, "/admin/directory", {"username": "zhangwei"})

    page = text(resp)
    assert resp.status_code == 200
    assert "张伟" in page
    assert "登记员" in page and "承办人" in page
    assert "县信访局" in page
    with ldap_app.app_context():
        assert user_row("zhangwei") is None  # a preview creates nothing


def test_directory_preview_flags_unmapped_roles_and_agencies(app, slapd, as_user, directory_people):
    app.config["MINSHENG_LDAP"] = ldap_settings(
        slapd,
        group_role_map={"承办人": ["no_such_role"]},
        agency_map={f"ou=信访局,{slapd.people_dn}": "NOPE"},
    )
    resp = post_form(as_user("admin"), "/admin/directory", {"username": "zhangwei"})
    page = text(resp)
    assert "no_such_role" in page
    assert "NOPE" in page


def test_directory_preview_of_unknown_names(ldap_app, as_user):
    admin = as_user("admin")
    for username in ["nosuchperson", "*", ")(uid=*"]:
        resp = post_form(admin, "/admin/directory", {"username": username})
        assert "目录中没有该用户" in text(resp), username


def test_directory_preview_when_the_directory_is_down_or_missing(
    app, slapd, dead_ldap_url, as_user
):
    admin = as_user("admin")
    app.config["MINSHENG_LDAP"] = ldap_settings(slapd, url=dead_ldap_url)
    resp = post_form(admin, "/admin/directory", {"username": "zhangwei"})
    assert UNAVAILABLE_MESSAGE in text(resp)

    app.config["MINSHENG_LDAP"] = {}
    resp = post_form(admin, "/admin/directory", {"username": "zhangwei"})
    assert "未配置目录服务器" in text(resp)

    assert as_user("handler").get("/admin/directory").status_code == 403
