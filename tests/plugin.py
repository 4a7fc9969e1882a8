"""Shared pytest fixtures: real PostgreSQL and SQLite databases, apps, logged-in clients.

Every test that takes ``app`` runs twice, on SQLite and on PostgreSQL. Each test gets its own
database cloned from a prepared template (core installed, test agencies and users), so tests
commit for real and still cannot see each other's data.

Module tests take their helpers from the kit next to this plugin (``tests.kit``: installing
modules, users with a role, matters, audit and timeline records, forms); they import nothing else
of core but ``core.api`` (``tests/test_import_rules.py``).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.postgres_server import PostgresServer, start_postgres

# The kit's helpers assert (a CSRF token on the page, a role that exists): rewrite their asserts
# as pytest does the tests'. Must run before the kit is first imported (at collection).
pytest.register_assert_rewrite("tests.kit")

# The tests' "today" (date.today()) is Beijing's, like the application's (``clocks.today``):
# from 16:00 to 24:00 UTC the two dates differ, and a test comparing them would fail then.
os.environ["TZ"] = "Asia/Shanghai"
time.tzset()

SAMPLE_MODULES = ("tests.sample_modules.notebook", "tests.sample_modules.notebook_extra")
PASSWORD = "Test-Pass-123!"

# (code, name, level, parent)
AGENCIES = (
    ("ROOT", "城关县", "county", None),
    ("XFJ", "县信访局", "bureau", "ROOT"),
    ("CJJ", "县住建局", "department", "ROOT"),
    ("TOWN", "城关镇", "town", "ROOT"),
    ("COMM", "东街社区", "community", "TOWN"),
    ("OTHER", "邻县", "county", None),
)
# username → (display name, roles, agency)
USERS = {
    "admin": ("管理员", ("admin",), "XFJ"),
    "clerk": ("登记员小张", ("registration_clerk",), "XFJ"),
    "handler": ("住建承办人", ("case_handler",), "CJJ"),
    "town_handler": ("镇承办人", ("case_handler",), "TOWN"),
    "supervisor": ("督查员", ("supervisor",), "XFJ"),
    "auditor": ("审计员", ("auditor",), "XFJ"),
    "nobody": ("无角色用户", (), "XFJ"),
    "cjj_leader": ("住建局负责人", ("unit_leader",), "CJJ"),
    "leader": ("县领导", ("leader",), "ROOT"),
}


def make_app(url: str, var_dir: Path, **config):
    """Create an app on ``url`` with the sample modules present."""
    from core.app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "MINSHENG_VAR_DIR": str(var_dir),
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "MINSHENG_EXTRA_MODULES": SAMPLE_MODULES,
            **config,
        }
    )


def _prepare(app) -> None:
    from core.accounts.models import Role, User
    from core.accounts.passwords import hash_password
    from core.accounts.services import save_agency
    from core.extensions import db
    from core.registry.installer import install_core

    with app.app_context():
        install_core()
        ids: dict[str, int] = {}
        for code, name, level, parent in AGENCIES:
            ids[code] = save_agency(
                None, code=code, name=name, level=level, region_code=None, parent_id=ids.get(parent)
            ).id
        roles = {r.code: r for r in db.session.execute(select(Role)).scalars()}
        pw = hash_password(PASSWORD)
        for username, (name, role_codes, agency) in USERS.items():
            db.session.add(
                User(
                    username=username,
                    display_name=name,
                    password_hash=pw,
                    roles=[roles[c] for c in role_codes],
                    agency_id=ids[agency],
                )
            )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


class Databases:
    """Hands out fresh databases cloned from a per-backend template."""

    def __init__(self, root: Path, pg_getter):
        self.root = root
        self._pg_getter = pg_getter
        self._templates: dict[str, str] = {}
        self._counter = itertools.count()

    @property
    def pg(self) -> PostgresServer:
        return self._pg_getter()

    def _template(self, backend: str) -> str:
        if backend not in self._templates:
            if backend == "sqlite":
                url = f"sqlite:///{self.root / 'template.db'}"
            else:
                self.pg.execute("CREATE DATABASE minsheng_template")
                url = self.pg.url("minsheng_template")
            _prepare(make_app(url, self.root / "template-var"))
            self._templates[backend] = url
        return self._templates[backend]

    def new(self, backend: str, empty: bool = False) -> str:
        """URL of a new database: a copy of the template, or ``empty``."""
        n = next(self._counter)
        if backend == "sqlite":
            path = self.root / f"test-{n}.db"
            if not empty:
                shutil.copy(self.root / "template.db" if self._template(backend) else "", path)
            return f"sqlite:///{path}"
        name = f"minsheng_test_{n}"
        template = "" if empty else " TEMPLATE minsheng_template"
        if not empty:
            self._template(backend)
        self.pg.execute(f"CREATE DATABASE {name}{template}")
        return self.pg.url(name)

    def drop(self, url: str) -> None:
        """Remove a database made by ``new``."""
        if url.startswith("sqlite"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        else:
            self.pg.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """The session's database factory; PostgreSQL starts on first use."""
    holder: dict[str, PostgresServer] = {}

    def get_pg() -> PostgresServer:
        if "pg" not in holder:
            holder["pg"] = start_postgres()
        return holder["pg"]

    yield Databases(tmp_path_factory.mktemp("db"), get_pg)
    if "pg" in holder:
        holder["pg"].stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """The database backend of this run of the test."""
    return request.param


@pytest.fixture
def app(backend, databases, tmp_path):
    """An app on a fresh copy of the prepared database (no app context pushed)."""
    url = databases.new(backend)
    application = make_app(url, tmp_path / "var")
    yield application
    from core.extensions import db

    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture
def client(app):
    """A test client of ``app``."""
    return app.test_client()


TOKEN_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token(client, url: str = "/login") -> str:
    """Fetch ``url`` and return the CSRF token in its form."""
    html = client.get(url).get_data(as_text=True)
    m = TOKEN_RE.search(html)
    assert m, f"no CSRF token on {url}"
    return m.group(1) or m.group(2)


def login(client, username: str, password: str = PASSWORD):
    """Log ``client`` in through the real login form; returns the response."""
    token = csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


@pytest.fixture
def as_user(app):
    """``as_user(name)`` → a test client logged in as that test user."""

    def make(username: str):
        c = app.test_client()
        resp = login(c, username)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return c

    return make
