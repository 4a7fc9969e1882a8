"""Directory (LDAP) users becoming and staying local accounts: at login and in the sync."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from core import audit, signals
from core.accounts.directory import DirectoryClient, DirectoryConfig, DirectoryUser
from core.accounts.models import Agency, Role, User
from core.extensions import db


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


def apply_entry(entry: DirectoryUser, *, dry_run: bool = False) -> tuple[User | None, list[str]]:
    """Create or refresh the local account of a directory user; return it and what changed."""
    user = db.session.execute(
        select(User).where(User.username == entry.username)
    ).scalar_one_or_none()
    if user is not None and user.source != "ldap":
        # A local account of the same name wins: never let the directory take it over.
        return user, [f"本地账户 {entry.username} 与目录用户同名，未同步"]
    target = assignment_for(entry)
    changes: list[str] = []
    if user is None:
        changes.append("新建")
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
    if (user.agency_id or None) != (target.agency.id if target.agency else None):
        changes.append(f"机构 → {target.agency.name if target.agency else '无'}")
    if not user.active:
        changes.append("重新启用")
    if dry_run or not changes:
        return user, changes
    user.display_name = entry.display_name
    user.email = entry.email
    user.directory_dn = entry.dn
    user.password_hash = None  # a directory user never has a local password
    user.active = True
    if old_role_codes != new_role_codes or user.agency_id != (
        target.agency.id if target.agency else None
    ):
        user.session_epoch = (user.session_epoch or 0) + 1
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

    A dry run computes the same report and changes nothing (the transaction is rolled back).
    """
    report = SyncReport()
    entries = client.all_users()
    seen = set()
    for entry in entries:
        seen.add(entry.username)
        user, changes = apply_entry(entry, dry_run=dry_run)
        if not changes:
            continue
        if changes == ["新建"] or (user is not None and "新建" in changes):
            report.created.append(entry.username)
        elif user is not None and user.source != "ldap":
            report.skipped[entry.username] = changes
        else:
            report.updated[entry.username] = changes
    gone = db.session.execute(
        select(User).where(User.source == "ldap", User.active.is_(True))
    ).scalars()
    for user in gone:
        if user.username not in seen:
            report.deactivated.append(user.username)
            if not dry_run:
                user.active = False
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
    )
    db.session.commit()
    return report
