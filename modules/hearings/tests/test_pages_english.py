"""The hearings pages in English: the list, a hearing and the weekly calendar show no Chinese.

Data stays as entered (names, rooms, the matter's summary), and so do the official documents
(PDF). The forms are checked too: their field labels (forms.py, translated when shown) and
every other text; only select options and typed data are left out (``chinese_left``).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.api import Matter, db
from tests.kit import as_, chinese_left, csrf_token, login

from .hearing_kit import hearing, matter_at, panelist, plan, services, setup


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


def test_list_hearing_and_calendar_in_english(app, client):
    setup(app)
    with app.app_context():
        mid = matter_at("rereview")
        with as_("officer"):
            hid = services.schedule(
                db.session.get(Matter, mid), plan(panelist_ids=[panelist("李代表").id])
            ).id
        h = hearing(hid)
        petitioner, number = services.petitioner_label(h.matter), h.matter.number
        data = [petitioner, h.matter.summary, h.venue, h.presiding_officer.display_name, "李代表"]
        day, room = (h.scheduled_at + timedelta(hours=8)).date(), h.venue_id
    assert client.post("/lang/en", data={"csrf_token": csrf_token(client)}).status_code == 302
    assert login(client, "officer").status_code == 302

    html = _english(client, "/hearings/", data)
    assert "<h1>Petition hearings</h1>" in html and ">Upcoming</a>" in html
    assert "Hearing room" in html and "Scheduled" in html and "Re-review" in html
    html = _english(client, f"/hearings/{hid}", data)
    for label in ("Presiding officer", "Hearing notice", "Re-review deadline", "Open the hearing"):
        assert label in html, label
    html = _english(client, f"/hearings/calendar?venue={room}&week={day.isoformat()}", data)
    assert "Weekly hearing calendar" in html and "Next week" in html and "<th>Mon " in html
    assert number in html and "Scheduled" in html
