"""Pytest plugin: a throwaway OpenLDAP server (slapd) seeded with two agencies' staff.

Load it with ``-p tests.ldap_server`` or ``pytest_plugins = ["tests.ldap_server"]``. The
``slapd`` fixture is session-scoped: tests that change the directory through its helpers
must undo their changes (e.g. ``delete_user`` in a ``finally``).

The seed data:

* ``ou=people``: ``ou=信访局`` with 张伟 (``zhangwei``: 登记员, 承办人) and 李娜 (``lina``: 局领导);
  ``ou=城建局`` with 王芳 (``wangfang``: 承办人) and 刘洋 (``liuyang``: no group). Every user has
  ``mail``, ``departmentNumber`` (``xfj`` / ``cjj``) and the password ``Secret-123``.
* ``ou=groups``: the groups as ``groupOfNames`` (``member`` DNs); users carry matching
  ``memberOf`` values, maintained live by the memberof overlay.
* ``ou=posixgroups``: the same groups as ``posixGroup`` (``memberUid``).
* ``cn=reader,ou=services``: the read-only service account.

Fixtures: ``slapd`` (an ``LdapServer``), ``dead_ldap_url`` (nothing listens: connection
refused) and ``silent_ldap_url`` (accepts TCP connections, never answers: timeouts).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from ldap3 import BASE, MODIFY_ADD, MODIFY_DELETE, NONE, Connection, Server
from ldap3.core.exceptions import LDAPEntryAlreadyExistsResult, LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

BASE_DN = "dc=minsheng,dc=test"
ROOT_DN = f"cn=admin,{BASE_DN}"
ROOT_PASSWORD = "root-secret"
SERVICE_DN = f"cn=reader,ou=services,{BASE_DN}"
SERVICE_PASSWORD = "Reader-secret"
USER_PASSWORD = "Secret-123"
PEOPLE_DN = f"ou=people,{BASE_DN}"
GROUPS_DN = f"ou=groups,{BASE_DN}"
POSIX_GROUPS_DN = f"ou=posixgroups,{BASE_DN}"
# groupOfNames must have a member; this non-entry keeps emptied groups valid.
PLACEHOLDER_MEMBER = f"cn=nobody,{BASE_DN}"

GROUPS = {"登记员": 5001, "承办人": 5002, "局领导": 5003}
AGENCY_OUS = {"信访局": "xfj", "城建局": "cjj"}  # OU name -> departmentNumber
SEED_USERS = [
    # uid, cn, OU, groups
    ("zhangwei", "张伟", "信访局", ["登记员", "承办人"]),
    ("lina", "李娜", "信访局", ["局领导"]),
    ("wangfang", "王芳", "城建局", ["承办人"]),
    ("liuyang", "刘洋", "城建局", []),
]

SCHEMAS = ("core", "cosine", "inetorgperson", "nis")
SBIN_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
START_TIMEOUT = 10.0


def ssha(password: str) -> str:
    """Hash a password the way ``slappasswd`` does by default."""
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def user_dn(uid: str, ou: str) -> str:
    return f"uid={escape_rdn(uid)},ou={escape_rdn(ou)},{PEOPLE_DN}"


def group_dn(name: str) -> str:
    return f"cn={escape_rdn(name)},{GROUPS_DN}"


def posix_group_dn(name: str) -> str:
    return f"cn={escape_rdn(name)},{POSIX_GROUPS_DN}"


def _ldif_line(attr: str, value: str) -> str:
    # LDIF only allows plain ASCII values; anything else must be base64 ("attr:: ...").
    if value.isascii() and value.isprintable() and not value.startswith((" ", ":", "<")):
        return f"{attr}: {value}"
    return f"{attr}:: {base64.b64encode(value.encode()).decode()}"


def _ldif(entries: Iterable[list[tuple[str, str]]]) -> str:
    return "\n".join("\n".join(_ldif_line(a, v) for a, v in entry) + "\n" for entry in entries)


def _user_entry(uid: str, cn: str, ou: str, password: str) -> dict[str, object]:
    return {
        "objectClass": ["inetOrgPerson"],
        "uid": uid,
        "cn": cn,
        "sn": cn[0],
        "mail": f"{uid}@minsheng.test",
        "departmentNumber": AGENCY_OUS.get(ou, ou),
        "userPassword": ssha(password),
    }


def _seed_entries() -> Iterator[list[tuple[str, str]]]:
    def container(dn: str, object_class: str, attr: str, value: str) -> list[tuple[str, str]]:
        return [("dn", dn), ("objectClass", object_class), (attr, value)]

    yield [
        ("dn", BASE_DN),
        ("objectClass", "dcObject"),
        ("objectClass", "organization"),
        ("dc", "minsheng"),
        ("o", "民生测试"),
    ]
    for ou in ("people", "groups", "posixgroups", "services"):
        yield container(f"ou={ou},{BASE_DN}", "organizationalUnit", "ou", ou)
    yield [
        ("dn", SERVICE_DN),
        ("objectClass", "organizationalRole"),
        ("objectClass", "simpleSecurityObject"),
        ("cn", "reader"),
        ("userPassword", ssha(SERVICE_PASSWORD)),
    ]
    for ou in AGENCY_OUS:
        yield container(f"ou={ou},{PEOPLE_DN}", "organizationalUnit", "ou", ou)
    for uid, cn, ou, groups in SEED_USERS:
        entry = [("dn", user_dn(uid, ou))]
        for attr, value in _user_entry(uid, cn, ou, USER_PASSWORD).items():
            entry += [(attr, v) for v in (value if isinstance(value, list) else [value])]
        # slapadd bypasses the memberof overlay, so seed memberOf by hand.
        entry += [("memberOf", group_dn(g)) for g in groups]
        yield entry
    for name, gid in GROUPS.items():
        members = [user_dn(uid, ou) for uid, _, ou, groups in SEED_USERS if name in groups]
        uids = [uid for uid, _, _, groups in SEED_USERS if name in groups]
        yield [
            ("dn", group_dn(name)),
            ("objectClass", "groupOfNames"),
            ("cn", name),
            ("member", PLACEHOLDER_MEMBER),
            *[("member", m) for m in members],
        ]
        yield [
            ("dn", posix_group_dn(name)),
            ("objectClass", "posixGroup"),
            ("cn", name),
            ("gidNumber", str(gid)),
            *[("memberUid", u) for u in uids],
        ]


def _self_signed_cert(openssl: str, key: Path, cert: Path) -> None:
    """Make an EC key and a self-signed certificate for 127.0.0.1 (its own CA)."""
    made = subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            key,
            "-out",
            cert,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode:
        pytest.fail(f"openssl could not make a test certificate:\n{made.stderr}", pytrace=False)


def _slapd_conf(root: Path) -> str:
    includes = "\n".join(f"include /etc/ldap/schema/{s}.schema" for s in SCHEMAS)
    return f"""{includes}
