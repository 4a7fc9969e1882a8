"""Installing, upgrading and uninstalling modules (the Odoo way: a database state)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, text

from core import audit, signals
from core.accounts.models import Permission, Role, User
from core.db import utcnow
from core.extensions import db
from core.registry.manifest import ManifestError, resolve
from core.registry.migrations import downgrade_branch, upgrade_branch
from core.registry.models import ModuleState
from core.registry.registry import Registry, current_registry


class InstallError(Exception):
    """An install or uninstall was refused; the message is for the administrator."""


@dataclass
class PurgePreview:
    """What ``--purge`` would drop: each table with its row count."""

    module: str
    tables: dict[str, int]


def _state(name: str) -> ModuleState:
    state = db.session.get(ModuleState, name)
    if state is None:
        state = ModuleState(name=name, installed=False)
        db.session.add(state)
    return state


def sync_permissions(registry: Registry, name: str) -> None:
    """Create or relabel the module's declared permissions; drop those it no longer declares.

    Grants of kept permissions stay as administrators set them; a dropped permission leaves
    every role (its grant rows go with it), so nobody keeps a right the code no longer knows.
    """
    manifest = registry.get(name)
    existing = {
        p.name: p
        for p in db.session.execute(select(Permission).where(Permission.module == name)).scalars()
    }
    for perm, label in manifest.permissions.items():
        if perm in existing:
            existing[perm].label = label
        else:
            db.session.add(Permission(name=perm, module=name, label=label))
    for perm_name, perm in existing.items():
        if perm_name not in manifest.permissions:
            db.session.delete(perm)


def _grant(grants: dict[str, tuple[str, ...]], roles: list[Role]) -> None:
    """Give each role the permissions ``grants`` names for its code (known permissions only)."""
    wanted = {p for r in roles for p in grants.get(r.code, ())}
    if not wanted:
        return
    db.session.flush()
    perms = {
        p.name: p
        for p in db.session.execute(select(Permission).where(Permission.name.in_(wanted))).scalars()
    }
    for role in roles:
        for perm_name in grants.get(role.code, ()):
            perm = perms.get(perm_name)
            if perm is not None and perm not in role.permissions:
                role.permissions.append(perm)


def _grant_defaults(registry: Registry, name: str) -> None:
    grants = registry.get(name).default_grants
    if grants:
        roles = db.session.execute(select(Role).where(Role.code.in_(grants))).scalars().all()
        _grant(grants, list(roles))


def _create_roles(registry: Registry, name: str) -> None:
    """Create the module's roles that do not exist yet.

    Each gets the default grants every installed module declares for it (reception grants its
    hall board to the lawyers that legal_aid brings).
    """
    specs = registry.get(name).roles
    if not specs:
        return
    existing = set(db.session.execute(select(Role.code)).scalars())
    created = []
    for spec in specs:
        if spec.code not in existing:
            role = Role(code=spec.code, name=spec.name, description=spec.description)
            db.session.add(role)
            created.append(role)
    for other in {*registry.installed_names(), name}:
        if other in registry.manifests:
            _grant(registry.get(other).default_grants, created)


def _drop_roles(registry: Registry, name: str) -> None:
    """Drop the roles only this module declares; their holders' open sessions end."""
    kept = {
        spec.code
        for other, manifest in registry.manifests.items()
        if other != name and other in registry.installed_names()
        for spec in manifest.roles
    }
    codes = [spec.code for spec in registry.get(name).roles if spec.code not in kept]
    if not codes:
        return
    for role in db.session.execute(select(Role).where(Role.code.in_(codes))).scalars():
        holders = db.session.execute(select(User).where(User.roles.contains(role))).scalars()
        for user in holders:
            user.roles.remove(role)
            user.session_epoch += 1
        db.session.delete(role)


