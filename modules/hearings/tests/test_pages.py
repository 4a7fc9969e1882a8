"""The pages and the JSON API: a hearing through the desk's forms, the matter page's panel,
lists, calendar, assessments; refusals as 4xx with the Chinese reason (one backend: the
database behaviour is covered by test_clock and test_rules on both)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from core.api import today
from tests.kit import PDF_BYTES, as_, attachment_names, csrf_token, post_on_page, user

from .hearing_kit import docs, hearing, matter_at, panelist, pdf_text, setup, time_passes, venue

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def _local(day, hour="09:30") -> str:
    return f"{day.isoformat()}T{hour}"


def test_desk_flow_through_the_pages(app, as_user):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        from core.api import Matter, db

        number = db.session.get(Matter, mid).number
        officer_id, lee = user("officer").id, panelist("李代表").id
        room = venue("第一听证室").id
    c = as_user("officer")

    # The matter page offers 申请听证 and 安排听证 in the module's panel.
    page = c.get(f"/cases/{mid}").get_data(as_text=True)
    assert 'id="hearings-panel"' in page and "申请听证" in page and "安排听证" in page

    # A late application through the form is recorded as late.
    told = today() - timedelta(days=9)
    resp = c.post(
        "/hearings/apply",
        data={
            "csrf_token": csrf_token(c, "/hearings/apply"),
            "matter": number,
            "reason": "complex",
            "grounds": "申请对复核事项举行听证",
            "told_on": told.isoformat(),
            "applied_on": today().isoformat(),
        },
    )
    assert resp.status_code == 302
    app_page = resp.headers["Location"]
    html = c.get(app_page).get_data(as_text=True)
    assert 'id="late"' in html and "逾期申请" in html
    # Accepting without the reason: 422 with the Chinese message, still pending.
    resp = post_on_page(c, app_page, "accept", late_reason="")
    assert resp.status_code == 422
    assert "如因不可抗力等正当理由逾期" in resp.get_data(as_text=True)
    assert "待决定" in c.get(app_page).get_data(as_text=True)
    resp = post_on_page(c, app_page, "accept", late_reason="因洪灾交通中断，不可抗力")
    assert resp.status_code == 302

    # Scheduling too soon is refused with the earliest day named; then scheduled.
    form = {
        "csrf_token": csrf_token(c, "/hearings/new"),
        "matter": number,
        "reason": "complex",
        "venue_id": str(room),
        "presiding_officer_id": str(officer_id),
        "clerk_id": "0",
        "panelist_ids": [str(lee)],
        "public": "y",
    }
    soon = today() + timedelta(days=3)
    resp = c.post("/hearings/new", data={**form, "scheduled_at": _local(soon)})
    assert resp.status_code == 422
    assert "听证通知须至少提前 7 日送达当事人" in resp.get_data(as_text=True)
    later = today() + timedelta(days=8)
    resp = c.post(
        "/hearings/new",
        data={**form, "scheduled_at": _local(later), "ends_at": _local(later, "11:30")},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    hid = int(resp.headers["Location"].rsplit("/", 1)[1])
    detail = c.get(f"/hearings/{hid}").get_data(as_text=True)
    assert "听证通知书" in detail and "李代表" in detail and "信访人申请" in detail

    # A recusal request without its reason: 422; refused with a reason: the member stays.
    with app.app_context():
        member = hearing(hid).participants[0].id
    resp = post_on_page(
        c, f"/hearings/{hid}", "recusal", participant_id=str(member), recusal_reason=""
    )
    assert resp.status_code == 422 and "请填写申请回避的理由。" in resp.get_data(as_text=True)
    resp = post_on_page(
        c,
        f"/hearings/{hid}",
        "recusal",
        participant_id=str(member),
        recusal_reason="认为其与被反映单位有关",
        granted="n",
    )
    assert resp.status_code == 302
    # Opening before the start: 422, nothing changed.
    resp = post_on_page(c, f"/hearings/{hid}", "start")
    assert resp.status_code == 422 and "开始前不能登记听证开始" in resp.get_data(as_text=True)
    with app.app_context():
        assert hearing(hid).status == "planned"
        time_passes(hid, 9)
    # A day past its start and neither opened nor a no-show: on the late list.
    assert number in c.get("/hearings/?tab=late").get_data(as_text=True)
    assert post_on_page(c, f"/hearings/{hid}", "start").status_code == 302
    html = c.get(f"/hearings/{hid}").get_data(as_text=True)
    assert "听证程序" in html and "信访人陈述诉求和理由" in html
    with app.app_context():
        pid = hearing(hid).participants[0].id
    record = dict(
        heard="信访人陈述；承办人举证；双方质证。",
        deliberation="合议一致",
        **{f"attended-{pid}": "y", f"signature-{pid}": "refused", f"view-{pid}": "应予支持"},
    )
    # A recording that is not audio or video: 422, nothing kept, the hearing still in session.
    with app.app_context():
        files = attachment_names(mid)
    resp = post_on_page(
        c,
        f"/hearings/{hid}",
        "record",
        recordings=(io.BytesIO(b"plain text"), "录音.mp3"),
        **record,
    )
    assert resp.status_code == 422 and "录音录像“录音.mp3”：只接受" in resp.get_data(as_text=True)
    with app.app_context():
        assert (hearing(hid).status, attachment_names(mid)) == ("in_session", files)
    # The record with its evidence and the hearing's audio and video recordings.
    resp = post_on_page(
        c,
        f"/hearings/{hid}",
        "record",
        evidence=(io.BytesIO(PDF_BYTES), "补偿协议.pdf"),
        recordings=[
            (io.BytesIO(b"ID3\x04\x00" + bytes(64)), "听证录音.mp3"),
            (io.BytesIO(b"\x00\x00\x00\x18ftypisom" + bytes(64)), "听证录像.mp4"),
        ],
        **record,
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    resp = post_on_page(c, f"/hearings/{hid}", "conclude", conclusion="应按协议补发补偿款。")
    assert resp.status_code == 302
    with app.app_context():
        text = pdf_text(docs(mid, "hearing_record")[0])
        assert "拒绝签名" in text and "应予支持" in text and "证据材料：补偿协议.pdf" in text
        assert "录音录像：听证录音.mp3、听证录像.mp4" in text
        assert {"补偿协议.pdf", "听证录音.mp3", "听证录像.mp4"} <= set(attachment_names(mid))
    page = c.get(f"/cases/{mid}").get_data(as_text=True)
    assert "已作出结论" in page and "不计入期限" in page

    # Lists, calendar, API.
    assert "已作出结论" in c.get("/hearings/?tab=held").get_data(as_text=True)
    week = c.get(
        f"/hearings/calendar?venue={room}&week={(today() - timedelta(days=1)).isoformat()}"
    )
    assert week.status_code == 200 and number in week.get_data(as_text=True)
    data = c.get(f"/api/v1/matters/{mid}/hearings").get_json()
    assert data["hearings"][0]["status"] == "concluded"
    assert data["hearings"][0]["stage_label"] == "复核"
    assert data["applications"][0]["late"] is True
    assert c.get("/api/v1/hearings?tab=bogus").status_code == 400
    paths = c.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/hearings", "/api/v1/matters/{matter_id}/hearings"} <= set(paths)
    assert c.get("/api/v1/hearings/999999").status_code == 404


def test_rights_csrf_and_api_application(app, as_user, client):
    setup(app)
    with app.app_context():
        mid = matter_at("review")
        from core.api import Matter, db

        number = db.session.get(Matter, mid).number
    # No login: the API answers 401 in JSON; a user without the module's rights: 403.
    assert client.get("/api/v1/hearings").status_code == 401
    assert as_user("clerk").get("/hearings/").status_code == 403
    c = as_user("officer")
    # A form without its CSRF token is refused and writes nothing.
    resp = c.post("/hearings/apply", data={"matter": number, "reason": "major"})
    assert resp.status_code == 400
    resp = c.post(
        "/api/v1/hearings/applications",
        json={"matter": number, "applied_on": today().isoformat(), "reason": "major"},
        headers={"X-CSRFToken": csrf_token(c, "/hearings/apply")},
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["errors"]["grounds"] == "请填写申请听证的事项和理由。"
    resp = c.post(
        "/api/v1/hearings/applications",
        json={"matter": number, "applied_on": "2026-13-01", "reason": "major", "grounds": "x"},
        headers={"X-CSRFToken": csrf_token(c, "/hearings/apply")},
    )
    assert resp.status_code == 400


def test_assessment_of_a_major_decision(app, as_user):
    setup(app)
    c = as_user("officer")
    resp = c.post(
        "/hearings/assessments",
        data={
            "csrf_token": csrf_token(c, "/hearings/assessments"),
            "title": "老城区棚户区改造征收补偿方案",
            "department": "县住建局",
            "plan": "拟对老城区 320 户实施征收，货币补偿与产权调换并行。",
        },
    )
    assert resp.status_code == 302
    page = resp.headers["Location"]
    resp = post_on_page(
        c,
        page,
        "assess",
        heard_on=today().isoformat(),
        hearing_summary="听取被征收户代表、人大代表和律师意见。",
        risk="medium",
        recommendation="补偿标准公示后再决策，设立过渡安置。",
    )
    assert resp.status_code == 302
    html = c.get(page).get_data(as_text=True)
    assert "中风险" in html
    report_url = re.search(r'href="([^"]+/report\.pdf)"', html).group(1)
    pdf = c.get(report_url).data
    import subprocess

    text = "".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
        )
        .stdout.decode()
        .split()
    )
    assert "重大决策听证评估报告" in text and "中风险" in text and "老城区棚户区改造" in text
    assert (
        post_on_page(c, page, "decide", decision_taken="采纳建议，分两期实施。").status_code == 302
    )
    assert "已作出决策" in c.get(page).get_data(as_text=True)
    with app.app_context(), as_("officer"):
        pass


def test_rooms_and_roster_pages(app, as_user):
    setup(app)
    officer = as_user("officer")
    html = officer.get("/hearings/venues").get_data(as_text=True)
    assert "第一听证室" in html and "李代表" in html and "听证主持人甲" in html
    # Adding needs hearings.admin: the officer is refused, the supervisor adds a room.
    token = csrf_token(officer, "/hearings/venues")
    data = {"what": "venue", "v-name": "第三听证室", "v-capacity": "12", "csrf_token": token}
    assert officer.post("/hearings/venues", data=data).status_code == 403
    sup = as_user("supervisor")
    data["csrf_token"] = csrf_token(sup, "/hearings/venues")
    resp = sup.post("/hearings/venues", data={**data, "v-capacity": "1"})
    assert resp.status_code == 422 and "容纳人数为 2–500。" in resp.get_data(as_text=True)
    assert sup.post("/hearings/venues", data=data).status_code == 302
    assert "第三听证室" in sup.get("/hearings/venues").get_data(as_text=True)
    with app.app_context():
        officer_id = user("officer").id
    week = officer.get(f"/hearings/calendar?officer={officer_id}")
    assert week.status_code == 200 and "听证周历" in week.get_data(as_text=True)
