"""The embedded default (SQLite, two workers) and the first minutes of an install.

Two writers at once wait for each other instead of failing with "database is locked"; commands
run before ``flask db upgrade`` say what to do instead of printing a traceback.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from core.accounts.models import LoginAttempt
from core.extensions import db
from tests.plugin import make_app


def test_sqlite_writers_that_read_first_wait_instead_of_failing(databases, tmp_path):
    # A transaction that read, then writes after another connection committed, was refused at
    # once by SQLite (its snapshot is stale; the busy timeout does not help): two logins at once
    # under scripts/run answered 500 "database is locked".
    url = databases.new("sqlite")
    app = make_app(url, tmp_path / "var")
    has_read = threading.Event()
    errors: list[BaseException] = []

    def reader_then_writer() -> None:
        try:
            # A request that changes something (as a login is), holding its transaction.
            with app.test_request_context("/login", method="POST"):
                db.session.execute(select(func.count()).select_from(LoginAttempt)).scalar_one()
                has_read.set()
                threading.Event().wait(0.3)  # the other writer commits meanwhile
                db.session.add(LoginAttempt(username="a", address="1", success=False))
                db.session.commit()
        except BaseException as exc:
            errors.append(exc)
            has_read.set()

    def writer() -> None:
        try:
            has_read.wait(5)
            with app.test_request_context("/login", method="POST"):
                db.session.add(LoginAttempt(username="b", address="2", success=False))
                db.session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=reader_then_writer), threading.Thread(target=writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    try:
        assert errors == []
        with app.app_context():
            names = set(db.session.execute(select(LoginAttempt.username)).scalars())
        assert names == {"a", "b"}
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)


NOT_INITIALISED = "数据库尚未初始化：请先运行 flask db upgrade（创建核心数据表），再运行此命令。"


@pytest.mark.parametrize(
    "args",
    [
        ["modules", "list"],
        ["modules", "install", "reception"],
        ["users", "unthrottle", "admin"],
        ["demo", "load"],
        ["scheduler", "jobs"],
    ],
)
def test_commands_before_db_upgrade_say_what_to_do(databases, backend, tmp_path, args):
    url = databases.new(backend, empty=True)
    app = make_app(url, tmp_path / "var")
    try:
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 1
        assert result.output.strip() == f"Error: {NOT_INITIALISED}"
        assert "Traceback" not in result.output
        # flask db upgrade itself works, and then the command does too.
        assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
        if args == ["modules", "list"]:
            done = app.test_cli_runner().invoke(args=args)
            assert done.exit_code == 0, done.output
            assert "core" in done.output
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)
