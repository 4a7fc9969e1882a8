"""The letters desk: intake, higher-level letters, the chain with send-back, review, counts."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from core.api import Matter, db
from tests.kit import (
    PDF_BYTES,
    PNG_BYTES,
    REPLY_OPINION,
    agency,
    attachment_names,
    csrf_token,
    install_module,
    reply_chain,
    step,
    user,
)

#: The letters-desk clerk of XFJ (the shared test users have none).
CLERK = {"letters": ("办信员小李", "letters_clerk", "XFJ")}


def _setup(app, as_user):
    install_module(app, "letters", users=CLERK)
    return as_user("letters")


def _letter(app, **where):
    from modules.letters.models import Letter

    with app.app_context():
        letter = db.session.execute(select(Letter).filter_by(**where)).scalar_one()
        db.session.expunge(letter)
        return letter.matter_id, letter


def _intake(c, files=None, **data):
    payload = {
        "csrf_token": csrf_token(c, "/letters/new"),
        "name": "赵四",
        "mobile": "13700137000",
        "address": "城关镇南街3号",
        "summary": "反映村道损毁多年未修，要求修复。",
        "demands": "修复村道",
        "received_on": date.today().isoformat(),
        "postmark_on": (date.today() - timedelta(days=2)).isoformat(),
        "postmark_place": "城关",
        "envelope": "城关镇南街3号 赵四",
        "pages": "3",
        **data,
    }
    if files:
        payload["files"] = files
    return c.post("/letters/new", data=payload, content_type="multipart/form-data")


def test_higher_level_letter_keeps_external_number_and_deadline(app, as_user):
    c = _setup(app, as_user)
    deadline = date.today() + timedelta(days=20)
    resp = _intake(
        c,
        external_number="市信交〔2026〕118号",
        external_source="市信访局",
        external_deadline=deadline.isoformat(),
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    matter_id, letter = _letter(app, external_number="市信交〔2026〕118号")
    assert letter.kind == "higher" and letter.external_deadline == deadline
    with app.app_context():
        m = db.session.get(Matter, matter_id)
        assert m.external_numbers == {"higher": "市信交〔2026〕118号"}
        assert m.channel == "letter"
    html = c.get(f"/letters/{matter_id}").get_data(as_text=True)
    assert "市信交〔2026〕118号" in html and deadline.isoformat() in html and "市信访局" in html
    desk = c.get("/letters/?show=higher").get_data(as_text=True)
    assert "市信交〔2026〕118号" in desk and deadline.isoformat() in desk
    # Kept through the chain: still shown after the reply.
    with app.app_context():
        reply_chain(matter_id, clerk="letters")
    html = c.get(f"/letters/{matter_id}").get_data(as_text=True)
    assert "市信交〔2026〕118号" in html and deadline.isoformat() in html
    label = c.get(f"/letters/{matter_id}/label.pdf")
    assert label.status_code == 200 and label.data.startswith(b"%PDF-")


def test_higher_level_letter_needs_its_deadline(app, as_user):
    c = _setup(app, as_user)
    resp = _intake(c, external_number="市信交〔2026〕119号")
    assert resp.status_code == 422
    assert "上级交办件请填写上级要求的办结期限" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Matter)).scalars().all() == []


def test_intake_with_scanned_pages_and_refused_files(app, as_user):
    c = _setup(app, as_user)
    resp = _intake(c, files=[(io.BytesIO(b"GIF89a..."), "scan.pdf")])
    assert resp.status_code == 422
    assert "只接受 PDF、JPEG、PNG 文件" in resp.get_data(as_text=True)
    resp = _intake(
        c, files=[(io.BytesIO(PDF_BYTES), "第1页.pdf"), (io.BytesIO(PNG_BYTES), "..\\第2页.png")]
    )
    assert resp.status_code == 302
    matter_id, letter = _letter(app, kind="paper")
    assert letter.postmark_place == "城关" and letter.pages == 3
    with app.app_context():
        names = attachment_names(matter_id)
    assert names == ["第1页.pdf", "第2页.png"]


def test_postmark_after_receipt_is_refused(app, as_user):
    c = _setup(app, as_user)
    resp = _intake(c, postmark_on=(date.today() + timedelta(days=1)).isoformat())
    assert resp.status_code == 422


def test_batch_registers_a_mornings_post(app, as_user):
    c = _setup(app, as_user)
    data = {"csrf_token": csrf_token(c, "/letters/batch"), "received_on": date.today().isoformat()}
    data.update({"rows-0-name": "甲", "rows-0-summary": "反映甲事项需要处理。"})
    data.update({"rows-1-name": "", "rows-1-summary": "匿名反映乙事项需要处理。"})
    data.update({"rows-3-name": "丙", "rows-3-summary": ""})  # no summary: refused, kept
    resp = c.post("/letters/batch", data=data)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "已登记 2 封来信" in html and "请填写内容摘要" in html
    with app.app_context():
        matters = db.session.execute(select(Matter).order_by(Matter.id)).scalars().all()
        assert [m.channel for m in matters] == ["letter", "letter"]
        assert matters[1].has_flag("anonymous")


def test_send_back_of_a_poor_answer(app, as_user):
    c = _setup(app, as_user)
    assert _intake(c).status_code == 302
    matter_id, _ = _letter(app, kind="paper")
    with app.app_context():
        reply_chain(matter_id, clerk="letters", send_back=True)
        m = db.session.get(Matter, matter_id)
        assert m.state == "in_handling"  # back to the responsible unit to redo
        slip = db.metadata.tables["core_assignment_slip"]
        assert db.session.execute(select(slip.c.sent_back_count)).scalar_one() == 1
        better = {**REPLY_OPINION, "decision": "责成物业于十日内疏通，并于疏通后回访。"}
        step(matter_id, "handler", "draft_opinion", **better)
        step(matter_id, "cjj_leader", "approve_opinion")
        step(matter_id, "handler", "record_delivery", method="post", petitioner_view="agree")
        step(matter_id, "supervisor", "approve_completion")
        assert db.session.get(Matter, matter_id).state == "review_window"
    html = c.get(f"/cases/{matter_id}").get_data(as_text=True)
    assert "退回重办" in html


def test_first_handler_and_joint_review(app, as_user):
    c = _setup(app, as_user)
    assert _intake(c).status_code == 302
    matter_id, _ = _letter(app, kind="paper")
    with app.app_context():
        handler_id = user("handler").id
        ids = [agency("CJJ").id, agency("TOWN").id]
    token = csrf_token(c, f"/letters/{matter_id}")
    resp = c.post(
        f"/letters/{matter_id}/first-handler", data={"csrf_token": token, "user_id": handler_id}
    )
    assert resp.status_code == 302
    resp = c.post(
        f"/letters/{matter_id}/joint-review",
        data={"csrf_token": token, "agencies": [ids[0]], "conclusion": "x"},
    )
    assert resp.status_code == 422  # one unit is not a joint review
    resp = c.post(
        f"/letters/{matter_id}/joint-review",
        data={"csrf_token": token, "agencies": ids, "conclusion": "由住建局牵头，城关镇配合"},
    )
    assert resp.status_code == 302
    html = c.get(f"/letters/{matter_id}").get_data(as_text=True)
    assert "住建承办人" in html.split('id="first-handler">')[1][:40]
    assert "县住建局、城关镇。由住建局牵头，城关镇配合" in html


def test_reply_pdf_outgoing_register_disagreement_review_and_counts(app, as_user):
    from modules.letters.models import OutgoingMail

    c = _setup(app, as_user)
    assert _intake(c).status_code == 302
    assert _intake(c, summary="另一封来信，反映路灯不亮。").status_code == 302
    with app.app_context():
        first, second = db.session.execute(select(Matter.id).order_by(Matter.id)).scalars().all()
        reply_chain(first, clerk="letters", view="disagree")
    token = csrf_token(c, f"/letters/{first}")
    resp = c.post(
        f"/letters/{first}/reply.pdf",
        data={"csrf_token": token, "recipient": "赵四", "address": "城关镇南街3号"},
    )
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=resp.data, capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    # The address block comes first (the envelope window), then the letter with the opinion.
    assert flat.index("城关镇南街3号") < flat.index("信访事项答复函") < flat.index("经现场核查")
    resp = c.post(f"/letters/{second}/reply.pdf", data={"csrf_token": token, "recipient": "x"})
    assert resp.status_code == 409  # no opinion yet
    with app.app_context():
        assert [
            (o.matter_id, o.recipient) for o in db.session.execute(select(OutgoingMail)).scalars()
        ] == [(first, "赵四")]
    assert "城关镇南街3号" in c.get("/letters/outgoing").get_data(as_text=True)

    reviewer = as_user("supervisor")
    html = reviewer.get("/letters/disagreements").get_data(as_text=True)
    with app.app_context():
        numbers = dict(db.session.execute(select(Matter.id, Matter.number)).all())
    assert numbers[first] in html and numbers[second] not in html
    resp = reviewer.post(
        "/letters/disagreements",
        data={
            "csrf_token": csrf_token(reviewer, "/letters/disagreements"),
            "matter_id": first,
            "note": "答复依据充分，维持",
        },
    )
    assert resp.status_code == 302
    assert "答复依据充分，维持" in reviewer.get("/letters/disagreements").get_data(as_text=True)
    assert c.get("/letters/disagreements").status_code == 403  # clerk: no review right

    html = c.get("/letters/counts").get_data(as_text=True)
    month = date.today().strftime("%Y-%m")
    assert f"<td>{month}</td><td>县信访局</td><td>2</td><td>0</td>" in html


def test_desk_needs_rights(app, as_user):
    install_module(app, "letters")
    assert as_user("nobody").get("/letters/").status_code == 403
    assert as_user("handler").get("/letters/new").status_code == 403


def test_personal_data_masked_for_readers_without_the_right(app, as_user):
    c = _setup(app, as_user)
    assert _intake(c).status_code == 302
    matter_id, _ = _letter(app, kind="paper")
    assert "城关镇南街3号 赵四" in c.get(f"/letters/{matter_id}").get_data(as_text=True)
    resp = as_user("leader").get(f"/letters/{matter_id}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "信封上的寄信人信息" in html
    assert "赵四" not in html and "南街" not in html


def test_repeat_letter_is_counted_as_repeat_and_candidates_shown(app, as_user):
    c = _setup(app, as_user)
    assert _intake(c, id_number="11010519491231002X").status_code == 302
    with app.app_context():
        first = db.session.execute(select(Matter)).scalar_one()
        number, first_id = first.number, first.id
    assert (
        _intake(c, id_number="11010519491231002X", summary="再次反映村道损毁。").status_code == 302
    )
    with app.app_context():
        second_id = db.session.execute(select(Matter.id).where(Matter.id != first_id)).scalar_one()
    html = c.get(f"/letters/{second_id}").get_data(as_text=True)
    assert "可能的重复信访" in html and number in html and "身份证号码相同" in html
    resp = _intake(c, repeat_of="NO-SUCH-NUMBER")
    assert resp.status_code == 422 and "找不到该编号的信访事项" in resp.get_data(as_text=True)
    assert _intake(c, id_number="11010519491231002X", repeat_of=number).status_code == 302
    html = c.get("/letters/counts").get_data(as_text=True)
    month = date.today().strftime("%Y-%m")
    assert f"<td>{month}</td><td>县信访局</td><td>2</td><td>1</td>" in html


def test_higher_level_deadline_due_tab(app, as_user):
    c = _setup(app, as_user)
    soon = date.today() + timedelta(days=2)
    assert (
        _intake(
            c,
            external_number="市信交〔2026〕200号",
            external_source="市信访局",
            external_deadline=soon.isoformat(),
        ).status_code
        == 302
    )
    later = (date.today() + timedelta(days=25)).isoformat()
    assert (
        _intake(c, external_number="市信交〔2026〕201号", external_deadline=later).status_code
        == 302
    )
    due = c.get("/letters/?show=due").get_data(as_text=True)
    assert "市信交〔2026〕200号" in due and "市信交〔2026〕201号" not in due
