"""The application factory: a short list of named steps."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from config import load_settings


def create_app(config: dict[str, Any] | None = None, *, env: dict[str, str] | None = None) -> Flask:
    """Build the Minsheng app. No database work happens here (see ``flask db``/``modules``).

    ``config`` overrides Flask settings (tests); ``env`` replaces ``os.environ`` for settings.
    """
    app = Flask(
        __name__, static_folder="static", static_url_path="/static", template_folder="templates"
    )
    _configure(app, config, env)
    _init_extensions(app)
    _build_registry(app)
    _register_blueprints(app)
    _install_request_hooks(app)
    _install_error_pages(app)
    _install_template_helpers(app)
    _install_cli(app)
    _trust_proxies(app)
    return app


def warm_up(app: Flask) -> None:
    """Do once what each worker would otherwise do in its first requests.

    gunicorn calls this after loading the app (config/gunicorn.conf.py). Touches no database.
    """
    from core.cases.clocks import calendar
    from core.cases.clocks.clocks import today
    from core.pdf import warm_up as warm_up_documents

    with app.app_context():
        warm_up_documents()
        calendar.warm_up(today())


def _configure(app: Flask, config: dict[str, Any] | None, env: dict[str, str] | None) -> None:
    overrides = dict(config or {})
    settings_overrides = {}
    if "SQLALCHEMY_DATABASE_URI" in overrides:
        settings_overrides["database_url"] = overrides["SQLALCHEMY_DATABASE_URI"]
    if "MINSHENG_VAR_DIR" in overrides:
        from pathlib import Path

        settings_overrides["var_dir"] = Path(overrides["MINSHENG_VAR_DIR"])
    settings = load_settings(env, **settings_overrides)
    app.config.update(settings.flask_config())
    app.config.update(
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in core.web.security, which knows API tokens
        BABEL_TRANSLATION_DIRECTORIES="translations",
        MINSHENG_EXTRA_MODULES=(),
    )
    app.config.update(overrides)
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("core").setLevel(logging.INFO)


def _init_extensions(app: Flask) -> None:
    from core.db import ping_idle_connections
    from core.extensions import babel, csrf, db, login_manager
    from core.web.i18n import select_locale

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_idle_connections(engine)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "core.login"
    login_manager.login_message = "请先登录。"
    login_manager.session_protection = "strong"
    # Importing binds the user loader and the record-rule hook.
    import core.accounts.record_rules
    import core.accounts.session
    import core.cases.search.index  # keeps the search index in step
    import core.models  # noqa: F401  (every core table in the metadata, the job runs' too)


def _build_registry(app: Flask) -> None:
    from core.manifest import manifest as core_manifest
    from core.registry.registry import Registry

    registry = Registry.build(core_manifest, tuple(app.config["MINSHENG_EXTRA_MODULES"]))
    app.extensions["minsheng.registry"] = registry
    # Each module brings its own catalog (modules/<name>/translations); Flask-Babel merges
    # them after core's, in the order given.
    app.extensions["babel"].translation_directories.extend(
        str(m.path / "translations")
        for m in registry.manifests.values()
        if m.name != "core" and m.path is not None and (m.path / "translations").is_dir()
    )


def _register_blueprints(app: Flask) -> None:
    from core.web.http import install_bounds
    from core.web.routes import bp as core_bp

    install_bounds(app)  # the bounded ``int`` converter must be in place before any route

    app.register_blueprint(core_bp)
    for blueprint in app.extensions["minsheng.registry"].blueprints.values():
        app.register_blueprint(blueprint)


def _install_request_hooks(app: Flask) -> None:
    from core.web.security import install

    install(app)


def _install_error_pages(app: Flask) -> None:
    from core.web.errors import install

    install(app)


def _install_template_helpers(app: Flask) -> None:
    from core.web.templating import install

    install(app)


def _trust_proxies(app: Flask) -> None:
    hops = int(app.config.get("MINSHENG_PROXY_HOPS") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _install_cli(app: Flask) -> None:
    from core.cli import install

    install(app)
