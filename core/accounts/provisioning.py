"""Directory (LDAP) users becoming and staying local accounts: at login and in the sync."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select

from core import audit, signals
from core.accounts.directory import (
    DirectoryClient,
    DirectoryConfig,
    DirectoryError,
    DirectoryUser,
)
from core.accounts.models import Agency, Role, User
from core.extensions import db

CREATED = "新建"


def directory_client() -> DirectoryClient | None:
    """A client for the configured directory, or ``None`` when no ``[ldap]`` is configured."""
    conf = current_app.config.get("MINSHENG_LDAP") or {}
    if not conf.get("url"):
        return None
    return DirectoryClient(DirectoryConfig.from_mapping(conf))


@dataclass
class Assignment:
    """The roles and agency a directory user maps to, with what did not map."""

    roles: list[Role]
    agency: Agency | None
    unknown_roles: list[str] = field(default_factory=list)
    unknown_agency: str | None = None


def assignment_for(entry: DirectoryUser) -> Assignment:
    """Resolve a directory user's mapped role codes and agency code to rows."""
    roles = (
        list(db.session.execute(select(Role).where(Role.code.in_(entry.roles))).scalars())
        if entry.roles
        else []
    )
    unknown = sorted(set(entry.roles) - {r.code for r in roles})
    agency = None
    if entry.agency_code:
        agency = db.session.execute(
            select(Agency).where(Agency.code == entry.agency_code)
        ).scalar_one_or_none()
    return Assignment(
        roles=sorted(roles, key=lambda r: r.code),
        agency=agency,
        unknown_roles=unknown,
        unknown_agency=entry.agency_code if entry.agency_code and not agency else None,
    )


def find_account(username: str) -> User | None:
    """The account called ``username``: its exact spelling first, else matched without case.

    Login names are compared without case everywhere (as LDAP does), so ``ZhangWei`` and
    ``zhangwei`` are one person.
    """
    candidates = list(
        db.session.execute(
            select(User).where(func.lower(User.username) == username.lower()).order_by(User.id)
        ).scalars()
    )
    for user in candidates:
        if user.username == username:
            return user
    return candidates[0] if candidates else None


def apply_entry(entry: DirectoryUser, *, dry_run: bool = False) -> tuple[User | None, list[str]]:
    """Create or refresh the local account of a directory user; return it and what changed.

    A local account of the same name is left alone (the change list says so). An account the
    sync deprovisioned (its directory entry had gone: ``directory_dn`` is empty) comes back to
    life; one an administrator deactivated stays deactivated, whatever the directory says.
    """
    user = find_account(entry.username)
    if user is not None and user.source != "ldap":
        # A local account of the same name wins: never let the directory take it over.
        return user, [f"本地账户 {user.username} 与目录用户同名，未同步"]
    target = assignment_for(entry)
    target_agency_id = target.agency.id if target.agency else None
    changes: list[str] = []
    if user is None:
        changes.append(CREATED)
        if dry_run:
            return None, changes
        user = User(username=entry.username, display_name=entry.display_name, source="ldap")
        db.session.add(user)
    new_role_codes = sorted(r.code for r in target.roles)
    old_role_codes = sorted(r.code for r in user.roles)
    if user.display_name != entry.display_name:
        changes.append(f"姓名 {user.display_name} → {entry.display_name}")
    if old_role_codes != new_role_codes:
        changes.append(
            f"角色 {','.join(old_role_codes) or '无'} → {','.join(new_role_codes) or '无'}"
        )
    if user.agency_id != target_agency_id:
        changes.append(f"机构 → {target.agency.name if target.agency else '无'}")
    if user.email != entry.email:
        changes.append(f"邮箱 → {entry.email or '无'}")
    reactivate = not user.active and user.directory_dn is None
    if reactivate:
        changes.append("重新启用")
    elif user.directory_dn is not None and user.directory_dn != entry.dn:
        changes.append(f"目录位置 → {entry.dn}")
    if dry_run or not changes:
        return user, changes
    if old_role_codes != new_role_codes or user.agency_id != target_agency_id:
        # Sessions opened with the old rights end (the epoch is part of the session id).
        user.session_epoch = (user.session_epoch or 0) + 1
    user.display_name = entry.display_name
    user.email = entry.email
    user.directory_dn = entry.dn
    user.password_hash = None  # a directory user never has a local password
    if reactivate:
        user.active = True
    user.roles = target.roles
    user.agency = target.agency
    return user, changes


def provision_at_login(entry: DirectoryUser) -> User:
    """Create the user at first login, or refresh roles and agency at every login."""
    user, changes = apply_entry(entry)
    assert user is not None
    if changes:
        db.session.flush()
        audit.record(
            "user.provision",
            user,
            summary=f"目录用户 {entry.username}：" + "；".join(changes),
            actor=user,
            changes=changes,
        )
        signals.user_provisioned.send(current_app._get_current_object(), user=user, source="login")
    return user


@dataclass
class SyncReport:
    """What a directory sync did (or, in a dry run, would do)."""

    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    deactivated: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)


def sync_directory(client: DirectoryClient, *, dry_run: bool = False) -> SyncReport:
    """Add, update and deactivate local accounts to match the directory.

    A directory account that is no longer in the directory is deactivated (its sessions end)
    and unlinked; it comes back if the person reappears. A dry run computes the same report
    and changes nothing (the transaction is rolled back).

    Raises:
        DirectoryUnavailable: The directory cannot be reached (nothing is changed).
        DirectoryError: The directory failed, or returned nobody while directory accounts
            exist — most likely a wrong filter or base DN, so nobody is deactivated.

    """
    report = SyncReport()
    entries = client.all_users()
    active_accounts = list(
        db.session.execute(
            select(User).where(User.source == "ldap", User.active.is_(True))
        ).scalars()
    )
    if not entries and active_accounts:
        raise DirectoryError(
            f"目录没有返回任何用户，而系统中有 {len(active_accounts)} 个目录账户启用中："
            "请检查 user_base 与 all_users_filter 配置。为防误停用，本次同步未做任何更改。"
        )
    seen: set[str] = set()
    touched: list[User] = []
    for entry in entries:
        seen.add(entry.username.lower())
        user, changes = apply_entry(entry, dry_run=dry_run)
        if not changes:
            continue
        if user is not None and user.source != "ldap":
            report.skipped[entry.username] = changes
            continue
        if CREATED in changes:
            report.created.append(entry.username)
        else:
            report.updated[entry.username] = changes
        if user is not None:
            touched.append(user)
    for user in active_accounts:
        if user.username.lower() not in seen:
            report.deactivated.append(user.username)
            if not dry_run:
                user.active = False
                user.directory_dn = None  # deprovisioned: see apply_entry
                user.session_epoch = (user.session_epoch or 0) + 1
    if dry_run:
        db.session.rollback()
        return report
    audit.record(
        "ldap.sync",
        summary=f"目录同步：新建 {len(report.created)}，更新 "
        f"{len(report.updated)}，停用 {len(report.deactivated)}",
        created=report.created,
        updated=report.updated,
        deactivated=report.deactivated,
        skipped=report.skipped,
    )
    db.session.commit()
    app = current_app._get_current_object()
    for user in touched:
        signals.user_provisioned.send(app, user=user, source="sync")
    return report
