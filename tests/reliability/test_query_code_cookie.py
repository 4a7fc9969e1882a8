"""The public status page keeps the petitioner's 查询码 on the server side: the session cookie
(readable by anyone at a shared hall kiosk, as Flask's cookies are signed, not encrypted) holds
nothing from which the code can be read."""

from __future__ import annotations

import base64
import json
import zlib

from sqlalchemy import select

from core.cases.models import Matter
from core.extensions import db
from modules.letters.tests.test_online import _query, query_code, submit
from tests.kit import install_module


def cookie_payload(client) -> str:
    """The session cookie's data as its holder can read it (no key needed)."""
    cookie = client.get_cookie("minsheng_session") or client.get_cookie("session")
    assert cookie is not None
    data = cookie.value
    compressed = data.startswith(".")
    body = data.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_the_query_code_is_not_in_the_session_cookie(app, client):
    install_module(app, "letters")
    code = query_code(submit(client).get_data(as_text=True))
    kiosk = app.test_client()
    assert _query(kiosk, code).status_code == 302
    payload = cookie_payload(kiosk)
    json.loads(payload)  # really the decoded session
    assert code not in payload
    assert code.lower() not in payload.lower()
    # The kiosk still shows the petition's progress, and forgets it on leaving.
    assert "已登记" in kiosk.get("/petition/status").get_data(as_text=True)
    # A code changed on the server (re-issued) ends what the cookie gave access to.
    with app.app_context():
        matter = db.session.execute(select(Matter).where(Matter.query_code == code)).scalar_one()
        matter.query_code = "ZZZZZZZZZZ"
        db.session.commit()
    assert kiosk.get("/petition/status").status_code == 302