def _end_transaction_before_ddl() -> None:
    """Commit the session before Alembic runs DDL on a connection of its own.

    A transaction that has read holds a snapshot: on SQLite (WAL) it can no longer write once
    another connection has committed (``database is locked`` at the next flush), and on
    PostgreSQL the locks it holds can keep the DDL waiting. Every installer step commits its
    work anyway, so nothing is lost by committing here.
    """
    db.session.commit()


def _activate(registry: Registry, name: str) -> None:
    """Permissions, first-time seed and grants, state on, audit — in the caller's transaction."""
    manifest = registry.get(name)
    state = _state(name)
    sync_permissions(registry, name)
    if state.seeded_at is None:
        _create_roles(registry, name)
        if manifest.seed:
            resolve(manifest.seed)()
        _grant_defaults(registry, name)
        state.seeded_at = utcnow()
    state.installed = True
    state.version = manifest.version
    state.installed_at = utcnow()
    audit.record(
        "module.install",
        summary=f"安装模块 {manifest.title} ({name})",
        object_type="module",
        object_id=name,
        version=manifest.version,
    )


def install_core(*, registry: Registry | None = None) -> bool:
    """Create or upgrade core's tables; the first time also seed roles. Returns True then."""
    registry = registry or current_registry()
    _end_transaction_before_ddl()
    upgrade_branch(db.engine, registry.migration_locations(), "core")
    state = db.session.get(ModuleState, "core")
    if state is not None and state.seeded_at is not None:
        if state.version != registry.get("core").version:
            sync_permissions(registry, "core")
            state.version = registry.get("core").version
            db.session.commit()
        return False
    try:
        _activate(registry, "core")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return True


def install(names: list[str], *, registry: Registry | None = None) -> list[str]:
    """Install modules and what they require; return the names newly installed, in order.

    Each module: its Alembic branch to head, its permissions synced, its seed data loaded once
    (never again, so administrators' later edits survive), its state switched on, an audit
    event written and ``module_installed`` sent.
    """
    registry = registry or current_registry()
    plan: list[str] = []
    for name in names:
        for dep in [*registry.requirements(name), name]:
            if dep not in plan:
                plan.append(dep)
    installed_now = []
    already = registry.installed_names()
    for name in plan:
        if name in already:
            continue
        manifest = registry.get(name)
        if name == "core":
            continue
        # DDL first, in Alembic's own transaction; re-running it is a no-op, so a failure in
        # the steps below can simply be retried.
        if manifest.migrations_path is not None:
            _end_transaction_before_ddl()
            upgrade_branch(db.engine, registry.migration_locations(), name)
        try:
            _activate(registry, name)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        installed_now.append(name)
        signals.module_installed.send(current_app._get_current_object(), name=name)
    _forget_cache()
    return installed_now


def upgrade(name: str, *, registry: Registry | None = None) -> None:
    """Run the module's new revisions and resync its permissions (seed data is not reloaded)."""
    registry = registry or current_registry()
    if name not in registry.installed_names():
        raise InstallError(f"模块 {name} 尚未安装，不能升级。")
    manifest = registry.get(name)
    if manifest.migrations_path is not None:
        _end_transaction_before_ddl()
        upgrade_branch(db.engine, registry.migration_locations(), name)
    state = _state(name)
    old = state.version
    sync_permissions(registry, name)
    state.version = manifest.version
    audit.record(
        "module.upgrade",
        summary=f"升级模块 {name} {old} → {manifest.version}",
        object_type="module",
        object_id=name,
        old=old,
        new=manifest.version,
    )
    db.session.commit()


def installed_dependents(registry: Registry, name: str) -> list[str]:
    """Installed modules that require ``name``."""
    installed = registry.installed_names()
    return [d for d in registry.dependents(name) if d in installed]


