"""Login, logout, language and the user's own page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from core import audit
from core.accounts.forms import ChangePasswordForm, ConfirmForm, LoginForm
from core.accounts.login import authenticate
from core.accounts.services import AccountError, change_password
from core.accounts.session import issue_token
from core.extensions import db
from core.web.blueprint import bp
from core.web.i18n import SUPPORTED


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: an open redirect would help phishing. Browsers read a
    # backslash as "/" and drop tabs and newlines, so those could still leave the site.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("core.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show and handle the login form."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        result = authenticate(form.username.data, form.password.data, request.remote_addr or "")
        if result.user is not None:
            # A fresh session at login (no fixation), keeping only the language choice.
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        error = result.message
        status = 401
    elif request.method == "POST":
        status = 422
    return render_template("core/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End the session."""
    audit.record("logout", current_user, summary=f"{current_user.display_name} 退出")
    db.session.commit()
    logout_user()
    session.clear()
    flash("您已安全退出。", "info")
    return redirect(url_for("core.login"))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the interface language."""
    if code in SUPPORTED:
        session["lang"] = code
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/me", methods=["GET", "POST"])
@login_required
def me():
    """The user's own page: last login, roles, agency, API tokens."""
    form = ConfirmForm()
    new_token = None
    if form.validate_on_submit() and "core.api.use" in current_user.permission_names():
        new_token = issue_token(current_user, request.form.get("name", "API")[:100] or "API")
        audit.record("api_token.issue", current_user, summary="生成 API 令牌")
        db.session.commit()
    return render_template(
        "core/me.html", form=form, new_token=new_token, password_form=ChangePasswordForm()
    )


@bp.route("/me/password", methods=["POST"])
@login_required
def change_my_password():
    """A local user changes their password; their other sessions end, this one goes on."""
    password_form = ChangePasswordForm()
    if password_form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(
                user, password_form.current_password.data, password_form.new_password.data
            )
        except AccountError as exc:
            db.session.rollback()
            getattr(password_form, exc.field or "new_password").errors = [str(exc)]
        else:
            login_user(user)  # the session id carries the new epoch
            flash("密码已修改；在其他地方登录的会话已退出。", "success")
            return redirect(url_for("core.me"))
    return render_template("core/me.html", form=ConfirmForm(), password_form=password_form), 422
