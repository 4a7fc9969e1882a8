"""The registry: the modules present in this process and which of them are installed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, current_app, g, has_app_context
from sqlalchemy import select

from core.extensions import db
from core.registry.discovery import dependency_order, discover, load, refusal_reason
from core.registry.manifest import Manifest, ManifestError, MenuItem, Panel, resolve
from core.registry.models import ModuleState

log = logging.getLogger(__name__)


@dataclass
class Registry:
    """Modules whose code is present, in dependency order, with their blueprints and tables.

    Presence is a fact of the code; installation is a fact of the database, read per request
    (``installed_names``) so every worker sees an install or uninstall without a restart.
    """

    manifests: dict[str, Manifest] = field(default_factory=dict)
    blueprints: dict[str, Blueprint] = field(default_factory=dict)
    tables: dict[str, list[str]] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, core_manifest: Manifest, extra_packages: tuple[str, ...] = ()) -> Registry:
        """Discover, order and load every module present; refuse (and log) broken ones."""
        reg = cls()
        found, reg.refused = discover(extra_packages)
        candidates = [m for m in found if m.name != "core"]
        while True:
            try:
                ordered = dependency_order(candidates)
                break
            except ManifestError as exc:
                # Drop the modules at fault and retry, so one broken add-on does not take
                # the whole site down.
                culprits = [m for m in candidates if m.name in exc.modules]
                if not culprits:
                    raise
                for m in culprits:
                    reg.refused[m.name] = refusal_reason(m.name, exc)
                candidates = [m for m in candidates if m not in culprits]
        reg.manifests["core"] = core_manifest
        for manifest in ordered:
            refused_reqs = [r for r in manifest.requires if r in reg.refused]
            if refused_reqs:
                reg.refused[manifest.name] = (
                    f"module {manifest.name!r} requires {', '.join(refused_reqs)}, "
                    "which was refused"
                )
                continue
            try:
                blueprint, tables = load(manifest, reg.migration_locations())
            except Exception as exc:  # a bug in one module's code must not stop the site
                reg.refused[manifest.name] = refusal_reason(manifest.name, exc)
                continue
            reg.manifests[manifest.name] = manifest
            reg.tables[manifest.name] = tables
            if blueprint is not None:
                reg.blueprints[manifest.name] = blueprint
        for name, tables in reg.tables.items():
            longer = [o for o in reg.tables if o != name and o.startswith(f"{name}_")]
            reg.tables[name] = [t for t in tables if not any(t.startswith(f"{o}_") for o in longer)]
        return reg

    def migration_locations(self) -> list[Path]:
        """Every present module's migrations folder."""
        return [
            m.migrations_path
            for m in self.manifests.values()
            if m.name != "core" and m.migrations_path is not None
        ]

    def get(self, name: str) -> Manifest:
        """The manifest of a present module, or ``ManifestError`` naming what is present."""
        try:
            return self.manifests[name]
        except KeyError:
            present = ", ".join(sorted(self.manifests))
            raise ManifestError(
                f"no module named {name!r} is present (present: {present})"
            ) from None

    def dependents(self, name: str) -> list[str]:
        """Present modules that require ``name`` directly or indirectly."""
        out: list[str] = []
        for m in self.manifests.values():
            if m.name != name and name in self.requirements(m.name):
                out.append(m.name)
        return out

    def requirements(self, name: str) -> list[str]:
        """Everything ``name`` requires, transitively, in install order (excluding itself)."""
        seen: list[str] = []

        def walk(n: str) -> None:
            for req in self.get(n).requires:
                if req != "core" and req not in seen:
                    walk(req)
                    seen.append(req)

        walk(name)
        return seen

    def installed_names(self) -> frozenset[str]:
        """Names of installed modules (core always), read once per request."""
        if has_app_context() and "minsheng_installed" in g:
            return g.minsheng_installed
        rows = db.session.execute(
            select(ModuleState.name).where(ModuleState.installed.is_(True))
        ).scalars()
        names = frozenset({"core", *rows}) & frozenset(self.manifests)
        if has_app_context():
            g.minsheng_installed = names
        return names

    def menu(self, permissions: frozenset[str]) -> list[tuple[Manifest, list[MenuItem]]]:
        """Menu items of installed modules that the given permissions allow, grouped."""
        groups = []
        installed = self.installed_names()
        for name, manifest in self.manifests.items():
            if name not in installed:
                continue
            items = [
                i
                for i in sorted(manifest.menu, key=lambda i: i.order)
                if i.permission is None or i.permission in permissions
            ]
            if items:
                groups.append((manifest, items))
        return groups

    def panels(self, slot: str, permissions: frozenset[str]) -> list[Panel]:
        """Panels of installed modules for ``slot`` that the given permissions allow, in order."""
        installed = self.installed_names()
        found = [
            panel
            for name, manifest in self.manifests.items()
            if name in installed
            for panel in manifest.panels
            if panel.slot == slot and (panel.permission is None or panel.permission in permissions)
        ]
        return sorted(found, key=lambda p: p.order)

    def record_grants(self, user) -> set[int]:
        """Agency ids installed modules let ``user`` see beyond their own (``record_grants``)."""
        installed = self.installed_names()
        ids: set[int] = set()
        for name, manifest in self.manifests.items():
            if manifest.record_grants and name in installed:
                ids.update(resolve(manifest.record_grants)(user))
        return ids

    def provided(self, hook: str) -> list:
        """The functions installed modules provide for ``hook`` (``Manifest.provides``)."""
        installed = self.installed_names()
        return [
            resolve(manifest.provides[hook])
            for name, manifest in self.manifests.items()
            if name in installed and hook in manifest.provides
        ]


def provided(hook: str) -> list:
    """The functions the installed modules provide for ``hook``, in dependency order."""
    return current_registry().provided(hook)


def current_registry() -> Registry:
    """The registry of the current app."""
    return current_app.extensions["minsheng.registry"]
