"""Settings, read from the environment (and an optional TOML file) with embedded defaults.

Environment variables (all optional):

- ``MINSHENG_VAR_DIR``: where the embedded database, attachments, backups and the generated
  secret key live (default ``./var`` under the project).
- ``MINSHENG_DATABASE_URL``: SQLAlchemy URL; default SQLite at ``$MINSHENG_VAR_DIR/minsheng.db``.
  Production: ``postgresql+psycopg://user:pass@host/minsheng``.
- ``MINSHENG_SECRET_KEY``: signs sessions; default a random key generated once into the var dir.
- ``MINSHENG_SECURE_COOKIES``: ``1`` behind HTTPS (sets the Secure flag on cookies).
- ``MINSHENG_PROXY_HOPS``: number of reverse proxies in front of the app (default 0); their
  ``X-Forwarded-For`` is then trusted, so login throttling and the audit log see the client's
  address instead of the proxy's.
- ``MINSHENG_CONFIG``: a TOML file for structured settings (the ``[ldap]`` table, see
  ``config/minsheng.example.toml``).

Deadline conventions (REGULATION.md §1.9; each also in the TOML ``[deadlines]`` table, the
environment wins):

- ``MINSHENG_PERIOD_ROLL_OVER`` (``roll_over``): ``rest_day`` (default, 民法典第203条: a
  calendar-day period ending on any rest day ends on the next working day), ``holiday``
  (statutory holidays only) or ``none``.
- ``MINSHENG_RECEIVED_ON_REST_DAY`` (``received_on_rest_day``): ``1`` counts a matter received
  on a rest day as received on the next working day (local practice; default ``0``).
- ``MINSHENG_CLOCK_<KIND>`` (``[deadlines.clocks.<kind>]`` with ``days``, ``unit``,
  ``enabled``): a clock's length and unit, e.g. ``MINSHENG_CLOCK_OUTCOME_NOTICE="5 working"``,
  or ``off`` / ``on`` for the optional clocks (``proposal_feedback``, ``outcome_notice``).
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Settings:
    """Everything the application factory needs, already resolved."""

    var_dir: Path
    database_url: str
    secret_key: str
    secure_cookies: bool = False
    proxy_hops: int = 0
    ldap: dict[str, Any] = field(default_factory=dict)
    deadlines: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def flask_config(self) -> dict[str, Any]:
        """Return the Flask config mapping for these settings."""
        # Liveness of pooled connections: core.db.ping_idle_connections (not on every checkout).
        engine_options: dict[str, Any] = {}
        if self.database_url.startswith("sqlite"):
            # One writer at a time: wait for the lock instead of failing at once.
            engine_options = {"connect_args": {"timeout": 30}}
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "MINSHENG_VAR_DIR": str(self.var_dir),
            "MINSHENG_LDAP": self.ldap,
            "MINSHENG_PROXY_HOPS": self.proxy_hops,
            "MINSHENG_PERIOD_ROLL_OVER": self.deadlines.get("roll_over", "rest_day"),
            "MINSHENG_RECEIVED_ON_REST_DAY": self.deadlines.get("received_on_rest_day", False),
            "MINSHENG_CLOCKS": self.deadlines.get("clocks", {}),
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "SESSION_COOKIE_NAME": "minsheng_session",
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SECURE": self.secure_cookies,
            "PERMANENT_SESSION_LIFETIME": 8 * 3600,
            "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
            "WTF_CSRF_TIME_LIMIT": 8 * 3600,
            "BABEL_DEFAULT_LOCALE": "zh_CN",
            "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
            **self.extra,
        }


def _secret_key(var_dir: Path) -> str:
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Created 0600 so other local users cannot forge sessions.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


ROLL_OVER_CHOICES = ("rest_day", "holiday", "none")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be 1 or 0, got {value!r}")


def _clock_setting(text: str, name: str) -> dict[str, Any]:
    """``"30"``, ``"5 working"``, ``"30 calendar"``, ``"off"`` or ``"on"`` as a clock table."""
    words = text.replace(",", " ").split()
    if len(words) == 1 and words[0].lower() in _TRUE - {"1"} | _FALSE - {"0", ""}:
        return {"enabled": words[0].lower() in _TRUE}
    try:
        days = int(words[0])
    except (IndexError, ValueError):
        raise ValueError(f"{name} must be like '30', '5 working' or 'off', got {text!r}") from None
    clock: dict[str, Any] = {"days": days, "enabled": True}
    if len(words) > 1:
        clock["unit"] = words[1].lower()
    return clock


def deadline_settings(env: dict[str, str], file_conf: dict[str, Any]) -> dict[str, Any]:
    """The ``[deadlines]`` table, overlaid by the ``MINSHENG_*`` deadline variables, checked."""
    table = dict(file_conf.get("deadlines", {}))
    roll_over = env.get("MINSHENG_PERIOD_ROLL_OVER") or table.get("roll_over", "rest_day")
    if roll_over not in ROLL_OVER_CHOICES:
        raise ValueError(f"MINSHENG_PERIOD_ROLL_OVER must be one of {ROLL_OVER_CHOICES}")
    received = env.get("MINSHENG_RECEIVED_ON_REST_DAY")
    if received is None:
        received = table.get("received_on_rest_day", False)
    clocks = {kind: dict(spec) for kind, spec in table.get("clocks", {}).items()}
    for key, value in env.items():
        if key.startswith("MINSHENG_CLOCK_") and value.strip():
            kind = key.removeprefix("MINSHENG_CLOCK_").lower()
            clocks[kind] = {**clocks.get(kind, {}), **_clock_setting(value, key)}
    for kind, spec in clocks.items():
        days = spec.get("days")
        if days is not None and (not isinstance(days, int) or days < 1):
            raise ValueError(f"deadline clock {kind}: days must be a positive whole number")
        if spec.get("unit", "calendar") not in ("calendar", "working"):
            raise ValueError(f"deadline clock {kind}: unit must be 'calendar' or 'working'")
        if "enabled" in spec:
            spec["enabled"] = _flag(spec["enabled"], f"deadline clock {kind} enabled")
    return {
        "roll_over": roll_over,
        "received_on_rest_day": _flag(received, "MINSHENG_RECEIVED_ON_REST_DAY"),
        "clocks": clocks,
    }


def load_settings(env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Resolve settings from ``env`` (default ``os.environ``), then apply ``overrides``."""
    env = dict(os.environ if env is None else env)
    var_dir = Path(env.get("MINSHENG_VAR_DIR") or PROJECT_ROOT / "var").resolve()
    file_conf: dict[str, Any] = {}
    if env.get("MINSHENG_CONFIG"):
        file_conf = tomllib.loads(Path(env["MINSHENG_CONFIG"]).read_text(encoding="utf-8"))
    database_url = env.get("MINSHENG_DATABASE_URL") or f"sqlite:///{var_dir / 'minsheng.db'}"
    values: dict[str, Any] = {
        "var_dir": var_dir,
        "database_url": database_url,
        "secret_key": env.get("MINSHENG_SECRET_KEY") or "",
        "secure_cookies": env.get("MINSHENG_SECURE_COOKIES", "0") in {"1", "true", "yes"},
        "ldap": file_conf.get("ldap", {}),
        "deadlines": deadline_settings(env, file_conf),
        "proxy_hops": int(env.get("MINSHENG_PROXY_HOPS") or 0),
    }
    values.update(overrides)
    if not values["secret_key"]:
        values["secret_key"] = _secret_key(Path(values["var_dir"]))
    return Settings(**values)
