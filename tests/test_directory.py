"""DirectoryClient against a real slapd started by tests/ldap_server.py."""

from __future__ import annotations

import gc
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import ldap3
import pytest

from core.accounts import directory
from core.accounts.directory import (
    UNAVAILABLE_MESSAGE,
    DirectoryClient,
    DirectoryConfig,
    DirectoryError,
    DirectoryUnavailable,
)
from tests.ldap_server import LdapServer

PASSWORD = "Secret-123"
ROLE_MAP = {"登记员": ["registration_clerk"], "承办人": ["case_handler"], "局领导": ["leader"]}


def make_config(slapd: LdapServer, **overrides: object) -> DirectoryConfig:
    values: dict[str, object] = {
        "url": slapd.url,
        "bind_dn": slapd.service_dn,
        "bind_password": slapd.service_password,
        "user_base": slapd.people_dn,
        "group_base": slapd.groups_dn,
        "group_role_map": ROLE_MAP,
        # Spelled differently from the DNs slapd returns: keys are matched normalised.
        "agency_map": {
            f"ou=信访局,{slapd.people_dn}": "XFJ",
            "OU=城建局, OU=People, DC=minsheng, DC=test": "CJJ",
        },
        "timeout": 2,
    }
    values.update(overrides)
    return DirectoryConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def client(slapd: LdapServer) -> DirectoryClient:
    return DirectoryClient(make_config(slapd))


@dataclass
class LdapCalls:
    connections: list[ldap3.Connection] = field(default_factory=list)
    binds: list[tuple[str | None, bool]] = field(default_factory=list)  # (user, encrypted)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> LdapCalls:
    """Record every ldap3 Connection the directory module creates and every bind it makes."""
    seen = LdapCalls()
    real = directory.Connection

    def spy(*args: object, **kwargs: object) -> ldap3.Connection:
        conn = real(*args, **kwargs)
        real_bind = conn.bind

        def bind(*bind_args: object, **bind_kwargs: object) -> bool:
            seen.binds.append((conn.user, bool(conn.tls_started or conn.server.ssl)))
            return real_bind(*bind_args, **bind_kwargs)

        conn.bind = bind
        seen.connections.append(conn)
        return conn

    monkeypatch.setattr(directory, "Connection", spy)
    return seen


@pytest.fixture
def temp_users(slapd: LdapServer) -> Iterator[list[str]]:
    """Collect uids a test adds; they are deleted afterwards so the session seed stays intact."""
    uids: list[str] = []
    yield uids
    for uid in uids:
        slapd.delete_user(uid)


# --- logins -----------------------------------------------------------------------------------


def test_login_returns_chinese_name_groups_roles_and_agency(client, slapd):
    user = client.authenticate("zhangwei", PASSWORD)

    assert user is not None
    assert user.username == "zhangwei"
    assert user.dn == f"uid=zhangwei,ou=信访局,{slapd.people_dn}"
    assert user.display_name == "张伟"
    assert user.email == "zhangwei@minsheng.test"
    assert user.groups == sorted(["登记员", "承办人"])
    assert user.roles == ["case_handler", "registration_clerk"]
    assert user.agency_key == f"ou=信访局,{slapd.people_dn}"
    assert user.agency_code == "XFJ"


@pytest.mark.parametrize(
    ("login", "name", "groups", "roles", "agency"),
    [
        ("lina", "李娜", ["局领导"], ["leader"], "XFJ"),
        ("wangfang", "王芳", ["承办人"], ["case_handler"], "CJJ"),
        ("liuyang", "刘洋", [], [], "CJJ"),
    ],
)
def test_each_seed_user_maps_to_its_roles_and_agency(client, login, name, groups, roles, agency):
    user = client.authenticate(login, PASSWORD)

    assert user is not None
    assert (user.display_name, user.groups, user.roles, user.agency_code) == (
        name,
        groups,
        roles,
        agency,
    )


def test_login_name_is_matched_like_ldap_and_returned_as_the_directory_spells_it(client):
    user = client.authenticate("  ZhangWei ", PASSWORD)

    assert user is not None
    assert user.username == "zhangwei"


