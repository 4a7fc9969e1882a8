"""Online petitions: the public form, the query code, the reply and the rating (issue 7)."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from core.api import Matter, db
from tests.kit import (
    PDF_BYTES,
    PNG_BYTES,
    TOKEN_RE,
    Attachment,
    add_user,
    install,
    install_module,
    purge,
    reply_chain,
    uninstall,
)

QUESTION_RE = re.compile(r'id="challenge-question">(\d+) 加 (\d+) 等于几？<')


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


def _matter(app, code: str) -> Matter:
    with app.app_context():
        m = db.session.execute(select(Matter).where(Matter.query_code == code)).scalar_one()
        db.session.expunge(m)
        return m


def _query(client, code: str):
    html = client.get("/petition/query").get_data(as_text=True)
    return client.post(
        "/petition/query", data={"code": code, "csrf_token": form_fields(html)["csrf_token"]}
    )


def test_module_installs_and_uninstalls_cleanly(app, client):
    from modules.letters.models import Letter

    assert client.get("/petition/").status_code == 404  # present but not installed
    with app.app_context():
        assert install(["letters"]) == ["letters"]
    assert client.get("/petition/").status_code == 200
    resp = submit(client)
    assert resp.status_code == 200
    with app.app_context():
        uninstall("letters")
    assert client.get("/petition/").status_code == 404
    with app.app_context():
        assert install(["letters"]) == ["letters"]  # data kept, installs again
        assert db.session.execute(select(Letter)).scalars().all()


def test_purge_backs_up_and_drops_the_tables_then_reinstalls(app, client):
    import json

    from sqlalchemy import inspect

    from modules.letters.models import Letter

    install_module(app, "letters")
    assert submit(client).status_code == 200
    with app.app_context():
        uninstall("letters")
        path = purge("letters")
        dump = json.loads(path.read_text(encoding="utf-8"))
        assert len(dump["tables"]["letters_letter"]) == 1
        db.session.remove()
        names = set(inspect(db.engine).get_table_names())
        assert not {n for n in names if n.startswith("letters_")}
        assert install(["letters"]) == ["letters"]
        assert db.session.execute(select(Letter)).scalars().all() == []
    assert submit(client).status_code == 200


def test_submission_registers_online_matter_at_bureau_with_files(app, client):
    from modules.letters.models import Letter

    install_module(app, "letters")
    resp = submit(
        client,
        files=[
            (io.BytesIO(PDF_BYTES), "../../etc/passwd<script>.pdf"),
            (io.BytesIO(PNG_BYTES), "照片.png"),
        ],
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)[:3000]
    code = query_code(resp.get_data(as_text=True))
    with app.app_context():
        m = db.session.execute(select(Matter).where(Matter.query_code == code)).scalar_one()
        assert m.channel == "online"
        assert m.agency.code == "XFJ"
        letter = db.session.execute(select(Letter).where(Letter.matter_id == m.id)).scalar_one()
        assert letter.kind == "online"
        files = db.session.execute(select(Attachment).where(Attachment.matter_id == m.id)).scalars()
        names = sorted(a.filename for a in files)
        # The malicious name is shown without its path or markup; stored under a random name.
        assert names == ["passwdscript.pdf", "照片.png"]
        for a in db.session.execute(select(Attachment)).scalars():
            assert "/" not in a.stored_name and "passwd" not in a.stored_name


def test_attachment_limits_refuse_and_register_nothing(app, client):
    install_module(app, "letters")
    app.config["LETTERS_MAX_FILE_MB"] = 0.01  # about 10 KB
    app.config["LETTERS_MAX_FILES"] = 2
    big = PDF_BYTES + b"0" * 20_000
    cases = [
        [(io.BytesIO(b"MZ\x90\x00 not a pdf"), "invoice.pdf")],  # content decides, not name
        [(io.BytesIO(b"<svg onload=alert(1)>"), "x.png")],
        [(io.BytesIO(big), "big.pdf")],
        [
            (io.BytesIO(PDF_BYTES), "a.pdf"),
            (io.BytesIO(PDF_BYTES), "b.pdf"),
            (io.BytesIO(PDF_BYTES), "c.pdf"),
        ],
    ]
    for files in cases:
        resp = submit(client, files=files)
        assert resp.status_code == 422
        html = resp.get_data(as_text=True)
        assert 'id="query-code"' not in html
        assert "只接受 PDF、JPEG、PNG 文件" in html or "文件过大" in html or "最多上传" in html
    with app.app_context():
        assert db.session.execute(select(Matter)).scalars().all() == []


def test_challenge_and_honeypot_refuse_automated_posts(app, client):
    install_module(app, "letters")
    assert submit(client, challenge_answer="99").status_code == 422
    assert submit(client, challenge_token="forged", challenge_answer="2").status_code == 422
    assert submit(client, website="http://spam.example").status_code == 400
    with app.app_context():
        assert db.session.execute(select(Matter)).scalars().all() == []
    assert submit(client).status_code == 200


def test_rate_limit_of_the_public_form(app, client):
    install_module(app, "letters")
    app.config["LETTERS_SUBMIT_LIMIT"] = 2
    assert submit(client).status_code == 200
    assert submit(client).status_code == 200
    resp = submit(client)
    assert resp.status_code == 429
    assert "操作过于频繁" in resp.get_data(as_text=True)
    # Another address is not affected; the count is in the database, shared by all workers.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert submit(other).status_code == 200


def test_wrong_or_guessed_code_reveals_nothing_and_is_rate_limited(app, client):
    install_module(app, "letters")
    code = query_code(submit(client).get_data(as_text=True))
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "10.1.1.1"
    app.config["LETTERS_QUERY_LIMIT"] = 5
    bodies = set()
    wrong = [code[:-1] + ("A" if code[-1] != "A" else "B"), "x", "' OR 1=1 --", code.lower()[:5]]
    for guess in wrong:
        resp = _query(guesser, guess)
        assert resp.status_code == 404
        html = resp.get_data(as_text=True)
        assert "李秀英" not in html and "污水" not in html
        bodies.add(html.count("未查到与该查询码对应的信访事项"))
    assert bodies == {1}
    assert guesser.get("/petition/status").status_code == 302  # nothing remembered
    assert _query(guesser, code).status_code == 302  # the 5th attempt of 5
    # Once the address used up its attempts, even the right code is refused.
    guesser.post("/petition/leave", data={"csrf_token": _token(guesser)})
    resp = _query(guesser, code)
    assert resp.status_code == 429
    assert guesser.get("/petition/status").status_code == 302
    # The owner, from another address, gets in with the code.
    assert _query(client, code).status_code == 302
    assert "已登记" in client.get("/petition/status").get_data(as_text=True)


def _token(c) -> str:
    return form_fields(c.get("/petition/query").get_data(as_text=True))["csrf_token"]


def test_citizen_reads_delivered_reply_and_rates_once(app, client):
    install_module(app, "letters")
    code = query_code(submit(client).get_data(as_text=True))
    matter = _matter(app, code)
    with app.app_context():
        add_user("letters", "办信员小李", "letters_clerk")
    assert _query(client, code).status_code == 302
    html = client.get("/petition/status").get_data(as_text=True)
    assert "已登记" in html and "答复送达后" in html and "经现场核查" not in html
    with app.app_context():
        reply_chain(matter.id, clerk="letters", view="agree")
    html = client.get("/petition/status").get_data(as_text=True)
    assert "经现场核查" in html and "疏通污水管道：予以支持" in html
    token = form_fields(html)["csrf_token"]
    resp = client.post(
        "/petition/rate", data={"csrf_token": token, "bureau": "satisfied", "unit": "dissatisfied"}
    )
    assert resp.status_code == 422  # dissatisfied needs a reason
    resp = client.post(
        "/petition/rate",
        data={
            "csrf_token": token,
            "bureau": "satisfied",
            "unit": "dissatisfied",
            "reason": "疏通后又堵了",
        },
    )
    assert resp.status_code == 302
    rating = db_rows(app)
    assert rating == {("bureau", "satisfied"), ("unit", "dissatisfied")}
    resp = client.post("/petition/rate", data={"csrf_token": token, "bureau": "satisfied"})
    assert resp.status_code == 422
    assert db_rows(app) == rating


def db_rows(app):
    with app.app_context():
        t = db.metadata.tables["core_rating"]
        return {(r.target, r.value) for r in db.session.execute(select(t))}


def test_rating_window_closes(app, client):
    install_module(app, "letters")
    code = query_code(submit(client).get_data(as_text=True))
    matter = _matter(app, code)
    with app.app_context():
        add_user("letters", "办信员小李", "letters_clerk")
        reply_chain(matter.id, clerk="letters")
    app.config["MINSHENG_RATING_WINDOW_DAYS"] = -1
    _query(client, code)
    html = client.get("/petition/status").get_data(as_text=True)
    assert "提交评价" not in html
    token = form_fields(html)["csrf_token"]
    resp = client.post(
        "/petition/rate", data={"csrf_token": token, "bureau": "satisfied", "unit": "satisfied"}
    )
    assert resp.status_code == 422
    assert db_rows(app) == set()


def test_public_form_needs_csrf(app, client):
    install_module(app, "letters")
    resp = client.post("/petition/", data={"name": "x", "content": "y" * 20})
    assert resp.status_code == 400


def test_reloading_the_form_shows_the_same_question_until_it_is_used(app, client):
    install_module(app, "letters")
    first = form_fields(client.get("/petition/").get_data(as_text=True))
    again = form_fields(client.get("/petition/").get_data(as_text=True))
    assert first["challenge_token"] == again["challenge_token"]
    with app.app_context():
        t = db.metadata.tables["letters_challenge"]
        assert len(db.session.execute(select(t)).all()) == 1
    assert submit(client).status_code == 200  # answers (and uses up) the question
    after = form_fields(client.get("/petition/").get_data(as_text=True))
    assert after["challenge_token"] != first["challenge_token"]
