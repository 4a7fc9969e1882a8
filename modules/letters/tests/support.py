"""Helpers for the letters tests: install the module, solve the public form's question."""

from __future__ import annotations

import re

from core.registry.installer import install
from tests.plugin import TOKEN_RE

QUESTION_RE = re.compile(r'id="challenge-question">(\d+) 加 (\d+) 等于几？<')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def install_letters(app) -> None:
    with app.app_context():
        install(["letters"])


def form_fields(html: str) -> dict[str, str]:
    """CSRF token, challenge token and the answer to the question of the online form."""
    out = {}
    m = TOKEN_RE.search(html)
    out["csrf_token"] = m.group(1) or m.group(2)
    q = QUESTION_RE.search(html)
    if q:
        out["challenge_answer"] = str(int(q.group(1)) + int(q.group(2)))
        t = re.search(r'name="challenge_token"[^>]*value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*name="challenge_token"', html
        )
        out["challenge_token"] = t.group(1)
    return out


def submit(client, files=None, **data):
    """Fill and post the public form like a person would; returns the response."""
    html = client.get("/petition/").get_data(as_text=True)
    fields = form_fields(html)
    payload = {
        "name": "李秀英",
        "mobile": "13900139000",
        "address": "城关镇西街8号",
        "content": "小区污水管道堵塞半年无人维修，要求尽快疏通。",
        "website": "",
        **fields,
        **data,
    }
    if files:
        payload["files"] = files
    return client.post("/petition/", data=payload, content_type="multipart/form-data")


def query_code(html: str) -> str:
    m = re.search(r'id="query-code">([A-Z0-9]+)<', html)
    assert m, html[:2000]
    return m.group(1)


def post_with_token(client, url: str, data: dict, token_page: str):
    token = form_fields(client.get(token_page).get_data(as_text=True))["csrf_token"]
    return client.post(url, data={"csrf_token": token, **data})


def add_letters_clerk(username: str = "letters") -> None:
    """A letters-desk clerk of XFJ (the shared fixtures have none); password as the others."""
    from sqlalchemy import select

    from core.accounts.models import Role, User
    from core.accounts.passwords import hash_password
    from core.extensions import db
    from tests.cases_support import agency
    from tests.plugin import PASSWORD

    role = db.session.execute(select(Role).where(Role.code == "letters_clerk")).scalar_one()
    db.session.add(
        User(
            username=username,
            display_name="办信员小李",
            password_hash=hash_password(PASSWORD),
            roles=[role],
            agency_id=agency("XFJ").id,
        )
    )
    db.session.commit()


OPINION = {
    "facts": "经现场核查，该小区污水管道确已堵塞。",
    "basis": "《城镇排水与污水处理条例》第三十七条",
    "decision": "责成物业于十日内疏通。",
    "demands": [{"demand": "疏通污水管道", "outcome": "support"}],
}


def chain_to_reply(matter_id: int, view: str = "agree", *, send_back: bool = False) -> None:
    """The first-letter chain on a matter of XFJ: 拟办 → 阅批 → 交办 → 督办 → 受理 → 调查 →
    处理意见 → 批准 → 送达 → (退回重办 → …) → 审核通过."""
    from datetime import timedelta

    from core.cases.clocks import today
    from tests.cases_support import agency, step, user

    step(matter_id, "letters", "propose", text="建议交县住建局办理")
    step(matter_id, "leader", "instruct", text="同意，请住建局限期办结")
    step(
        matter_id,
        "letters",
        "assign",
        agency_id=agency("CJJ").id,
        standard="查清堵塞原因并疏通，书面答复信访人",
        deadline=today() + timedelta(days=30),
    )
    step(matter_id, "supervisor", "supervise", follower_id=user("supervisor").id, text="跟踪督办")
    step(matter_id, "handler", "accept")
    step(matter_id, "handler", "investigate", text="现场查看")
    step(matter_id, "handler", "draft_opinion", **OPINION)
    step(matter_id, "cjj_leader", "approve_opinion")
    step(matter_id, "handler", "record_delivery", method="post", petitioner_view=view)
    if send_back:
        step(matter_id, "supervisor", "send_back", reason="答复未说明疏通时限，退回重办")
        return
    step(matter_id, "supervisor", "approve_completion")
