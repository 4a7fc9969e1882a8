"""Account administration: users, agencies, role grants. Each function is one transaction."""

from __future__ import annotations

from sqlalchemy import select

from core import audit
from core.accounts.models import Agency, Permission, Role, User
from core.accounts.passwords import hash_password, policy_problems
from core.extensions import db


class AccountError(ValueError):
    """A refused change; the message is for the user (Chinese)."""


class StaleEdit(AccountError):
    """Someone else saved the record since this form was opened (optimistic lock)."""

    def __init__(self) -> None:
        super().__init__("该记录已被他人修改，请刷新页面后重新编辑（您的修改未保存）。")


def check_version(obj, version: int | str | None) -> None:
    """Refuse a write made from a form rendered at another ``version`` of ``obj``."""
    try:
        given = int(version) if version not in (None, "") else None
    except (TypeError, ValueError):
        given = None
    if given is None or given != obj.version:
        raise StaleEdit()


def create_local_user(
    username: str, display_name: str, password: str, agency: Agency | None, roles: list[Role] = ()
) -> User:
    """Create a local account after checking the password policy and the name is free."""
    problems = policy_problems(password, username)
    if problems:
        raise AccountError(" ".join(problems))
    if db.session.execute(select(User).where(User.username == username)).first():
        raise AccountError(f"用户名 {username} 已存在。")
    user = User(
        username=username,
        display_name=display_name,
        source="local",
        password_hash=hash_password(password),
        agency=agency,
        roles=list(roles),
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, summary=f"新建本地用户 {username}")
    db.session.commit()
    return user


def update_user(
    user: User,
    *,
    version,
    display_name: str,
    agency_id: int | None,
    extra_agency_ids: list[int],
    role_ids: list[int],
    active: bool,
) -> User:
    """Change a user's name, agency, grants, roles and active state; sessions restart."""
    check_version(user, version)
    before = {
        "roles": sorted(r.code for r in user.roles),
        "agency": user.agency_id,
        "active": user.active,
        "extra": sorted(a.id for a in user.extra_agencies),
    }
    user.display_name = display_name
    user.agency = db.session.get(Agency, agency_id) if agency_id else None
    user.extra_agencies = list(
        db.session.execute(select(Agency).where(Agency.id.in_(extra_agency_ids))).scalars()
    )
    user.roles = list(db.session.execute(select(Role).where(Role.id.in_(role_ids))).scalars())
    user.active = active
    after = {
        "roles": sorted(r.code for r in user.roles),
        "agency": user.agency_id,
        "active": user.active,
        "extra": sorted(a.id for a in user.extra_agencies),
    }
    if before != after:
        user.session_epoch += 1
    audit.record(
        "user.update", user, summary=f"修改用户 {user.username}", before=before, after=after
    )
    db.session.commit()
    return user


def set_active(user: User, active: bool) -> None:
    """Activate or deactivate a user (their open sessions end)."""
    user.active = active
    user.session_epoch += 1
    audit.record(
        "user.activate" if active else "user.deactivate",
        user,
        summary=f"{'启用' if active else '停用'}用户 {user.username}",
    )
    db.session.commit()


def save_agency(
    agency: Agency | None,
    *,
    version=None,
    code: str,
    name: str,
    level: str,
    region_code: str | None,
    parent_id: int | None,
) -> Agency:
    """Create or edit an agency, keeping the materialised paths of its subtree right."""
    creating = agency is None
    if creating:
        agency = Agency(code=code, name=name, level=level)
        db.session.add(agency)
    else:
        check_version(agency, version)
    clash = db.session.execute(select(Agency).where(Agency.code == code)).scalar_one_or_none()
    if clash is not None and clash is not agency:
        raise AccountError(f"机构代码 {code} 已被 {clash.name} 使用。")
    parent = db.session.get(Agency, parent_id) if parent_id else None
    if parent is not None and not creating and parent.path.startswith(agency.path):
        raise AccountError("不能把机构移到它自己或它的下级机构之下。")
    agency.code, agency.name, agency.level = code, name, level
    agency.region_code = region_code or None
    agency.parent = parent
    db.session.flush()
    old_path = agency.path
    new_path = f"{parent.path if parent else '/'}{agency.id}/"
    if old_path != new_path:
        agency.path = new_path
        if not creating:
            for child in db.session.execute(
                select(Agency).where(Agency.path.startswith(old_path), Agency.id != agency.id)
            ).scalars():
                child.path = new_path + child.path[len(old_path) :]
    audit.record(
        "agency.create" if creating else "agency.update",
        agency,
        summary=f"{'新建' if creating else '修改'}机构 {name}",
    )
    db.session.commit()
    return agency


def set_role_permissions(grants: dict[int, set[int]]) -> int:
    """Apply a role × permission matrix; returns how many roles changed (each audited)."""
    roles = {r.id: r for r in db.session.execute(select(Role)).scalars()}
    perms = {p.id: p for p in db.session.execute(select(Permission)).scalars()}
    changed = 0
    for role_id, role in roles.items():
        wanted = {perms[i] for i in grants.get(role_id, set()) if i in perms}
        current = set(role.permissions)
        if wanted == current:
            continue
        added = sorted(p.name for p in wanted - current)
        removed = sorted(p.name for p in current - wanted)
        role.permissions = sorted(wanted, key=lambda p: p.name)
        changed += 1
        audit.record(
            "role.permissions",
            role,
            summary=f"修改角色 {role.name} 的权限",
            added=added,
            removed=removed,
        )
    db.session.commit()
    return changed