pidfile {root}/slapd.pid
argsfile {root}/slapd.args
TLSCertificateFile {root}/cert.pem
TLSCertificateKeyFile {root}/key.pem
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof

database mdb
suffix "{BASE_DN}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {root}/db
index objectClass,uid,member,memberUid eq
overlay memberof

access to attrs=userPassword
    by anonymous auth
    by * none
access to *
    by dn.exact="{SERVICE_DN}" read
    by * none
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _require(binary: str) -> str:
    path = shutil.which(binary, path=SBIN_PATH)
    if path is None:
        pytest.fail(
            f"{binary} not found: install OpenLDAP (Debian: slapd ldap-utils, see "
            "/work/shared/STACK.md) to run the directory tests",
            pytrace=False,
        )
    return path


@dataclass
class LdapServer:
    """A running slapd plus helpers that change its directory as an administrator would.

    ``url`` offers StartTLS and ``ldaps_url`` implicit TLS, both with a certificate for
    127.0.0.1 that ``ca_file`` verifies; ``other_ca_file`` is an unrelated certificate, for
    "wrong CA" tests.
    """

    url: str
    ldaps_url: str
    ca_file: str
    other_ca_file: str
    base_dn: str = BASE_DN
    service_dn: str = SERVICE_DN
    service_password: str = SERVICE_PASSWORD
    root_dn: str = ROOT_DN
    root_password: str = ROOT_PASSWORD
    people_dn: str = PEOPLE_DN
    groups_dn: str = GROUPS_DN
    posix_groups_dn: str = POSIX_GROUPS_DN
    user_password: str = USER_PASSWORD

    @contextlib.contextmanager
    def admin(self) -> Iterator[Connection]:
        """Yield a connection bound as the rootdn, raising on any failed operation."""
        conn = Connection(
            Server(self.url, get_info=NONE),
            self.root_dn,
            self.root_password,
            raise_exceptions=True,
            receive_timeout=5,
        )
        conn.bind()
        try:
            yield conn
        finally:
            conn.unbind()

    def user_dns(self, uid: str) -> list[str]:
        """Return the DNs of every person entry with this uid."""
        with self.admin() as conn:
            conn.search(self.people_dn, f"(uid={escape_filter_chars(uid)})", attributes=[])
            return [entry["dn"] for entry in conn.response if entry["type"] == "searchResEntry"]

    def add_user(
        self, uid: str, cn: str, ou: str, password: str = USER_PASSWORD, groups: Iterable[str] = ()
    ) -> str:
        """Add a person under ``ou=<ou>,ou=people`` (creating the OU) and put it in groups."""
        dn = user_dn(uid, ou)
        with self.admin() as conn:
            ou_dn = dn.split(",", 1)[1]
            with contextlib.suppress(LDAPEntryAlreadyExistsResult):
                conn.add(ou_dn, "organizationalUnit", {"ou": ou})
            attrs = _user_entry(uid, cn, ou, password)
            conn.add(dn, attrs.pop("objectClass"), attrs)
            self._set_groups(conn, dn, uid, set(groups))
        return dn

    def set_groups(self, uid: str, groups: Iterable[str]) -> None:
        """Make the groups (by cn) of every entry with this uid exactly ``groups``."""
        dns = self.user_dns(uid)
        with self.admin() as conn:
            for dn in dns:
                self._set_groups(conn, dn, uid, set(groups))

    def delete_user(self, uid: str) -> None:
        """Remove every entry with this uid from all groups, then delete it."""
        dns = self.user_dns(uid)
        with self.admin() as conn:
            for dn in dns:
                self._set_groups(conn, dn, uid, set())
                conn.delete(dn)

    def _set_groups(self, conn: Connection, dn: str, uid: str, wanted: set[str]) -> None:
        unknown = wanted - GROUPS.keys()
        if unknown:
            raise ValueError(f"unknown groups: {sorted(unknown)}")
        for name in GROUPS:
            conn.search(group_dn(name), f"(member={escape_filter_chars(dn)})", BASE)
            is_member = bool(conn.response)
            if (name in wanted) == is_member:
                continue
            op = MODIFY_ADD if name in wanted else MODIFY_DELETE
            conn.modify(group_dn(name), {"member": [(op, [dn])]})
            conn.modify(posix_group_dn(name), {"memberUid": [(op, [uid])]})


