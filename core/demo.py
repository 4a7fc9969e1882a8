"""Demo data for the one-command run: an agency tree and one local user per role."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from core.accounts.models import Agency, Role, User
from core.accounts.passwords import hash_password
from core.accounts.services import save_agency
from core.extensions import db
from core.seed import ROLES

# (code, name, level, region, parent code)
AGENCIES = (
    ("SH", "沈河区委区政府", "county", "210103", None),
    ("SH-XFJ", "沈河区信访局（群众工作局）", "bureau", "210103", "SH"),
    ("SH-ZJJ", "区住房和城乡建设局", "department", "210103", "SH"),
    ("SH-RSJ", "区人力资源和社会保障局", "department", "210103", "SH"),
    ("SH-GAJ", "区公安分局", "department", "210103", "SH"),
    ("SH-SFJ", "区司法局", "department", "210103", "SH"),
    ("SH-DDJD", "大东街道", "town", "210103001", "SH"),
    ("SH-DDJD-XD", "小东社区", "community", "210103001001", "SH-DDJD"),
)

# Which agency each demo role works in.
ROLE_AGENCY = {
    "case_handler": "SH-ZJJ",
    "unit_leader": "SH-ZJJ",
    "lawyer": "SH-SFJ",
    "finance_officer": "SH",
    "fund_approver": "SH",
    "leader": "SH",
    "evaluator": "SH",
    "auditor": "SH",
}


def _password_file() -> Path:
    return Path(current_app.config["MINSHENG_VAR_DIR"]) / "demo-password.txt"


def demo_password() -> str:
    """The demo users' password: random per installation, kept in the var dir (mode 0600)."""
    pw_file = _password_file()
    if pw_file.exists():
        return pw_file.read_text().strip()
    # Random, so a demo left on a network is not open to everyone; it still meets the policy.
    password = "Ms-" + secrets.token_urlsafe(9) + "7a"
    pw_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password)
    return password


def load_demo() -> list[str]:
    """Create demo agencies and one local user per role if missing; return the login lines.

    Idempotent: existing agencies and users (whoever made them) are left as they are.
    """
    password = demo_password()
    codes = {a.code: a for a in db.session.execute(select(Agency)).scalars()}
    for code, name, level, region, parent in AGENCIES:
        if code not in codes:
            codes[code] = save_agency(
                None,
                code=code,
                name=name,
                level=level,
                region_code=region,
                parent_id=codes[parent].id if parent else None,
            )
    roles = {r.code: r for r in db.session.execute(select(Role)).scalars()}
    existing = {u.lower() for u in db.session.execute(select(User.username)).scalars()}
    password_hash = None  # argon2 is slow on purpose: hash once for every demo user
    lines = []
    for code, name, _desc in ROLES:
        username = code
        if username.lower() not in existing and code in roles:
            password_hash = password_hash or hash_password(password)
            db.session.add(
                User(
                    username=username,
                    display_name=f"演示{name}",
                    source="local",
                    password_hash=password_hash,
                    roles=[roles[code]],
                    agency=codes[ROLE_AGENCY.get(code, "SH-XFJ")],
                )
            )
        lines.append(f"  {username:20} {name}")
    db.session.commit()
    return [f"演示账户（密码均为 {password}）:", *lines]
