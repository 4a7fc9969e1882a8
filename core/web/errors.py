"""Friendly error pages (HTML) and JSON errors for the API; never a stack trace to users."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from core.accounts.services import StaleEdit
from core.errors import ActionRefused
from core.extensions import db, login_manager
from core.web.http import OUT_OF_RANGE
from core.web.i18n import N_

log = logging.getLogger(__name__)

MESSAGES = {
    400: "请求无效。",
    401: "请先登录。",
    403: "您没有执行此操作的权限。",
    404: "页面不存在，或所属模块未安装。",
    405: "不支持此操作方式。",
    409: "数据已被他人修改，请刷新后重试。",
    413: "上传的文件过大。",
    414: "请求地址过长，请缩短查询条件。",
    429: "操作过于频繁，请稍后再试。",
    500: "系统出现错误，已记录，请稍后再试或联系管理员。",
}

#: The database server cannot be reached (restarting, network, pool exhausted): 503, not 500.
#: An action whose commit was cut off may or may not have been saved, so the user is asked to
#: look before sending it again.
DATABASE_UNAVAILABLE = N_(
    "数据库暂时无法访问，请稍后重试。如刚提交过内容，请先刷新页面核对是否已保存。"
)
#: Seconds a client is asked to wait before trying again (``Retry-After``).
RETRY_AFTER = 5


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached now, not that a statement is wrong.

    A server database's ``OperationalError`` is about the connection or the server (refused,
    closed, shutting down, too many connections); any error that invalidated its connection is
    a lost connection; the pool's timeout means every connection is busy. SQLite's
    ``OperationalError`` also covers mistakes ("no such table"): only its busy answer counts.
    """
    if isinstance(exc, (DisconnectionError, PoolTimeout)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    if type(exc.orig).__module__.startswith("sqlite3"):
        return "locked" in str(exc.orig) or "busy" in str(exc.orig)
    return True


def wants_json() -> bool:
    """Whether the client should get JSON (API paths and JSON-accepting clients)."""
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def error_response(code: int, message: str | None = None):
    """Render an error as JSON or as the friendly page."""
    message = message or MESSAGES.get(code, "请求无法完成。")
    if wants_json():
        return jsonify(error={"code": code, "message": message}), code
    return render_template("core/error.html", code=code, message=message), code


def unavailable_response():
    """503 with ``DATABASE_UNAVAILABLE``, rendered without touching the database.

    The page layout shows the user and their menu, both read from the database: the page is
    rendered as for a visitor, and if even that fails, as bare HTML.
    """
    if not wants_json():
        g._login_user = login_manager.anonymous_user()  # flask-login's per-request user
        g.setdefault("minsheng_installed", frozenset({"core"}))
    try:
        response = make_response(error_response(503, DATABASE_UNAVAILABLE))
    except Exception:
        log.debug("the error page needs the database too", exc_info=True)
        text = escape(gettext(DATABASE_UNAVAILABLE))
        response = make_response(
            f'<!doctype html><meta charset="utf-8"><title>503</title><h1>503</h1><p>{text}</p>',
            503,
        )
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def install(app: Flask) -> None:
    """Register the handlers on ``app``."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, "表单已过期或来源无效（CSRF 校验失败），请刷新页面后重试。")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code and exc.code >= 500:
            db.session.rollback()
        message = exc.description if getattr(exc, "minsheng_message", False) else None
        if exc.code == 404 and message is None and g.get("minsheng_out_of_range"):
            message = OUT_OF_RANGE  # a URL's number past any id (core.web.http)
        return error_response(exc.code or 500, message)

    @app.errorhandler(ActionRefused)
    @app.errorhandler(StaleEdit)
    def refused(exc: ActionRefused | StaleEdit):
        # A refusal no view turned into a form message (e.g. the attachments disk full while a
        # step issues its document): the action is rolled back and the user told why.
        db.session.rollback()
        return error_response(409 if isinstance(exc, StaleEdit) else 422, str(exc))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        try:
            db.session.rollback()
        except Exception:  # the connection is gone: the pool replaces it at the next checkout
            log.debug("rollback after an error failed", exc_info=True)
        if database_unavailable(exc):
            log.error("database unavailable on %s %s: %s", request.method, request.path, exc)
            return unavailable_response()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(InternalServerError.code)
