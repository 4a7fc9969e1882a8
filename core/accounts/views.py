"""Login, logout, language and the user's own page."""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

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


#: The trusted-browser cookie (``core.accounts.throttle``): set at a successful login, it keeps
#: strangers' failed guesses at the account from slowing its owner in this browser.
DEVICE_COOKIE = "minsheng_device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _device_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="minsheng-login-device")


def _trusted_device(username: str) -> str | None:
    """The id of this browser's device cookie if it was issued to ``username``, else None."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = _device_signer().loads(raw, max_age=DEVICE_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != (username or "").strip().lower():
        return None
    return str(data.get("d") or "") or None


def _issue_challenge() -> str:
    """A small sum to answer; the session keeps only a keyed hash of the answer."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    session["login_challenge"] = (nonce, _challenge_hash(nonce, str(a + b)))
    return gettext("%(a)s 加 %(b)s 等于几？（请填数字）", a=a, b=b)


def _challenge_hash(nonce: str, answer: str) -> str:
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else b""
    return hmac.new(key, f"{nonce}:{answer}".encode(), "sha256").hexdigest()


def _challenge_answered(typed: str | None) -> bool | None:
    """Whether the question in the session was answered right (``None``: none was asked)."""
    asked = session.pop("login_challenge", None)
    answer = unicodedata.normalize("NFKC", typed or "").strip()
    if not asked or not answer:
        return None
    return hmac.compare_digest(_challenge_hash(asked[0], answer), asked[1])


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show and handle the login form."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    error = None
    status = 200
    question = None
    if form.validate_on_submit():
        username = form.username.data
        device = _trusted_device(username)
        result = authenticate(
            username,
            form.password.data,
            request.remote_addr or "",
            device=device,
            answered=_challenge_answered(form.challenge.data),
        )
        if result.user is not None:
            # A fresh session at login (no fixation), keeping only the language choice.
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(result.user)
            response = redirect(_safe_next(request.args.get("next")))
            token = _device_signer().dumps(
                {"u": result.user.username.lower(), "d": device or secrets.token_hex(8)}
            )
            response.set_cookie(
                DEVICE_COOKIE,
                token,
                max_age=DEVICE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            )
            return response
        # The messages of core.accounts.login, listed in core/web/i18n_labels.py.
        error = gettext(result.message)
        status = 401
        if result.challenge:
            question = _issue_challenge()
    elif request.method == "POST":
        status = 422
    form.challenge.data = ""
    return render_template("core/login.html", form=form, error=error, question=question), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End the session."""
    audit.record("logout", current_user, summary=f"{current_user.display_name} 退出")
    db.session.commit()
    logout_user()
    session.clear()
    flash(gettext("您已安全退出。"), "info")
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
            flash(gettext("密码已修改；在其他地方登录的会话已退出。"), "success")
            return redirect(url_for("core.me"))
    return render_template("core/me.html", form=ConfirmForm(), password_form=password_form), 422
