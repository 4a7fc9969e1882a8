"""Core's seed data: the roles every site starts with (administrators may edit them later).

Modules bring their own roles (``Manifest.roles``), created when they are installed.
"""

from __future__ import annotations

from sqlalchemy import select

from core.accounts.models import Role
from core.extensions import db

ROLES: tuple[tuple[str, str, str], ...] = (
    ("registration_clerk", "登记员", "登记台：登记来访、来信、来电，初步分流"),
    ("case_handler", "承办人", "责任单位承办信访事项、调查、拟写处理意见"),
    ("unit_leader", "单位负责人", "审批处理意见、延期申请"),
    ("supervisor", "信访局督查员", "督办、审核办结报告、退回重办"),
    ("leader", "领导", "阅批、领导接访、包案"),
    ("auditor", "审计员", "查看审计日志与全部记录"),
    ("admin", "系统管理员", "模块、用户、角色、机构与代码表"),
)


def seed() -> None:
    """Core's first-install data: roles and the content classification."""
    from core.cases.records.categories import seed_categories

    seed_roles()
    seed_categories()


def seed_roles() -> None:
    """Create the standard roles that do not exist yet (never overwrites an edited role)."""
    existing = set(db.session.execute(select(Role.code)).scalars())
    for code, name, description in ROLES:
        if code not in existing:
            db.session.add(Role(code=code, name=name, description=description))
