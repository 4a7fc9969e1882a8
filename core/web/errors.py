"""Friendly error pages (HTML) and JSON errors for the API; never a stack trace to users."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from core.accounts.services import StaleEdit
from core.errors import ActionRefused
from core.extensions import db
from core.web.http import OUT_OF_RANGE

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


def wants_json() -> bool:
    """Whether the client should get JSON (API paths and JSON-accepting clients)."""
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def error_response(code: int, message: str | None = None):
    """Render an error as JSON or as the friendly page."""
    message = message or MESSAGES.get(code, "请求无法完成。")
    if wants_json():
        return jsonify(error={"code": code, "message": message}), code
    return render_template("core/error.html", code=code, message=message), code


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
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(InternalServerError.code)