def _wait_until_ready(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"slapd exited with {proc.returncode}:\n{log.read_text()}", pytrace=False)
        conn = Connection(
            Server(url, get_info=NONE, connect_timeout=1),
            SERVICE_DN,
            SERVICE_PASSWORD,
            receive_timeout=1,
        )
        try:
            if conn.bind():
                return
            last_error = RuntimeError(f"service bind refused: {conn.result}")
        except LDAPException as exc:  # not listening yet
            last_error = exc
        finally:
            if not conn.closed:
                conn.unbind()
            if conn.socket is not None:  # ldap3 leaves the socket of a failed connect() open
                conn.socket.close()
        time.sleep(0.02)
    pytest.fail(
        f"slapd did not answer within {START_TIMEOUT} s ({last_error}):\n{log.read_text()}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def slapd() -> Iterator[LdapServer]:
    """Start a seeded slapd on a free local port for the whole session."""
    slapd_bin, slapadd_bin, openssl = _require("slapd"), _require("slapadd"), _require("openssl")
    with tempfile.TemporaryDirectory(prefix="minsheng-slapd-") as tmp:
        root = Path(tmp)
        (root / "db").mkdir()
        _self_signed_cert(openssl, root / "key.pem", root / "cert.pem")
        _self_signed_cert(openssl, root / "other-key.pem", root / "other-cert.pem")
        conf = root / "slapd.conf"
        conf.write_text(_slapd_conf(root))
        ldif = root / "data.ldif"
        ldif.write_text(_ldif(_seed_entries()))
        loaded = subprocess.run(
            [slapadd_bin, "-q", "-f", conf, "-l", ldif], capture_output=True, text=True, check=False
        )
        if loaded.returncode:
            pytest.fail(f"slapadd failed:\n{loaded.stderr}", pytrace=False)

        url = f"ldap://127.0.0.1:{_free_port()}"
        ldaps_url = f"ldaps://127.0.0.1:{_free_port()}"
        log = root / "slapd.log"
        with log.open("wb") as log_file:
            proc = subprocess.Popen(
                [slapd_bin, "-d", "0", "-f", conf, "-h", f"{url}/ {ldaps_url}/"],
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_ready(proc, url, log)
            yield LdapServer(
                url=url,
                ldaps_url=ldaps_url,
                ca_file=str(root / "cert.pem"),
                other_ca_file=str(root / "other-cert.pem"),
            )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def dead_ldap_url() -> str:
    """Return an LDAP URL on a local port where nothing listens (connection refused)."""
    return f"ldap://127.0.0.1:{_free_port()}"


@pytest.fixture
def silent_ldap_url() -> Iterator[str]:
    """Yield an LDAP URL whose server accepts TCP connections but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)  # the kernel completes handshakes; nobody ever reads or replies
        yield f"ldap://127.0.0.1:{sock.getsockname()[1]}"
