"""Browser tests: the app served on a real port and driven in Debian's Chromium (Playwright).

``live_app`` serves a fresh copy of the prepared database (SQLite: the browser tests check the
pages, the database behaviour is covered on both backends elsewhere) in a background thread;
``page`` is a Playwright page on it. Never downloads a browser: it uses /usr/bin/chromium.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from tests.plugin import PASSWORD, make_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@dataclass
class LiveApp:
    """A running app: its Flask object and base URL."""

    app: object
    url: str


@pytest.fixture
def live_app(databases, tmp_path) -> Iterator[LiveApp]:
    """The app with the sample modules, on a fresh SQLite copy, served on a free port."""
    url = databases.new("sqlite")
    app = make_app(url, tmp_path / "var")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveApp(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        from core.extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_app):
    """A fresh browser context and page; fails the test on any page error or console error."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.set_default_timeout(10_000)
    pg.base = live_app.url
    yield pg
    context.close()
    assert not problems, problems


def log_in(pg, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form."""
    pg.goto(pg.base + "/login")
    pg.fill("#username", username)
    pg.fill("#password", password)
    pg.click("button.primary")
    pg.wait_for_url(pg.base + "/")


def log_out(pg) -> None:
    """Log out through the header button."""
    pg.click("form[action='/logout'] button")
    pg.wait_for_url("**/login")
