"""Demo data for the one-command run: an agency tree, one local user per role, some matters."""

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
    # Every role there is: core's and those the installed modules brought.
    for role in sorted(roles.values(), key=lambda r: r.id):
        code, name = role.code, role.name
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
    load_demo_matters()
    load_module_demos()
    return [f"演示账户（密码均为 {password}）:", *lines]


def load_module_demos() -> None:
    """Run the demo loader (``Manifest.demo``) of every installed module, in install order.

    Each loader is idempotent, so ``flask demo load`` can run before and after the modules are
    installed (``scripts/run`` does both) and gives every module's roles work to do.
    """
    from core.registry.manifest import resolve
    from core.registry.registry import current_registry

    registry = current_registry()
    installed = registry.installed_names()
    for name, manifest in registry.manifests.items():
        if name in installed and manifest.demo:
            resolve(manifest.demo)()
            db.session.commit()


# (days ago, channel, name, 17 digits of the ID number, mobile, summary, demand, route, category)
# route: "" stays at the desk; "forward"/"assign" to the housing bureau; "accept": also accepted.
MATTERS = (
    (
        20,
        "visit",
        "王秀兰",
        "21010319620315102",
        "13904001234",
        "反映小东社区老旧小区改造后楼道漏水，多次找物业未解决。",
        "尽快维修楼道防水",
        "accept",
        "物业服务",
    ),
    (
        16,
        "letter",
        "李建国",
        "21010319580722101",
        "13804002345",
        "反映大东街道某拆迁项目补偿款至今未按协议支付。",
        "按协议支付补偿款",
        "assign",
        "拆迁补偿",
    ),
    (
        12,
        "online",
        "张丽",
        "21010319850109202",
        "15904003456",
        "反映某建筑公司拖欠农民工工资三个月，共计四万余元。",
        "督促支付拖欠工资",
        "forward",
        "拖欠农民工工资",
    ),
    (
        9,
        "phone",
        "刘伟",
        "21010319790430301",
        "13604004567",
        "反映小区夜间施工噪声扰民，影响休息。",
        "限制夜间施工",
        "forward",
        "噪声污染",
    ),
    (
        6,
        "visit",
        "陈桂英",
        "21010319550812402",
        "13504005678",
        "反映申请最低生活保障未获批准，要求说明理由。",
        "重新审核低保申请",
        "",
        "最低生活保障",
    ),
    (
        4,
        "online",
        "赵磊",
        "21010319900203111",
        "18704006789",
        "反映小区物业公司擅自提高物业费标准。",
        "恢复原收费标准",
        "forward",
        "物业服务",
    ),
    (
        2,
        "letter",
        "孙淑珍",
        "21010319600918222",
        "",
        "反映安置房交付延期一年，过渡费停发。",
        "尽快交房并补发过渡费",
        "",
        "安置房",
    ),
    (
        1,
        "visit",
        "周海",
        "21010319731125331",
        "13304007890",
        "反映维修资金使用不公开，要求公示账目。",
        "公示维修资金账目",
        "",
        "维修资金",
    ),
)


def load_demo_matters() -> None:
    """Register a few matters at the demo bureau and route some to the housing bureau.

    Through the services, as the demo users, so numbers, clocks, notices, the timeline and the
    audit log are what a real desk produces. Only into an empty case file.
    """
    from datetime import timedelta

    from core.accounts.actor import acting_as
    from core.cases.clocks.clocks import today
    from core.cases.lifecycle.registration import PartyInput, Registration, register_matter
    from core.cases.lifecycle.steps import perform
    from core.cases.models import ContentCategory, Matter
    from core.cases.people.idcard import check_digit

    if db.session.execute(select(Matter.id).limit(1)).first():
        return
    users = {u.username: u for u in db.session.execute(select(User)).scalars()}
    needed = ("registration_clerk", "supervisor", "case_handler")
    if any(name not in users for name in needed):
        return
    housing = db.session.execute(select(Agency).where(Agency.code == "SH-ZJJ")).scalar_one()
    on_day = today()
    categories = dict(
        db.session.execute(
            select(ContentCategory.name, ContentCategory.id).where(ContentCategory.level == 3)
        ).all()
    )
    for days, channel, name, digits, mobile, summary, demand, route, category in MATTERS:
        received = on_day - timedelta(days=days)
        with acting_as(users["registration_clerk"]):
            matter = register_matter(
                Registration(
                    channel=channel,
                    summary=summary,
                    received_on=received,
                    demands=[demand],
                    category_id=categories.get(category),
                    place_text="沈河区大东街道",
                    parties=[
                        PartyInput(name=name, id_number=digits + check_digit(digits), mobile=mobile)
                    ],
                )
            )
        if not route:
            continue
        step_on = received + timedelta(days=1)
        with acting_as(users["supervisor"]):
            data = {"agency_id": housing.id}
            if route == "assign":
                data |= {
                    "standard": "查清补偿款支付情况并书面答复",
                    "deadline": on_day + timedelta(days=20),
                }
            perform(
                matter,
                "assign" if route == "assign" else "forward",
                data,
                version=matter.version,
                on=step_on,
            )
        if route == "accept":
            with acting_as(users["case_handler"]):
                matter = db.session.get(Matter, matter.id)
                perform(
                    matter, "accept", {}, version=matter.version, on=step_on + timedelta(days=2)
                )
