"""Helpers for the tests of the case-file pages and API: tokens, forms, files, set-ups."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import date, timedelta

from sqlalchemy import select

from core.accounts.models import Permission, Role, User
from core.accounts.session import issue_token
from core.cases.models import Matter, TimelineEntry
from core.extensions import db
from tests.cases_support import VALID_ID, agency, step

OTHER_ID = "110105194912310011"  # a second valid resident ID number
OPINION = {
    "facts": "经查，协议约定的补偿款尚有 3 万元未支付。",
    "basis": "《国有土地上房屋征收与补偿条例》第二十五条",
    "demands": [{"demand": "补发拆迁补偿款", "outcome": "support"}],
}


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG_BYTES = _png()
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML_BYTES = b"<!doctype html><html><script>alert(document.cookie)</script></html>"

TOKEN_RE = re.compile(r'name="([\w-]*csrf_token)" type="hidden" value="([^"]+)"')
VERSION_RE = re.compile(r'name="([\w-]+)-version" type="hidden" value="(\d+)"')


def page_token(html: str) -> str:
    """The CSRF token of a form on a page."""
    m = TOKEN_RE.search(html)
    assert m, "no form CSRF token on the page"
    return m.group(2)


def step_version(html: str, step: str) -> str:
    """The version carried by the form of ``step`` on the matter page."""
    for name, value in VERSION_RE.findall(html):
        if name == step:
            return value
    raise AssertionError(f"no form for {step} on the page")


def grant(role_code: str, permission: str) -> None:
    """Give a role one more permission (the roles of the test users are the seeded ones)."""
    role = db.session.execute(select(Role).where(Role.code == role_code)).scalar_one()
    perm = db.session.execute(select(Permission).where(Permission.name == permission)).scalar_one()
    if perm not in role.permissions:
        role.permissions.append(perm)
    db.session.commit()


def api_token(username: str) -> str:
    """A bearer token for a test user (their role gets ``core.api.use``)."""
    user = db.session.execute(select(User).where(User.username == username)).scalar_one()
    for role in user.roles:
        grant(role.code, "core.api.use")
    token = issue_token(user, "test")
    db.session.commit()
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def matter(matter_id: int) -> Matter:
    """The matter as stored now."""
    m = db.session.get(Matter, matter_id)
    db.session.refresh(m)
    return m


def timeline_count(matter_id: int) -> int:
    return len(
        db.session.execute(
            select(TimelineEntry.id).where(TimelineEntry.matter_id == matter_id)
        ).all()
    )


def assign_to_cjj(matter_id: int, days: int = 30) -> None:
    """The bureau's supervisor assigns the matter to the housing bureau (CJJ)."""
    step(
        matter_id,
        "supervisor",
        "assign",
        agency_id=agency("CJJ").id,
        standard="查清补偿款支付情况并答复",
        deadline=date.today() + timedelta(days=days),
    )


def registration_form(token: str, **overrides) -> dict[str, str]:
    """A complete registration as the desk posts it."""
    data = {
        "csrf_token": token,
        "parties-0-name": "王大明",
        "parties-0-id_type": "resident_id",
        "parties-0-id_number": VALID_ID,
        "parties-0-mobile": "13800138000",
        "parties-0-address": "城关镇东街1号",
        "channel": "visit",
        "received_on": date.today().isoformat(),
        "purpose": "remedy",
        "handling_type": "complaint",
        "summary": "反映小区拆迁补偿款未按协议支付，要求补发。",
        "demands": "补发拆迁补偿款\n公开补偿标准",
        "place_text": "城关镇东街",
        "head_count": "1",
    }
    # A browser posts every row of the page, the blank ones too.
    for i in range(1, 6):
        for f in ("name", "id_number", "mobile", "address"):
            data[f"parties-{i}-{f}"] = ""
        data[f"parties-{i}-id_type"] = "resident_id"
    data.update(overrides)
    return data