@pytest.mark.parametrize("password", ["wrong", "secret-123", "Secret-1234", "Secret-12"])
def test_wrong_password_is_refused_by_the_user_bind(client, calls, slapd, password):
    assert client.authenticate("zhangwei", password) is None
    # The refusal came from binding as the user, not from an earlier shortcut.
    assert [user for user, _ in calls.binds] == [
        slapd.service_dn,
        f"uid=zhangwei,ou=信访局,{slapd.people_dn}",
    ]


def test_password_with_characters_saslprep_forbids_is_refused_not_an_error(client):
    assert client.authenticate("zhangwei", PASSWORD + "\x07") is None


def test_another_users_password_does_not_work(client, slapd, temp_users):
    slapd.add_user("zhaolei", "赵磊", "信访局", "Other-456")
    temp_users.append("zhaolei")

    assert client.authenticate("zhaolei", PASSWORD) is None
    assert client.authenticate("zhangwei", "Other-456") is None
    assert client.authenticate("zhaolei", "Other-456").display_name == "赵磊"


@pytest.mark.parametrize("password", ["", " ", "\t\n"])
def test_empty_password_is_refused_without_contacting_the_directory(client, calls, password):
    # An empty password would be an "unauthenticated bind", which some servers accept.
    assert client.authenticate("zhangwei", password) is None
    assert calls.connections == []


@pytest.mark.parametrize(
    "login", ["", "   ", "zhang\x00wei", "zhangwei\n", "zhang\x7fwei", "a" * 129]
)
def test_impossible_login_names_are_refused_without_contacting_the_directory(client, calls, login):
    assert client.authenticate(login, PASSWORD) is None
    assert client.lookup(login) is None
    assert calls.connections == []


def test_a_128_character_login_name_is_still_looked_up(client, calls, slapd):
    assert client.authenticate("a" * 128, PASSWORD) is None
    assert calls.binds == [(slapd.service_dn, False)]  # the search ran and found nobody


@pytest.mark.parametrize(
    "login",
    [
        "*",
        "zhang*",  # unescaped, this would match exactly zhangwei and log in
        "*wei",
        ")(uid=*",
        "zhangwei)(|(uid=*",
        "*)(objectClass=*",
        "zhangwei)(uid=lina",
        "zhangwei\\",
    ],
)
def test_filter_injection_finds_nobody(client, login):
    assert client.authenticate(login, PASSWORD) is None
    assert client.lookup(login) is None


def test_filter_metacharacters_in_a_real_login_name_match_literally(client, slapd, temp_users):
    slapd.add_user("star*(x)", "星号", "信访局")
    temp_users.append("star*(x)")

    user = client.authenticate("star*(x)", PASSWORD)

    assert user is not None
    assert user.username == "star*(x)"
    assert client.authenticate("star*", PASSWORD) is None


def test_login_name_present_in_two_entries_is_refused(client, slapd, temp_users):
    slapd.add_user("dupe", "甲", "信访局")
    slapd.add_user("dupe", "乙", "城建局")
    temp_users.append("dupe")

    assert client.authenticate("dupe", PASSWORD) is None
    assert client.lookup("dupe") is None


def test_unknown_user_is_refused(client):
    assert client.authenticate("nobody", PASSWORD) is None


def test_url_with_a_trailing_slash_works(slapd):
    client = DirectoryClient(make_config(slapd, url=slapd.url + "/"))

    assert client.authenticate("lina", PASSWORD).display_name == "李娜"


# --- lookup and sync --------------------------------------------------------------------------


def test_lookup_maps_the_user_without_binding_as_them(client, calls, slapd):
    user = client.lookup("lina")

    assert user is not None
    assert (user.display_name, user.roles, user.agency_code) == ("李娜", ["leader"], "XFJ")
    assert [user for user, _ in calls.binds] == [slapd.service_dn]
    assert client.lookup("nobody") is None


def test_all_users_pages_through_everyone(client):
    client.page_size = 1  # one entry per page, so every page boundary is crossed

    users = client.all_users()

    assert [u.username for u in users] == ["lina", "liuyang", "wangfang", "zhangwei"]
    by_name = {u.username: u for u in users}
    assert by_name["zhangwei"].roles == ["case_handler", "registration_clerk"]
    assert by_name["wangfang"].agency_code == "CJJ"
    assert by_name["liuyang"].groups == []


