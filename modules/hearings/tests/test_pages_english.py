"""The hearings pages in English: every page of the module shows no Chinese of its own.

Data stays as entered (names, rooms, the matter's summary), and so do the official documents
(PDF). The forms are checked too: their field labels (forms.py, translated when shown) and
every other text; only select options and typed data are left out (``chinese_left``).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.api import Matter, db, today
from tests.kit import as_, chinese_left, csrf_token, login, post_on_page

from .hearing_kit import hearing, matter_at, panelist, plan, services, setup, time_passes, user


@pytest.fixture
def backend():
    return "sqlite"


def _english(client, url: str, data: list[str]) -> str:
    """The page at ``url`` in English: the only Chinese in its content is ``data``."""
    resp = client.get(url)
    assert resp.status_code == 200, url
    html = resp.get_data(as_text=True)
    assert '<html lang="en">' in html
    main = re.search(r"<main>(.*)</main>", html, re.S)
    assert main, url
    left = chinese_left(main.group(1), sorted(data, key=len, reverse=True), checked_labels=("",))
    assert not left, f"Chinese left on {url}: {left}"
    return html


def test_every_page_in_english(app, client):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        other = db.session.get(Matter, matter_at("review"))
        h_agency = user("officer").agency_id
        with as_("officer"):
            hid = services.schedule(
                db.session.get(Matter, mid), plan(panelist_ids=[panelist("李代表").id])
            ).id
            aid = services.apply(
                other, told_on=today(), applied_on=today(), reason="major", grounds="补偿标准"
            ).id
            sid = services.plan("旧城改造方案", "县住建局", "拆迁补偿标准", agency_id=h_agency).id
        h = hearing(hid)
        petitioner, number = services.petitioner_label(h.matter), h.matter.number
        data = [petitioner, h.matter.summary, h.venue, h.presiding_officer.display_name, "李代表"]
        data += [services.petitioner_label(other), other.summary, other.number, "补偿标准"]
        data += ["旧城改造方案", "县住建局", "拆迁补偿标准", "第一听证室", "小会议室"]
        data += ["张律师", "王教授", "听证主持人乙", "听证记录员", h.matter.lead.person.name]
        data += [other.lead.person.name]
        day, room = (h.scheduled_at + timedelta(hours=8)).date(), h.venue_id
    assert client.post("/lang/en", data={"csrf_token": csrf_token(client)}).status_code == 302
    assert login(client, "supervisor").status_code == 302

    html = _english(client, "/hearings/", data)
    assert "<h1>Petition hearings</h1>" in html and ">Upcoming</a>" in html
    assert "Hearing room" in html and "Scheduled" in html and "Re-review" in html
    html = _english(client, f"/hearings/{hid}", data)
    for label in ("Presiding officer", "Hearing notice", "Re-review deadline", "Open the hearing"):
        assert label in html, label
    html = _english(client, f"/hearings/calendar?venue={room}&week={day.isoformat()}", data)
    assert "Weekly hearing calendar" in html and "Next week" in html and "<th>Mon " in html
    assert number in html and "Scheduled" in html
    for url, label in {
        "/hearings/?tab=applications": "Awaiting decision",
        "/hearings/?tab=held": "Held",
        "/hearings/?tab=late": "Overdue",
        "/hearings/apply": "Date of application",
        "/hearings/new": "Panel members (from the panel roster)",
        f"/hearings/applications/{aid}": "Reason for not accepting",
        "/hearings/venues": "Name of the hearing room",
        "/hearings/assessments": "Proposed decision",
        f"/hearings/assessments/{sid}": "Social stability risk level",
    }.items():
        assert label in _english(client, url, data), (url, label)
    # The forms of a hearing in session: the record, attendance, signatures, no-show.
    with app.app_context():
        time_passes(hid, 9)
        with as_("officer"):
            services.start(hearing(hid), hearing(hid).version)
    assert "Deliberation" in _english(client, f"/hearings/{hid}", data)
    # A desk action's message in English too (its stored reason stays as typed).
    resp = post_on_page(client, f"/hearings/{hid}", "suspend", suspend_reason="需要重新鉴定")
    assert resp.status_code == 302
    assert "The hearing has been suspended." in _english(
        client, f"/hearings/{hid}", [*data, "需要重新鉴定"]
    )
    # The module's panel on core's matter page.
    html = client.get(f"/cases/{mid}").get_data(as_text=True)
    panel = re.search(r'<section class="card"[^>]*id="hearings-panel">.*?</section>', html, re.S)
    assert panel and "Petition hearings" in panel.group(0)
    assert "Deadline for the hearing conclusion" in html  # its clock, in core's deadline table
    assert not chinese_left(panel.group(0), data, checked_labels=("",))
