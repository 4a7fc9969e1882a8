"""Account administration: users, agencies, role grants. Each function is one transaction."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from core import audit
from core.accounts.actor import current_actor
from core.accounts.models import Agency, Permission, Role, User
from core.accounts.passwords import hash_password, policy_problems, verify_password
from core.db import utcnow
from core.extensions import db

USER_ADMIN = "core.admin.users"
ROLE_ADMIN = "core.admin.roles"


class AccountError(ValueError):
    """A refused change; the message is for the user (Chinese), ``field`` the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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


def _commit() -> None:
    # check_version compares with what this request read; two requests that both read the
    # same version can still race to the UPDATE, where the version column catches the second.
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleEdit() from exc


def create_local_user(
    username: str, display_name: str, password: str, agency: Agency | None, roles: list[Role] = ()
) -> User:
    """Create a local account after checking the password policy and the name is free."""
    problems = policy_problems(password, username)
    if problems:
        raise AccountError(" ".join(problems), "password")
    # Login names are compared without case (as the directory does): no "Clerk" next to "clerk".
    if db.session.execute(
        select(User.id).where(func.lower(User.username) == username.lower())
    ).first():
        raise AccountError(f"用户名 {username} 已存在。", "username")
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
    """Change a user's name, agency, grants, roles and active state; sessions restart.

    Administrators cannot deactivate themselves or take away their own right to manage users
    (the site would have nobody left to undo it).
    """
    check_version(user, version)
    new_roles = list(db.session.execute(select(Role).where(Role.id.in_(role_ids))).scalars())
    if user is current_actor():
        if not active:
            raise AccountError("不能停用自己的账户。")
        if USER_ADMIN not in {p.name for r in new_roles for p in r.permissions}:
            raise AccountError("不能取消自己的用户管理权限（请由另一位管理员操作）。")
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
    user.roles = new_roles
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
    _commit()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """A local user changes their own password (policy checked); their other sessions end."""
    if user.source != "local":
        raise AccountError("目录账户的密码请在单位统一身份系统中修改。", "current_password")
    if not verify_password(user.password_hash, current):
        raise AccountError("当前密码不正确。", "current_password")
    problems = policy_problems(new, user.username)
    if new == current:
        problems.append("新密码不能与当前密码相同。")
    if problems:
        raise AccountError(" ".join(problems), "new_password")
    user.password_hash = hash_password(new)
    user.session_epoch += 1
    audit.record("user.password", user, summary=f"{user.username} 修改密码")
    _commit()


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
    if not creating:
        check_version(agency, version)
    # Checked before the new row exists: autoflush would otherwise hit the unique index first.
    clash = db.session.execute(select(Agency).where(Agency.code == code)).scalar_one_or_none()
    if clash is not None and clash is not agency:
        raise AccountError(f"机构代码 {code} 已被 {clash.name} 使用。")
    parent = db.session.get(Agency, parent_id) if parent_id else None
    if parent_id and parent is None:
        raise AccountError("上级机构不存在。")
    if parent is not None and not creating and parent.path.startswith(agency.path):
        raise AccountError("不能把机构移到它自己或它的下级机构之下。")
    if creating:
        agency = Agency(code=code, name=name, level=level)
        db.session.add(agency)
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
    _commit()
    return agency


def set_role_permissions(grants: dict[int, set[int]]) -> int:
    """Apply a role × permission matrix; returns how many roles changed (each audited).

    Refused if the acting administrator would lose the right to manage roles (nobody could
    give it back).
    """
    roles = {r.id: r for r in db.session.execute(select(Role)).scalars()}
    perms = {p.id: p for p in db.session.execute(select(Permission)).scalars()}
    wanted = {
        role_id: {perms[i] for i in grants.get(role_id, set()) if i in perms} for role_id in roles
    }
    actor = current_actor()
    if actor is not None:
        kept = {p.name for r in actor.roles for p in wanted.get(r.id, set())}
        if ROLE_ADMIN not in kept:
            raise AccountError("不能取消自己管理角色与权限的权限（请由另一位管理员操作）。")
    changed = 0
    for role_id, role in roles.items():
        current = set(role.permissions)
        if wanted[role_id] == current:
            continue
        added = sorted(p.name for p in wanted[role_id] - current)
        removed = sorted(p.name for p in current - wanted[role_id])
        role.permissions = sorted(wanted[role_id], key=lambda p: p.name)
        # A change of the link table alone leaves the role's row (and its version) as it was;
        # touching the row makes the version move, so a matrix opened before this is stale.
        role.updated_at = utcnow()
        changed += 1
        audit.record(
            "role.permissions",
            role,
            summary=f"修改角色 {role.name} 的权限",
            added=added,
            removed=removed,
        )
    _commit()
    return changed