def test_all_users_follows_directory_changes(client, slapd, temp_users):
    slapd.add_user("zhaolei", "赵磊", "城建局", groups=["承办人"])
    temp_users.append("zhaolei")
    added = {u.username: u for u in client.all_users()}["zhaolei"]
    assert (added.display_name, added.roles, added.agency_code) == ("赵磊", ["case_handler"], "CJJ")

    slapd.set_groups("zhaolei", ["局领导"])
    assert client.lookup("zhaolei").roles == ["leader"]

    slapd.delete_user("zhaolei")
    assert "zhaolei" not in {u.username for u in client.all_users()}
    assert client.lookup("zhaolei") is None
    assert client.authenticate("zhaolei", PASSWORD) is None


def test_agency_unknown_to_the_map_gives_no_code(client, slapd, temp_users):
    slapd.add_user("zhoujie", "周杰", "新区办")
    temp_users.append("zhoujie")

    user = client.lookup("zhoujie")

    assert user.agency_key == f"ou=新区办,{slapd.people_dn}"
    assert user.agency_code is None


def test_agency_can_come_from_an_attribute(slapd):
    client = DirectoryClient(
        make_config(slapd, agency_attribute="departmentNumber", agency_map={"xfj": "XFJ"})
    )

    zhang, wang = client.lookup("zhangwei"), client.lookup("wangfang")

    assert (zhang.agency_key, zhang.agency_code) == ("xfj", "XFJ")
    assert (wang.agency_key, wang.agency_code) == ("cjj", None)


# --- group modes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "base"),
    [("member", "groups_dn"), ("memberUid", "posix_groups_dn"), ("memberOf", "groups_dn")],
)
def test_group_modes_agree_and_follow_changes(slapd, temp_users, mode, base):
    client = DirectoryClient(make_config(slapd, group_mode=mode, group_base=getattr(slapd, base)))

    assert client.authenticate("zhangwei", PASSWORD).groups == sorted(["登记员", "承办人"])
    assert client.lookup("liuyang").groups == []

    slapd.add_user("sunli", "孙丽", "城建局", groups=["登记员", "局领导"])
    temp_users.append("sunli")
    assert client.lookup("sunli").roles == ["leader", "registration_clerk"]

    slapd.set_groups("sunli", ["承办人"])
    assert client.lookup("sunli").groups == ["承办人"]


def test_member_mode_only_counts_group_of_names(slapd):
    # posixGroups under the same base name the user by uid only; member mode must ignore them.
    client = DirectoryClient(make_config(slapd, group_base=slapd.base_dn))

    assert client.lookup("wangfang").groups == ["承办人"]


# --- failures ---------------------------------------------------------------------------------


def test_unreachable_directory_raises_unavailable_with_chinese_message(slapd, dead_ldap_url):
    client = DirectoryClient(make_config(slapd, url=dead_ldap_url))

    for call in (
        lambda: client.authenticate("zhangwei", PASSWORD),
        lambda: client.lookup("zhangwei"),
        client.all_users,
    ):
        with pytest.raises(DirectoryUnavailable) as raised:
            call()
        assert str(raised.value) == UNAVAILABLE_MESSAGE
        assert "目录服务器暂时无法连接" in str(raised.value)


def test_silent_server_times_out_instead_of_hanging(slapd, silent_ldap_url):
    client = DirectoryClient(make_config(slapd, url=silent_ldap_url, timeout=1))

    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable):
        client.authenticate("zhangwei", PASSWORD)
    elapsed = time.monotonic() - started

    assert 0.9 < elapsed < 2.5


def test_wrong_service_password_raises_unavailable(slapd):
    client = DirectoryClient(make_config(slapd, bind_password="not-the-password"))

    with pytest.raises(DirectoryUnavailable):
        client.authenticate("zhangwei", PASSWORD)


# ldap3 2.9.1 checks the host name with ssl.match_hostname, deprecated since Python 3.7.
tls_hostname_check = pytest.mark.filterwarnings(
    "ignore:ssl.match_hostname\\(\\) is deprecated:DeprecationWarning"
)