def uninstall(name: str, *, registry: Registry | None = None) -> None:
    """Switch a module off, keeping its data; refused if an installed module requires it."""
    registry = registry or current_registry()
    if name == "core":
        raise InstallError("核心模块不能卸载。")
    registry.get(name)
    blockers = installed_dependents(registry, name)
    if blockers:
        raise InstallError(
            f"不能卸载 {name}：已安装的模块 {', '.join(blockers)} 依赖它，请先卸载这些模块。"
        )
    state = db.session.get(ModuleState, name)
    if state is None or not state.installed:
        raise InstallError(f"模块 {name} 未安装。")
    state.installed = False
    audit.record(
        "module.uninstall",
        summary=f"卸载模块 {name}（保留数据）",
        object_type="module",
        object_id=name,
    )
    db.session.commit()
    signals.module_uninstalled.send(current_app._get_current_object(), name=name)
    _forget_cache()


def purge_preview(name: str, *, registry: Registry | None = None) -> PurgePreview:
    """List the module's tables present in the database with their row counts."""
    registry = registry or current_registry()
    registry.get(name)
    present = set(inspect(db.engine).get_table_names())
    tables = {}
    for table_name in registry.tables.get(name, []):
        if table_name in present:
            table = db.metadata.tables[table_name]
            tables[table_name] = db.session.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
    return PurgePreview(name, tables)


def _json_default(value: object) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(type(value).__name__)


def purge(name: str, *, registry: Registry | None = None, backup_dir: Path | None = None) -> Path:
    """Back up the module's tables to a JSON file, then drop them. Returns the backup path.

    The module must be uninstalled first; nothing is dropped if the backup cannot be written.
    """
    registry = registry or current_registry()
    manifest = registry.get(name)
    state = db.session.get(ModuleState, name)
    if state is not None and state.installed:
        raise InstallError(f"请先卸载模块 {name}，再清除其数据。")
    preview = purge_preview(name, registry=registry)
    if state is None and not preview.tables:
        # Never installed, or purged already: no backup to write, no branch to downgrade.
        raise InstallError(f"模块 {name} 没有可清除的数据。")
    # Downgrading this branch also downgrades revisions that depend on it: a module that
    # requires this one would lose its tables without a backup of its own.
    keeping = [d for d in registry.dependents(name) if purge_preview(d, registry=registry).tables]
    if keeping:
        raise InstallError(
            f"不能清除 {name}：模块 {', '.join(keeping)} 依赖它且仍保留数据表，请先清除这些模块。"
        )
    backup_dir = backup_dir or Path(current_app.config["MINSHENG_VAR_DIR"]) / "backups"
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = backup_dir / f"{name}-{stamp}.json"
    dump = {"module": name, "version": manifest.version, "taken_at": stamp, "tables": {}}
    for table_name in preview.tables:
        table = db.metadata.tables[table_name]
        rows = db.session.execute(select(table)).mappings().all()
        dump["tables"][table_name] = [dict(r) for r in rows]
    tmp = path.with_suffix(".partial")
    tmp.write_text(
        json.dumps(dump, ensure_ascii=False, default=_json_default, indent=1), encoding="utf-8"
    )
    tmp.replace(path)
    _end_transaction_before_ddl()
    if manifest.migrations_path is not None:
        downgrade_branch(db.engine, registry.migration_locations(), name)
    db.session.execute(text("DELETE FROM core_module WHERE name = :n"), {"n": name})
    for perm in db.session.execute(select(Permission).where(Permission.module == name)).scalars():
        db.session.delete(perm)
    _drop_roles(registry, name)
    audit.record(
        "module.purge",
        summary=f"清除模块 {name} 的数据表，备份于 {path.name}",
        object_type="module",
        object_id=name,
        tables=preview.tables,
        backup=str(path),
    )
    db.session.commit()
    _forget_cache()
    return path


def _forget_cache() -> None:
    from flask import g

    g.pop("minsheng_installed", None)


__all__ = [
    "InstallError",
    "ManifestError",
    "PurgePreview",
    "install",
    "purge",
    "purge_preview",
    "uninstall",
    "upgrade",
]
