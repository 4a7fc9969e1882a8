"""Request hooks: CSRF (with the API-token exception), the uninstalled-module gate, headers."""

from __future__ import annotations

import importlib
import sys
import textwrap

import pytest
from flask import render_template_string
from sqlalchemy import select

from core.accounts.models import User
from core.accounts.session import issue_token
from core.audit import AuditEvent
from core.extensions import db
from core.registry.installer import install, uninstall
from tests.plugin import PASSWORD, SAMPLE_MODULES, csrf_token, make_app

CSRF_MESSAGE = "表单已过期或来源无效（CSRF 校验失败），请刷新页面后重试。"
NOT_FOUND_MESSAGE = "页面不存在，或所属模块未安装。"


def api_token(app, username: str = "admin") -> str:
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == username)).scalar_one()
        token = issue_token(user, "test")
        db.session.commit()
        return token


def install_now(app, *names: str) -> None:
    with app.app_context():
        install(list(names))


def uninstall_now(app, name: str) -> None:
    with app.app_context():
        uninstall(name)


# --- CSRF ----------------------------------------------------------------------------------


def test_login_post_without_token_is_refused_with_the_chinese_message(app, client):
    form = {"username": "admin", "password": PASSWORD}
    refused = client.post("/login", data=form)
    assert refused.status_code == 400
    assert CSRF_MESSAGE in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in
    with app.app_context():
        assert not db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "login.success")
        ).all()

    accepted = client.post("/login", data={**form, "csrf_token": csrf_token(client)})
    assert accepted.status_code == 302
    assert client.get("/").status_code == 200


def test_csrf_refusal_is_json_for_api_clients(client):
    resp = client.post("/login", data={}, headers={"Accept": "application/json"})
    assert resp.status_code == 400
    assert resp.get_json() == {"error": {"code": 400, "message": CSRF_MESSAGE}}


def test_logged_in_post_needs_the_token(as_user):
    client = as_user("admin")
    refused = client.post("/logout")
    assert refused.status_code == 400 and CSRF_MESSAGE in refused.get_data(as_text=True)
    assert client.get("/").status_code == 200  # still logged in
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/")}).status_code == 302
    assert client.get("/").status_code == 302


def test_bearer_token_needs_no_csrf_token_but_a_session_cookie_does(app, as_user):
    install_now(app, "notebook")
    token = api_token(app)
    bearer = {"Authorization": f"Bearer {token}"}

    api = app.test_client()
    resp = api.post("/notebook/touch", headers=bearer)
    assert resp.status_code == 200 and resp.get_json() == {"ok": True}
    # An HTML error page puts a CSRF token in the session; an API call must still get no
    # cookie back, or its next calls would need CSRF tokens and lose their bearer login.
    missing = api.post("/notebook/no-such-page", headers=bearer)
    assert missing.status_code == 404 and "Set-Cookie" not in missing.headers
    assert api.post("/notebook/touch", headers=bearer).status_code == 200
    assert api.get("/api/v1/notebook/notes", headers=bearer).status_code == 200

    # With the session cookie a browser would send, a forged form must still carry the token.
    browser = as_user("admin")
    assert browser.post("/notebook/touch", headers=bearer).status_code == 400
    token_field = {"csrf_token": csrf_token(browser, "/")}
    assert browser.post("/notebook/touch", data=token_field).status_code == 200


# --- routes of uninstalled modules ---------------------------------------------------------


def test_uninstalled_module_routes_are_404_and_its_menu_hidden(app, as_user):
    client = as_user("admin")
    bearer = {"Authorization": f"Bearer {api_token(app)}"}
    api = app.test_client()

    def visible() -> tuple[int, int, int, bool]:
        return (
            client.get("/notebook/").status_code,
            api.get("/api/v1/notebook/notes", headers=bearer).status_code,
            api.post("/notebook/touch", headers=bearer).status_code,
            'href="/notebook/"' in client.get("/").get_data(as_text=True),
        )

    assert visible() == (404, 404, 404, False)
    page = client.get("/notebook/")
    assert NOT_FOUND_MESSAGE in page.get_data(as_text=True)
    assert api.get("/api/v1/notebook/notes", headers=bearer).get_json()["error"]["code"] == 404

    install_now(app, "notebook")
    assert visible() == (200, 200, 200, True)

    uninstall_now(app, "notebook")
    assert visible() == (404, 404, 404, False)


@pytest.fixture
def nested_module(tmp_path, monkeypatch):
    """A module whose blueprint carries a child blueprint (endpoint ``<name>.child.*``)."""
    name = "nestedmod"
    pkg = tmp_path / "nested" / name
    pkg.mkdir(parents=True)
    files = {
        "__init__.py": "",
        "module.py": f"""
            from core.api import Manifest

            manifest = Manifest(
                name="{name}", title="嵌套蓝图", version="1.0.0", blueprint="{name}.bp:bp"
            )
        """,
        "bp.py": """
            from flask import Blueprint

            bp = Blueprint("nestedmod", __name__)
            child = Blueprint("child", __name__)


            @bp.route("/nestedmod/")
            def index():
                return "parent"


            @child.route("/nestedmod/child/")
            def page():
                return "child"


            bp.register_blueprint(child)
        """,
    }
    for rel, text in files.items():
        (pkg / rel).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    monkeypatch.syspath_prepend(str(pkg.parent))
    importlib.invalidate_caches()
    yield name
    for mod in [m for m in sys.modules if m.split(".")[0] == name]:
        del sys.modules[mod]


def test_child_blueprint_of_an_uninstalled_module_is_404_too(app, nested_module, tmp_path):
    other = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path / "var-nested",
        MINSHENG_EXTRA_MODULES=(*SAMPLE_MODULES, nested_module),
    )
    try:
        client = other.test_client()
        assert client.get("/nestedmod/").status_code == 404
        assert client.get("/nestedmod/child/").status_code == 404
        install_now(other, nested_module)
        assert client.get("/nestedmod/").get_data(as_text=True) == "parent"
        assert client.get("/nestedmod/child/").get_data(as_text=True) == "child"
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


# --- the rest ------------------------------------------------------------------------------


def test_security_headers(client):
    resp = client.get("/login")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp


def test_templates_render_outside_a_request(tmp_path):
    # Jobs and the CLI render templates too; the navigation must not assume a logged-in user.
    app = make_app(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path / "var")
    with app.app_context():
        assert render_template_string("{{ menu_groups|length }}") == "0"