@tls_hostname_check
@pytest.mark.parametrize(("url", "start_tls"), [("url", True), ("ldaps_url", False)])
def test_tls_with_the_right_ca_works(slapd, calls, url, start_tls):
    client = DirectoryClient(
        make_config(slapd, url=getattr(slapd, url), start_tls=start_tls, ca_file=slapd.ca_file)
    )

    assert client.authenticate("zhangwei", PASSWORD).display_name == "张伟"
    assert calls.binds == [
        (slapd.service_dn, True),
        (f"uid=zhangwei,ou=信访局,{slapd.people_dn}", True),
    ]


@pytest.mark.parametrize(("url", "start_tls"), [("url", True), ("ldaps_url", False)])
def test_tls_with_the_wrong_ca_never_sends_a_password(slapd, calls, url, start_tls):
    client = DirectoryClient(
        make_config(
            slapd, url=getattr(slapd, url), start_tls=start_tls, ca_file=slapd.other_ca_file
        )
    )

    with pytest.raises(DirectoryUnavailable):
        client.authenticate("zhangwei", PASSWORD)
    assert len(calls.connections) == 1  # the service connection only...
    assert calls.binds == []  # ...and it never sent its password


@tls_hostname_check
@pytest.mark.parametrize(("url", "start_tls"), [("url", True), ("ldaps_url", False)])
def test_tls_certificate_for_another_host_is_refused(slapd, calls, url, start_tls):
    # The certificate names 127.0.0.1; "127.1" reaches the same address under another name.
    url = getattr(slapd, url).replace("127.0.0.1", "127.1")
    client = DirectoryClient(
        make_config(slapd, url=url, start_tls=start_tls, ca_file=slapd.ca_file)
    )

    with warnings.catch_warnings():
        # ldap3 drops the TLS socket of a failed host name check without closing it.
        warnings.simplefilter("ignore", ResourceWarning)
        with pytest.raises(DirectoryUnavailable):
            client.authenticate("zhangwei", PASSWORD)
        gc.collect()
    assert calls.binds == []


def test_ldaps_to_a_plain_port_raises_unavailable(slapd):
    client = DirectoryClient(make_config(slapd, url=slapd.url.replace("ldap://", "ldaps://")))

    with pytest.raises(DirectoryUnavailable):
        client.lookup("zhangwei")


def test_wrong_user_base_is_a_directory_error_not_unavailable(slapd):
    client = DirectoryClient(make_config(slapd, user_base=f"ou=nowhere,{slapd.base_dn}"))

    with pytest.raises(DirectoryError) as raised:
        client.lookup("zhangwei")
    assert not isinstance(raised.value, DirectoryUnavailable)


# --- configuration ----------------------------------------------------------------------------


def test_config_from_toml_table(slapd):
    config = DirectoryConfig.from_mapping(
        {
            "URL": slapd.url,
            "bind_dn": slapd.service_dn,
            "bind_password": slapd.service_password,
            "user_base": slapd.people_dn,
            "group_base": slapd.groups_dn,
            "group_mode": "memberUid",
            "sync_hour": 2,  # belongs to the scheduler, not the client
            "group_role_map": {"局领导": "leader", "承办人": ["case_handler", "viewer"]},
            "agency_map": {f"ou=信访局,{slapd.people_dn}": "XFJ"},
        }
    )

    assert config.url == slapd.url
    assert config.group_mode == "memberUid"
    assert config.group_role_map == {"局领导": ["leader"], "承办人": ["case_handler", "viewer"]}
    assert (config.start_tls, config.ca_file, config.timeout) == (False, None, 3)
    assert config.user_filter == "(&(objectClass=inetOrgPerson)(uid={username}))"


@pytest.mark.parametrize(
    "bad",
    [
        {"group_mode": "uniqueMember"},
        {"user_filter": "(uid=%s)"},
        {"url": "http://127.0.0.1:389"},
        {"url": "ldaps://127.0.0.1:636", "start_tls": True},
    ],
)
def test_config_rejects_mistakes(slapd, bad):
    with pytest.raises(ValueError):
        make_config(slapd, **bad)
