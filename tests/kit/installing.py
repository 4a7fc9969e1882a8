"""Installing, uninstalling and purging modules in tests; importing a module's code late."""

from __future__ import annotations

import importlib

from core.registry.installer import install, purge, uninstall
from tests.kit.users import Staff, add_users

__all__ = ["install", "install_module", "lazy_module", "purge", "uninstall"]


def install_module(app, name: str, users: Staff | None = None) -> None:
    """Install module ``name`` (and what it requires) on ``app``, then add ``users``.

    Pushes its own app context; inside one, call ``install([name])`` and ``add_users``.
    """
    with app.app_context():
        install([name])
        if users:
            add_users(users)


class _Lazy:
    """A module imported on first attribute access."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        if attr.startswith(("_", "pytest")):  # pytest probing module attributes at collection
            raise AttributeError(attr)
        return getattr(importlib.import_module(self._name), attr)


def lazy_module(name: str):
    """``name`` (e.g. ``"modules.x.services"``), imported when first used, not at collection."""
    return _Lazy(name)
