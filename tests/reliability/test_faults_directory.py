"""slapd stopped while people work, then started again.

A slapd of this test's own (the session's is shared, so it must not be stopped) with the seed
directory; a directory user logs in, then the server is stopped. What must hold: the person's
open session goes on (pages need no directory); a new login gets the Chinese "directory
unavailable" message, never "wrong password"; the outage is not counted as failed logins (no
question, no wait afterwards); the local administrator logs in; once slapd is back on the same
port, the person logs in again. Single-fault details (a directory that never listened, a silent
one, timing) are in ``test_login_throttle.py`` and ``tests/test_accounts_ldap.py``. The fault is
the directory's: SQLite only.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.accounts.directory import UNAVAILABLE_MESSAGE, forget_outages
from core.accounts.login import BAD_CREDENTIALS
from core.accounts.models import LoginAttempt
from core.extensions import db
from tests.accounts_support import ldap_settings, text
from tests.ldap_server import (
    USER_PASSWORD,
    LdapServer,
    _free_port,
    _ldif,
    _require,
    _seed_entries,
    _self_signed_cert,
    _slapd_conf,
    _wait_until_ready,
)
from tests.plugin import login

RETRY_AFTER = 0.5  # seconds logins skip the directory after it failed to answer


@pytest.fixture
def backend() -> str:
    return "sqlite"


class Slapd:
    """A slapd that can be stopped and started again on the same files and port."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.binary = _require("slapd")
        (root / "db").mkdir()
        _self_signed_cert(_require("openssl"), root / "key.pem", root / "cert.pem")
        conf = root / "slapd.conf"
        conf.write_text(_slapd_conf(root))
        (root / "data.ldif").write_text(_ldif(_seed_entries()))
        subprocess.run(
            [_require("slapadd"), "-q", "-f", conf, "-l", root / "data.ldif"],
            check=True,
            capture_output=True,
        )
        self.url = f"ldap://127.0.0.1:{_free_port()}"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        log = self.root / "slapd.log"
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [self.binary, "-d", "0", "-f", self.root / "slapd.conf", "-h", f"{self.url}/"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait_until_ready(self.process, self.url, log)

    def stop(self, *, kill: bool = False) -> None:
        if kill:  # cleaning up: no need to wait for a graceful shutdown
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def server(self) -> LdapServer:
        cert = str(self.root / "cert.pem")
        return LdapServer(url=self.url, ldaps_url="", ca_file=cert, other_ca_file=cert)


@pytest.fixture
def own_slapd() -> Iterator[Slapd]:
    with tempfile.TemporaryDirectory(prefix="minsheng-fault-slapd-") as tmp:
        server = Slapd(Path(tmp))
        try:
            yield server
        finally:
            server.stop(kill=True)


@pytest.fixture
def fresh_outages():
    forget_outages()
    yield
    forget_outages()


def failures(app) -> int:
    with app.app_context():
        return db.session.execute(
            select(func.count()).where(LoginAttempt.success.is_(False))
        ).scalar_one()


def test_slapd_stopped_and_started_again(app, own_slapd, fresh_outages):
    app.config["MINSHENG_LDAP"] = ldap_settings(own_slapd.server(), retry_after=RETRY_AFTER)
    staff = app.test_client()
    assert login(staff, "zhangwei", USER_PASSWORD).status_code == 302

    own_slapd.stop()

    assert staff.get("/cases/queue").status_code == 200  # the open session goes on
    for _ in range(4):  # past the throttle's question (3 failures) had they been counted
        resp = login(app.test_client(), "zhangwei", USER_PASSWORD)
        assert resp.status_code == 401
        assert UNAVAILABLE_MESSAGE in text(resp)
        assert BAD_CREDENTIALS not in text(resp)
    assert failures(app) == 0
    admin = app.test_client()
    assert login(admin, "admin").status_code == 302
    assert admin.get("/cases/queue").status_code == 200

    own_slapd.start()
    time.sleep(RETRY_AFTER)  # the worker tries the directory again after this

    # Logged in at once: had the outage counted, a question would be asked first.
    resp = login(app.test_client(), "zhangwei", USER_PASSWORD)
    assert resp.status_code == 302, text(resp)[:300]
    assert failures(app) == 0
