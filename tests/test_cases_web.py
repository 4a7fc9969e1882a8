"""The case-file pages: registration desk, history lookup, matter page, steps, files, queue,
satisfaction rating."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from sqlalchemy import select

from core.cases.lifecycle.registration import PartyInput
from core.cases.models import AssignmentSlip, Attachment, Matter, Rating
from core.extensions import db
from tests.cases_support import VALID_ID, agency, register, step, user
from tests.cases_web_support import (
    EXE_BYTES,
    HTML_BYTES,
    OPINION,
    OTHER_ID,
    PDF_BYTES,
    PNG_BYTES,
    assign_to_cjj,
    grant,
    matter,
    page_token,
    registration_form,
    step_version,
    timeline_count,
)

STALE = "该记录已被他人修改，您的修改未保存：请对照他人的修改，确认下方保留的内容后再提交"
MASKED_ID = VALID_ID[:3] + "＊" * 11 + VALID_ID[-4:]


def text(resp) -> str:
    return resp.get_data(as_text=True)


# --- registration --------------------------------------------------------------------------------


def test_clerk_registers_through_the_form_and_lands_on_the_matter(app, as_user):
    clerk = as_user("clerk")
    page = clerk.get("/cases/new")
    assert page.status_code == 200
    html = text(page)
    # Keyboard first: the lead's name has the focus, no inline script (the CSP forbids it).
    assert re.search(r'id="parties-0-name"[^>]*autofocus|autofocus[^>]*id="parties-0-name"', html)
    assert "register.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    # Three-level category from the seeded tree, with the parent of each option for the JS.
    assert "农村农业" in html and "data-parent=" in html

    resp = clerk.post(
        "/cases/new",
        data=registration_form(page_token(html), flags=["joint"], external_number="省2026-001"),
    )
    assert resp.status_code == 302, text(resp)[:2000]
    assert re.fullmatch(r"/cases/\d+", resp.headers["Location"])
    shown = clerk.get(resp.headers["Location"])
    assert shown.status_code == 200
    with app.app_context():
        m = db.session.execute(select(Matter)).scalar_one()
        assert m.state == "registered"
        assert m.demands == ["补发拆迁补偿款", "公开补偿标准"]
        assert m.flags == ["joint"]
        assert m.external_numbers == {"higher": "省2026-001"}
        assert m.lead.person.id_number == VALID_ID
        assert m.registered_by_id == user("clerk").id
        number, query_code = m.number, m.query_code
    body = text(shown)
    assert number in body and query_code in body
    assert "王大明" in body and VALID_ID in body  # the clerk holds core.personal_data.view
    assert "已登记信访事项" in body  # the flash


def test_invalid_id_number_is_shown_inline_and_nothing_is_lost(app, as_user):
    clerk = as_user("clerk")
    token = page_token(text(clerk.get("/cases/new")))
    wrong = VALID_ID[:-1] + "5"
    resp = clerk.post(
        "/cases/new",
        data=registration_form(
            token, **{"parties-0-id_number": wrong}, summary="补偿款的事，三次来访未解决。"
        ),
    )
    assert resp.status_code == 422
    html = text(resp)
    assert "身份证号码校验位不正确，请核对后重新输入。" in html
    # The message sits with the field, which is marked invalid.
    field = re.search(r'<div class="field[^"]*has-error[^"]*">(.*?)</div>\s*</div>', html, re.S)
    assert field and "parties-0-id_number" in field.group(1)
    assert f'value="{wrong}"' in html
    assert "补偿款的事，三次来访未解决。" in html
    assert 'value="13800138000"' in html
    with app.app_context():
        assert db.session.execute(select(Matter)).first() is None


def test_a_sixth_representative_is_refused_with_the_reason_next_to_the_petitioners(app, as_user):
    clerk = as_user("clerk")
    token = page_token(text(clerk.get("/cases/new")))
    data = registration_form(token, head_count="30", **{"parties-0-is_representative": "y"})
    for i in range(1, 6):
        data[f"parties-{i}-name"] = f"代表{i}"
        data[f"parties-{i}-is_representative"] = "y"
    resp = clerk.post("/cases/new", data=data)
    assert resp.status_code == 422
    html = text(resp)
    assert "代表人数不超过 5 人（条例第20条第3款），当前为 6 人" in html
    assert '<details class="parties" open' in html
    assert 'value="代表5"' in html
    with app.app_context():
        assert db.session.execute(select(Matter)).first() is None


def test_blank_rows_between_parties_keep_errors_on_the_right_row(app, as_user):
    clerk = as_user("clerk")
    token = page_token(text(clerk.get("/cases/new")))
    data = registration_form(token, head_count="3")
    data["parties-3-name"] = "李四"
    data["parties-3-id_number"] = "12345"
    resp = clerk.post("/cases/new", data=data)
    assert resp.status_code == 422
    html = text(resp)
    row = re.search(r'name="parties-3-id_number"[^>]*>\s*<div class="error"[^>]*>([^<]+)<', html)
    assert row and "18 位" in row.group(1)


def test_only_clerks_reach_the_registration_desk(as_user):
    assert as_user("handler").get("/cases/new").status_code == 403
    assert as_user("nobody").get("/cases/new").status_code == 403


# --- the person's earlier matters ----------------------------------------------------------------


def test_history_lists_earlier_matters_of_the_id_number_within_the_record_rules(app, as_user):
    with app.app_context():
        first = register(summary="第一次反映拆迁补偿问题" * 10)
        second = register(received_on=date.today(), summary="再次反映补偿款未支付")
        register(parties=[PartyInput(name="李四", id_number=OTHER_ID)])
        # The same person petitioned in the neighbouring county: not the clerk's to see.
        from core.accounts.actor import acting_as
        from core.cases.lifecycle.registration import Registration, register_matter

        with acting_as(user("clerk")):
            register_matter(
                Registration(
                    channel="letter",
                    summary="邻县的事项",
                    received_on=date.today(),
                    parties=[PartyInput(name="王大明", id_number=VALID_ID)],
                ),
                agency=agency("OTHER"),
            )
        ids = (first.id, second.id)
    clerk = as_user("clerk")
    resp = clerk.get(f"/cases/history?id_number={VALID_ID.lower()}")
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["id_number_problem"] is None
    assert [m["id"] for m in data["matters"]] == [ids[1], ids[0]]
    newest = data["matters"][0]
    assert newest["state_label"] == "已登记"
    assert newest["url"] == f"/cases/{ids[1]}"
    assert newest["received_on"] == date.today().isoformat()
    assert len(data["matters"][1]["summary"]) <= 60 and data["matters"][1]["summary"].endswith("…")
    assert "邻县的事项" not in resp.get_data(as_text=True)

    bad = clerk.get(f"/cases/history?id_number={VALID_ID[:-1]}5").get_json()
    assert bad["id_number_problem"] and bad["matters"] == []
    assert clerk.get("/cases/history").status_code == 400
    assert as_user("handler").get(f"/cases/history?id_number={VALID_ID}").status_code == 403


def test_marking_a_repeat_links_the_new_matter(app, as_user):
    with app.app_context():
        earlier = register()
        number, earlier_id = earlier.number, earlier.id
    clerk = as_user("clerk")
    token = page_token(text(clerk.get("/cases/new")))
    resp = clerk.post("/cases/new", data=registration_form(token, repeat_of=number))
    assert resp.status_code == 302
    with app.app_context():
        new = db.session.execute(select(Matter).where(Matter.id != earlier_id)).scalar_one()
        assert new.repeat_of_id == earlier_id and not new.first_petition
    refused = clerk.post("/cases/new", data=registration_form(token, repeat_of="NOPE"))
    assert refused.status_code == 422
    assert "找不到该编号的信访事项" in text(refused)


# --- the matter page: masking and sealing --------------------------------------------------------


def test_personal_data_is_masked_for_a_viewer_without_the_permission(app, as_user):
    with app.app_context():
        m = register()
        assign_to_cjj(m.id)
        mid = m.id
    leader = text(as_user("cjj_leader").get(f"/cases/{mid}"))  # unit_leader: no personal data
    assert MASKED_ID in leader and VALID_ID not in leader
    assert "138＊＊＊＊8000" in leader and "13800138000" not in leader
    assert "王＊＊" in leader and "王大明" not in leader
    handler = text(as_user("handler").get(f"/cases/{mid}"))  # case_handler: may see it
    assert VALID_ID in handler and "13800138000" in handler


def test_users_without_case_rights_or_outside_the_record_rules_do_not_see_a_matter(app, as_user):
    with app.app_context():
        mid = register().id
    assert as_user("nobody").get(f"/cases/{mid}").status_code == 403
    assert as_user("town_handler").get(f"/cases/{mid}").status_code == 404
    assert as_user("handler").get(f"/cases/{mid}").status_code == 404  # not assigned to CJJ yet


def test_sealed_accuser_is_hidden_from_the_complained_unit_even_with_the_permission(app, as_user):
    with app.app_context():
        m = register(purpose="accusation", complained_agency_id=agency("CJJ").id)
        assert m.accuser_sealed
        assign_to_cjj(m.id)
        mid = m.id
    handler = as_user("handler")  # CJJ, holds core.personal_data.view
    html = text(handler.get(f"/cases/{mid}"))
    assert "（已保密）" in html
    for secret in ("王大明", VALID_ID, "13800138000", "王＊＊", MASKED_ID):
        assert secret not in html
    # The assignment slip names the petitioner: withheld from the complained unit.
    with app.app_context():
        slip_doc = db.session.execute(select(Attachment).where(Attachment.kind == "document"))
        doc_id = slip_doc.scalars().first().id
    assert handler.get(f"/cases/{mid}/attachments/{doc_id}").status_code == 404
    # The accuser's letter uploaded at the bureau is withheld; the unit's own files are not.
    assert upload(as_user("clerk"), mid, PDF_BYTES, "检举信.pdf").status_code == 302
    assert upload(handler, mid, PNG_BYTES, "现场核查.png").status_code == 302
    with app.app_context():
        files = dict(
            db.session.execute(
                select(Attachment.filename, Attachment.id).where(Attachment.kind == "upload")
            ).all()
        )
    html = text(handler.get(f"/cases/{mid}"))
    assert "检举信.pdf" not in html and "现场核查.png" in html
    assert handler.get(f"/cases/{mid}/attachments/{files['检举信.pdf']}").status_code == 404
    assert handler.get(f"/cases/{mid}/attachments/{files['现场核查.png']}").status_code == 200
    # Nor does looking the accuser up by ID number reveal the matter to the unit.
    with app.app_context():
        grant("case_handler", "core.cases.register")
    assert handler.get(f"/cases/history?id_number={VALID_ID}").get_json()["matters"] == []
    clerk = text(as_user("clerk").get(f"/cases/{mid}"))
    assert "王大明" in clerk and VALID_ID in clerk


# --- steps on the matter page --------------------------------------------------------------------


def test_assign_from_the_page_then_accept_as_handler(app, as_user):
    with app.app_context():
        mid = register().id
        cjj = agency("CJJ").id
    supervisor = as_user("supervisor")
    html = text(supervisor.get(f"/cases/{mid}"))
    assert "交办" in html and "转送" in html
    deadline = (date.today() + timedelta(days=20)).isoformat()
    resp = supervisor.post(
        f"/cases/{mid}/actions/assign",
        data={
            "assign-csrf_token": page_token(html),
            "assign-version": step_version(html, "assign"),
            "assign-agency_id": str(cjj),
            "assign-standard": "查清补偿款支付情况，书面答复信访人",
            "assign-deadline": deadline,
        },
    )
    assert resp.status_code == 302, text(resp)[:3000]
    page = text(supervisor.get(resp.headers["Location"]))
    assert "已完成“交办”" in page and "信访事项交办单" in page
    with app.app_context():
        m = matter(mid)
        assert m.state == "assigned" and m.handling_agency_id == cjj
        slip = db.session.execute(select(AssignmentSlip)).scalar_one()
        assert slip.deadline.isoformat() == deadline

    handler = as_user("handler")
    html = text(handler.get(f"/cases/{mid}"))
    assert "受理并书面告知" in html
    resp = handler.post(
        f"/cases/{mid}/actions/accept",
        data={
            "accept-csrf_token": page_token(html),
            "accept-version": step_version(html, "accept"),
        },
    )
    assert resp.status_code == 302
    with app.app_context():
        m = matter(mid)
        assert m.state == "in_handling"
        assert m.handler_id == user("handler").id
        assert [c.kind for c in m.clocks if c.open] == ["assignment", "handling"]


def test_stale_version_is_refused_with_409_and_nothing_is_written(app, as_user):
    with app.app_context():
        mid = register().id
    supervisor = as_user("supervisor")
    html = text(supervisor.get(f"/cases/{mid}"))
    version = step_version(html, "assign")
    # Someone else acts on the matter after the page was opened.
    with app.app_context():
        step(mid, "clerk", "propose", text="建议交办住建局")
        before = timeline_count(mid)
    resp = supervisor.post(
        f"/cases/{mid}/actions/assign",
        data={
            "assign-csrf_token": page_token(html),
            "assign-version": version,
            "assign-agency_id": str(agency_id_of("CJJ", app)),
            "assign-standard": "查清",
            "assign-deadline": (date.today() + timedelta(days=10)).isoformat(),
        },
    )
    assert resp.status_code == 409
    page = text(resp)
    assert STALE in page
    with app.app_context():
        m = matter(mid)
        assert m.state == "registered"
        assert timeline_count(mid) == before
        assert db.session.execute(select(AssignmentSlip)).first() is None
    # What the other person did, and what this user typed, both on the page again.
    stale = page[page.index('id="stale"') :]
    assert "拟办意见" in stale and "建议交办住建局" in stale
    assert '<dt>办理要求/标准</dt><dd class="pre">查清</dd>' in stale
    assert re.search(r'<textarea[^>]*name="assign-standard"[^>]*>\s*查清</textarea>', page)
    # The kept form carries the version now shown: sending it again goes through.
    assert step_version(page, "assign") == str(m.version)
    again = supervisor.post(
        f"/cases/{mid}/actions/assign",
        data={
            "assign-csrf_token": page_token(page),
            "assign-version": step_version(page, "assign"),
            "assign-agency_id": str(agency_id_of("CJJ", app)),
            "assign-standard": "查清",
            "assign-deadline": (date.today() + timedelta(days=10)).isoformat(),
        },
    )
    assert again.status_code == 302


def agency_id_of(code: str, app) -> int:
    with app.app_context():
        return agency(code).id


def test_a_refused_step_shows_the_reason_with_422(app, as_user):
    with app.app_context():
        mid = register().id
    supervisor = as_user("supervisor")
    html = text(supervisor.get(f"/cases/{mid}"))
    resp = supervisor.post(
        f"/cases/{mid}/actions/assign",
        data={
            "assign-csrf_token": page_token(html),
            "assign-version": step_version(html, "assign"),
            "assign-agency_id": str(agency_id_of("CJJ", app)),
            "assign-standard": "查清",
            "assign-deadline": date.today().isoformat(),
        },
    )
    assert resp.status_code == 422
    assert "请填写晚于今天的办理期限。" in text(resp)
    missing = supervisor.post(
        f"/cases/{mid}/actions/assign",
        data={
            "assign-csrf_token": page_token(html),
            "assign-version": step_version(html, "assign"),
        },
    )
    assert missing.status_code == 422
    assert "请选择有权处理的机关（责任单位）。" in text(missing)
    with app.app_context():
        assert matter(mid).state == "registered"


def test_steps_need_their_permission(app, as_user):
    with app.app_context():
        mid = register().id
    clerk = as_user("clerk")
    html = text(clerk.get(f"/cases/{mid}"))
    assert "/actions/assign" not in html  # only the steps the clerk may take are offered
    resp = clerk.post(
        f"/cases/{mid}/actions/assign",
        data={"assign-csrf_token": page_token(html), "assign-version": "1"},
    )
    assert resp.status_code == 403


def test_opinion_form_lists_each_demand_with_an_outcome(app, as_user):
    with app.app_context():
        m = register(demands=["补发拆迁补偿款", "公开补偿标准"])
        assign_to_cjj(m.id)
        step(m.id, "handler", "accept")
        mid = m.id
    handler = as_user("handler")
    html = text(handler.get(f"/cases/{mid}"))
    assert 'value="公开补偿标准"' in html and "draft_opinion-demands-1-outcome" in html
    resp = handler.post(
        f"/cases/{mid}/actions/draft_opinion",
        data={
            "draft_opinion-csrf_token": page_token(html),
            "draft_opinion-version": step_version(html, "draft_opinion"),
            "draft_opinion-demands-0-demand": "补发拆迁补偿款",
            "draft_opinion-demands-0-outcome": "support",
            "draft_opinion-demands-1-demand": "公开补偿标准",
            "draft_opinion-demands-1-outcome": "explain",
            "draft_opinion-demands-2-demand": "",
            "draft_opinion-demands-2-outcome": "",
            "draft_opinion-facts": OPINION["facts"],
            "draft_opinion-basis": OPINION["basis"],
        },
    )
    assert resp.status_code == 302, text(resp)[:3000]
    with app.app_context():
        assert matter(mid).state == "opinion_pending"


# --- clocks --------------------------------------------------------------------------------------


def test_matter_page_shows_clocks_with_their_explanation(app, as_user):
    with app.app_context():
        m = register()
        late = register(received_on=date.today() - timedelta(days=40))
        due, explanation = m.clocks[0].due.isoformat(), m.clocks[0].explanation
        late_days = (date.today() - late.clocks[0].due).days
        mid, late_id = m.id, late.id
    clerk = as_user("clerk")
    html = text(clerk.get(f"/cases/{mid}"))
    assert "登记转送交办" in html and "条例第22条" in html and due in html
    assert '<details class="explain"><summary>如何计算</summary>' in html
    assert explanation.splitlines()[0] in html
    assert "已超期" not in html
    assert f"已超期 {late_days} 日" in text(clerk.get(f"/cases/{late_id}"))


# --- files ---------------------------------------------------------------------------------------


def upload(client, mid: int, data: bytes, name: str):
    html = text(client.get(f"/cases/{mid}"))
    return client.post(
        f"/cases/{mid}/attachments",
        data={"csrf_token": page_token(html), "file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_upload_and_download_through_the_checks(app, as_user):
    with app.app_context():
        mid = register().id
    clerk = as_user("clerk")
    resp = upload(clerk, mid, PNG_BYTES, "现场照片.png")
    assert resp.status_code == 302, text(resp)[:2000]
    with app.app_context():
        att = db.session.execute(select(Attachment)).scalar_one()
        att_id, stored = att.id, att.stored_name
        assert att.content_type == "image/png" and att.filename == "现场照片.png"
    page = text(clerk.get(f"/cases/{mid}"))
    assert f"/cases/{mid}/attachments/{att_id}" in page and "现场照片.png" in page
    download = clerk.get(f"/cases/{mid}/attachments/{att_id}")
    assert download.status_code == 200
    assert download.data == PNG_BYTES
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]
    # Never reachable as a static file.
    assert clerk.get(f"/static/{stored}").status_code == 404


def test_disguised_files_are_refused(app, as_user):
    with app.app_context():
        mid = register().id
    clerk = as_user("clerk")
    for data, name, message in (
        (EXE_BYTES, "扫描件.pdf", "只接受 PDF、JPEG、PNG 文件。"),
        (HTML_BYTES, "照片.png", "只接受 PDF、JPEG、PNG 文件。"),
        (b"", "空.pdf", "文件为空。"),
    ):
        resp = upload(clerk, mid, data, name)
        assert resp.status_code == 422, name
        assert message in text(resp)
    with app.app_context():
        assert db.session.execute(select(Attachment)).first() is None


def test_a_malicious_file_name_is_stored_under_a_random_name_and_shown_sanitised(app, as_user):
    with app.app_context():
        mid = register().id
    clerk = as_user("clerk")
    resp = upload(clerk, mid, PDF_BYTES, "../../etc/passwd.pdf")
    assert resp.status_code == 302
    with app.app_context():
        att = db.session.execute(select(Attachment)).scalar_one()
        assert att.filename == "passwd.pdf"
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", att.stored_name)
        root = Path(app.config["MINSHENG_VAR_DIR"]) / "attachments"
        stored = root / att.stored_name[:2] / att.stored_name
        assert stored.read_bytes() == PDF_BYTES
        assert not (root.parent.parent / "etc" / "passwd.pdf").exists()
        att_id = att.id
    page = text(clerk.get(f"/cases/{mid}"))
    assert "passwd.pdf" in page and "../" not in page.split("文书与附件")[1]
    download = clerk.get(f"/cases/{mid}/attachments/{att_id}")
    assert "passwd.pdf" in download.headers["Content-Disposition"]
    assert "/" not in download.headers["Content-Disposition"].split("filename")[1]


def test_another_agency_cannot_download(app, as_user):
    with app.app_context():
        mid = register().id
        other = register().id
    clerk = as_user("clerk")
    upload(clerk, mid, PDF_BYTES, "材料.pdf")
    with app.app_context():
        att_id = db.session.execute(select(Attachment.id)).scalar_one()
    assert as_user("town_handler").get(f"/cases/{mid}/attachments/{att_id}").status_code == 404
    assert as_user("handler").get(f"/cases/{mid}/attachments/{att_id}").status_code == 404
    # The file of one matter cannot be fetched through another.
    assert clerk.get(f"/cases/{other}/attachments/{att_id}").status_code == 404
    assert as_user("nobody").get(f"/cases/{mid}/attachments/{att_id}").status_code == 403


# --- the work queue ------------------------------------------------------------------------------


def queue_numbers(client, tab: str) -> set[str]:
    html = text(client.get(f"/cases/queue?tab={tab}"))
    return set(re.findall(r'href="/cases/\d+">([^<]+)</a>', html))


def test_queue_tabs_hold_the_right_matters(app, as_user):
    today = date.today()
    with app.app_context():
        late = register(received_on=today - timedelta(days=40), summary="早已超期的来访")
        fresh = register(received_on=today)
        mine = register()
        assign_to_cjj(mine.id, days=2)  # the slip's deadline is in two days
        step(mine.id, "handler", "accept")
        pending = register()
        assign_to_cjj(pending.id)
        step(pending.id, "handler", "accept")
        step(pending.id, "handler", "draft_opinion", **OPINION)
        numbers = {k: v.number for k, v in (("late", late), ("fresh", fresh), ("mine", mine))}
        numbers["pending"] = pending.number

    handler = as_user("handler")
    assert queue_numbers(handler, "mine") == {numbers["mine"], numbers["pending"]}
    assert numbers["mine"] in queue_numbers(handler, "due_soon")
    assert numbers["fresh"] not in queue_numbers(handler, "due_soon")
    assert numbers["late"] not in queue_numbers(handler, "overdue")  # not visible to CJJ

    supervisor = as_user("supervisor")
    review = queue_numbers(supervisor, "review")
    assert {numbers["late"], numbers["fresh"]} <= review  # registered, waiting for triage
    assert numbers["mine"] not in review
    assert numbers["late"] in queue_numbers(supervisor, "overdue")
    assert numbers["fresh"] not in queue_numbers(supervisor, "overdue")

    leader = as_user("cjj_leader")
    assert queue_numbers(leader, "review") == {numbers["pending"]}  # opinion to approve
    assert leader.get("/cases/queue/counts").get_json()["review"] == 1

    assert queue_numbers(as_user("town_handler"), "all") == set()
    nobody = as_user("nobody")
    page = nobody.get("/cases/queue")
    assert page.status_code == 200 and "没有办理信访事项的权限" in text(page)
    assert numbers["late"] not in text(page)


def test_queue_search_finds_by_number(app, as_user):
    # The 全部 tab's box hands words to the search page (the index, not a LIKE over every row).
    with app.app_context():
        a = register()
        register()
        number = a.number
    clerk = as_user("clerk")
    resp = clerk.get(f"/cases/queue?tab=all&q={number}")
    assert resp.status_code == 302 and "/cases/search?q=" in resp.headers["Location"]
    html = text(clerk.get(f"/cases/queue?tab=all&q={number}", follow_redirects=True))
    assert set(re.findall(r'href="/cases/\d+">([^<]+)</a>', html)) == {number}


def active_tab(html: str) -> str:
    m = re.search(r'data-tab="(\w+)" class="active"', html)
    assert m, "no active tab on the page"
    return m.group(1)


def test_queue_counts_come_from_their_own_endpoint_within_the_record_rules(app, as_user):
    with app.app_context():
        register()
        register()
        register(received_on=date.today() - timedelta(days=40))  # disposition overdue
        due = register()
        assign_to_cjj(due.id, days=2)  # the slip is due in two days, for CJJ
    supervisor = as_user("supervisor")
    resp = supervisor.get("/cases/queue/counts")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "private, no-store"
    counts = resp.get_json()
    assert set(counts) == {"mine", "due_soon", "overdue", "review"}
    assert counts["review"] == 3 and counts["mine"] == 0
    assert counts["overdue"] == 1  # the 15-day disposition of the 40-day-old matter
    # Another agency counts its own queue: CJJ sees the slip due soon, not XFJ's triage.
    handler = as_user("handler").get("/cases/queue/counts").get_json()
    assert handler["due_soon"] == 1 and handler["review"] == 0
    assert as_user("town_handler").get("/cases/queue/counts").get_json() == dict.fromkeys(counts, 0)
    assert as_user("nobody").get("/cases/queue/counts").status_code == 403


def test_queue_counts_stop_past_the_cap(app, as_user, monkeypatch):
    from core.cases.web import queue

    with app.app_context():
        for _ in range(3):
            register()
    monkeypatch.setattr(queue, "TAB_COUNT_CAP", 1)
    supervisor = as_user("supervisor")
    assert supervisor.get("/cases/queue/counts").get_json()["review"] == 2  # "1+"
    html = text(supervisor.get("/cases/queue?tab=review"))
    assert 'data-count-cap="1"' in html


def test_queue_page_renders_without_counting(app, as_user, monkeypatch):
    from core.cases.web import queue

    with app.app_context():
        number = register().number

    def refuse(*args, **kwargs):
        raise AssertionError("the queue page must not count")

    monkeypatch.setattr(queue, "counts", refuse)
    monkeypatch.setattr(queue, "_count", refuse)
    supervisor = as_user("supervisor")
    for tab in ("all", "mine", "due_soon", "overdue", "review", ""):
        resp = supervisor.get(f"/cases/queue?tab={tab}")
        assert resp.status_code == 200, tab
    html = text(supervisor.get("/cases/queue?tab=all"))
    assert number in html and "共 1 条" in html
    # No badges in the HTML: queue.js fetches them (a local file, allowed by the CSP).
    assert 'class="count' not in html
    assert 'data-counts-url="/cases/queue/counts"' in html
    assert '<script src="/static/core/queue.js"></script>' in html
    script = supervisor.get("/static/core/queue.js")
    assert script.status_code == 200
    script.close()


def test_queue_default_tab_is_the_first_with_something_waiting(app, as_user):
    with app.app_context():
        due = register()
        assign_to_cjj(due.id, days=2)
    # Nothing of their own, nothing to review: the slip due in two days.
    assert active_tab(text(as_user("handler").get("/cases/queue"))) == "due_soon"
    with app.app_context():
        accepted = register()
        assign_to_cjj(accepted.id)
        step(accepted.id, "handler", "accept")
        step(accepted.id, "handler", "draft_opinion", **OPINION)
    # The handler's own matters come first …
    assert active_tab(text(as_user("handler").get("/cases/queue"))) == "mine"
    # … the unit leader handles none: the opinion waiting for approval before the deadlines.
    assert active_tab(text(as_user("cjj_leader").get("/cases/queue"))) == "review"
    # Nothing anywhere: 我的. An explicit tab is kept.
    assert active_tab(text(as_user("town_handler").get("/cases/queue"))) == "mine"
    assert active_tab(text(as_user("handler").get("/cases/queue?tab=overdue"))) == "overdue"


def test_queue_all_tab_pages_by_key_without_duplicates(app, as_user):
    with app.app_context():
        other = register(summary="最早的一件来访").number
        numbers = [register(summary=f"物业维修资金纠纷第{i}件").number for i in range(32)]
    numbers = [other, *numbers]
    supervisor = as_user("supervisor")
    first = text(supervisor.get("/cases/queue?tab=all"))
    found = re.findall(r'href="/cases/\d+">([^<]+)</a>', first)
    assert found == numbers[::-1][:30]  # newest first
    assert "共" not in first  # not counted
    m = re.search(r'<a href="([^"]+)">下一页', first)
    assert m, "no next link"
    link = m.group(1).replace("&amp;", "&")
    assert "after=" in link and "page=" not in link and "tab=all" in link
    second = text(supervisor.get(link))
    rest = re.findall(r'href="/cases/\d+">([^<]+)</a>', second)
    assert rest == numbers[::-1][30:]
    assert not set(found) & set(rest) and rest[-1] == other
    assert "下一页" not in second and "第一页" in second
    # An old link by page number still works.
    old = text(supervisor.get("/cases/queue?tab=all&page=2"))
    assert re.findall(r'href="/cases/\d+">([^<]+)</a>', old) == rest
    # A small tab still pages by number.
    assert "下一页" not in text(supervisor.get("/cases/queue?tab=review&page=2"))


# --- satisfaction --------------------------------------------------------------------------------


def delivered(app, reply_days_ago: int, **kw) -> int:
    """A matter handled to the delivery of its opinion, replied ``reply_days_ago`` days ago."""
    with app.app_context():
        m = register(**kw)
        assign_to_cjj(m.id)
        step(m.id, "handler", "accept")
        step(m.id, "handler", "draft_opinion", **OPINION)
        step(m.id, "cjj_leader", "approve_opinion")
        step(m.id, "handler", "record_delivery", method="in_person")
        m = matter(m.id)
        m.reply_received_on = date.today() - timedelta(days=reply_days_ago)
        db.session.commit()
        return m.id


def rate(client, mid: int, target: str, value: str, reason: str = ""):
    html = text(client.get(f"/cases/{mid}"))
    return client.post(
        f"/cases/{mid}/rating/{target}",
        data={
            f"rate_{target}-csrf_token": page_token(html),
            f"rate_{target}-target": target,
            f"rate_{target}-value": value,
            f"rate_{target}-method": "phone",
            f"rate_{target}-reason": reason,
        },
    )


def test_rating_within_the_window_is_recorded_and_audited(app, as_user):
    mid = delivered(app, 3)
    supervisor = as_user("supervisor")
    html = text(supervisor.get(f"/cases/{mid}"))
    assert "待评价" in html
    resp = rate(supervisor, mid, "bureau", "satisfied")
    assert resp.status_code == 302, text(resp)[:2000]
    resp = rate(supervisor, mid, "unit", "dissatisfied", "补偿款仍未到账")
    assert resp.status_code == 302
    with app.app_context():
        ratings = {r.target: r for r in db.session.execute(select(Rating)).scalars()}
        assert ratings["bureau"].value == "satisfied"
        assert ratings["unit"].reason == "补偿款仍未到账"
        from core.audit import AuditEvent

        assert (
            len(
                db.session.execute(
                    select(AuditEvent).where(AuditEvent.action == "matter.rate")
                ).all()
            )
            == 2
        )
    page = text(supervisor.get(f"/cases/{mid}"))
    assert page.count("已评价") >= 2 and "补偿款仍未到账" in page
    again = rate(supervisor, mid, "bureau", "satisfied")
    assert again.status_code in (403, 422)


def test_dissatisfied_needs_a_reason(app, as_user):
    mid = delivered(app, 1)
    resp = rate(as_user("supervisor"), mid, "unit", "dissatisfied")
    assert resp.status_code == 422
    assert "评价为“不满意”时，须记录信访人不满意的理由。" in text(resp)
    with app.app_context():
        assert db.session.execute(select(Rating)).first() is None


def test_rating_after_the_window_is_refused_and_counts_as_overdue(app, as_user):
    mid = delivered(app, 31)
    supervisor = as_user("supervisor")
    html = text(supervisor.get(f"/cases/{mid}"))
    assert "超期未评价" in html
    assert "/rating/bureau" not in html
    resp = rate_direct(supervisor, mid, html)
    assert resp.status_code == 422
    assert "已超过评价期限" in text(resp)
    with app.app_context():
        assert db.session.execute(select(Rating)).first() is None


def rate_direct(client, mid: int, html: str):
    return client.post(
        f"/cases/{mid}/rating/bureau",
        data={
            "rate_bureau-csrf_token": page_token(html),
            "rate_bureau-value": "satisfied",
            "rate_bureau-method": "phone",
        },
    )


def test_rating_window_is_configurable(app, as_user):
    app.config["MINSHENG_RATING_WINDOW_DAYS"] = 10
    mid = delivered(app, 12)
    supervisor = as_user("supervisor")
    html = text(supervisor.get(f"/cases/{mid}"))
    assert "超期未评价" in html
    assert rate_direct(supervisor, mid, html).status_code == 422


def test_law_related_matters_are_not_rated(app, as_user):
    mid = delivered(app, 2, flags=["law_related"])
    supervisor = as_user("supervisor")
    html = text(supervisor.get(f"/cases/{mid}"))
    assert "不参加评价" in html
    resp = rate_direct(supervisor, mid, html)
    assert resp.status_code == 422 and "涉法涉诉事项不纳入群众满意度评价" in text(resp)


def test_rating_needs_the_permission(app, as_user):
    mid = delivered(app, 2)
    handler = as_user("handler")
    html = text(handler.get(f"/cases/{mid}"))
    assert "/rating/bureau" not in html
    assert rate_direct(handler, mid, html).status_code == 403


def test_files_need_the_personal_data_right_because_they_cannot_be_masked(app, as_user):
    from datetime import date as _date

    from sqlalchemy import select as _select

    from core.cases.models import Document
    from core.extensions import db as _db
    from tests.cases_support import agency, register, step

    with app.app_context():
        m = register(received_on=_date(2026, 6, 1))
        step(m.id, "supervisor", "forward", on=_date(2026, 6, 1), agency_id=agency("CJJ").id)
        step(m.id, "handler", "accept", on=_date(2026, 6, 2))
        att_id = _db.session.execute(
            _select(Document.attachment_id).where(Document.matter_id == m.id)
        ).scalar_one()
        mid = m.id
    # The CJJ leader sees the matter (masked) but may not see identities unmasked.
    leader = as_user("cjj_leader")
    assert leader.get(f"/cases/{mid}").status_code == 200
    refused = leader.get(f"/cases/{mid}/attachments/{att_id}")
    assert refused.status_code == 403
    assert "个人信息" in refused.get_data(as_text=True)
    assert as_user("handler").get(f"/cases/{mid}/attachments/{att_id}").status_code == 200


def test_queue_page_queries_do_not_grow_with_its_rows(app, as_user):
    # The page loads only the columns a row shows; anything else read per row would be a lazy
    # load per matter (N+1). The same number of statements for 2 and for 12 rows.
    from sqlalchemy import event

    supervisor = as_user("supervisor")
    seen: list[str] = []

    def count(conn, cursor, statement, params, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
        for _ in range(2):
            register()
    event.listen(engine, "before_cursor_execute", count)
    try:
        for tab in ("all", "review"):
            supervisor.get(f"/cases/queue?tab={tab}")
        few = len(seen)
        with app.app_context():
            for _ in range(10):
                register()
        seen.clear()
        for tab in ("all", "review"):
            assert supervisor.get(f"/cases/queue?tab={tab}").status_code == 200
        assert len(seen) == few
    finally:
        event.remove(engine, "before_cursor_execute", count)
