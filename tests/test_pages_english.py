"""The clerk's daily pages in English: no Chinese left but what people typed or the system stored.

Core's login, work queue, registration form and matter page, the reception desk, the letters
desk and the public petition form, read by users who switched to English. The page's text, its
shown attributes, every field label (``checked_labels=("",)``) and every select option are
checked. Taken out first: the data of the test database (agencies, users, categories, the hall's
windows, the matter's petitioner, summary and demands, document numbers) and each clock's
explanation, a text the deadline code writes in Chinese when it computes the date and stores
with the clock.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from core.api import Agency, ContentCategory, Matter, User, db
from tests.kit import CJK, as_, chinese_left, install_module, matter_in
from tests.kit.records import Document
from tests.plugin import csrf_token, login, make_app

#: The hall's officer and the letters clerk (the shared test users have neither role).
OFFICER = {"officer": ("接访员小李", "reception_officer", "XFJ")}
LETTERS = {"letters": ("办信员小王", "letters_clerk", "XFJ")}
OPTION = re.compile(r"<option[^>]*>(.*?)</option>", re.S)


@pytest.fixture(scope="module")
def site(databases, tmp_path_factory):
    """One app for the module (SQLite): reception and letters installed, a matter in handling."""
    url = databases.new("sqlite")
    app = make_app(url, tmp_path_factory.mktemp("english-var"))
    install_module(app, "reception", users=OFFICER)
    install_module(app, "letters", users=LETTERS)
    with app.app_context():
        with as_("clerk"):
            matter_id = matter_in("in_handling").id
        matter = db.session.get(Matter, matter_id)
        values = {matter.number, matter.summary, *matter.demands, "查清事实并答复"}
        values |= {v for p in matter.parties for v in (p.person.name, p.person.address)}
        values |= {c.explanation for c in matter.clocks}
        values |= set(db.session.execute(select(Document.number)).scalars())
        for column in (Agency.name, User.display_name, ContentCategory.name):
            values |= set(db.session.execute(select(column)).scalars())
        units = db.metadata.tables["reception_unit"]
        values |= set(db.session.execute(select(units.c.name)).scalars())
        db.session.remove()
    data = sorted((v for v in values if v and CJK.search(v)), key=len, reverse=True)
    yield app, matter_id, data
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


def _english(client, username: str | None = None):
    resp = client.post("/lang/en", data={"csrf_token": csrf_token(client), "next": "/login"})
    assert resp.status_code == 302
    if username:
        assert login(client, username).status_code == 302
    return client


def _left(html: str, data: list[str]) -> list[str]:
    """The Chinese the page shows, its select options included."""
    left = chinese_left(html, data, checked_labels=("",))
    for option in OPTION.findall(html):
        text = unescape(re.sub(r"<[^>]+>", "", option))
        for value in data:
            text = text.replace(value, " ")
        left += [f"<option>{c}" for c in CJK.findall(text)]
    return left


def test_login_and_public_pages_in_english(site):
    app, _, data = site
    client = _english(app.test_client())
    html = client.get("/login").get_data(as_text=True)
    assert '<label for="username">Username</label>' in html
    assert _left(html, data) == []
    resp = client.post(
        "/login", data={"csrf_token": csrf_token(client), "username": "clerk", "password": "x"}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 401 and "Incorrect username or password." in html
    assert _left(html, data) == []
    # The public petition form of the letters module, with its question for robots.
    html = client.get("/petition/").get_data(as_text=True)
    assert re.search(r'id="challenge-question">What is \d plus \d\?<', html)
    assert _left(html, data) == []


def test_clerks_pages_in_english(site):
    app, matter_id, data = site
    pages = {
        "clerk": {
            "/cases/queue": "Work queue",
            "/cases/new": "Register a matter",
            f"/cases/{matter_id}": "In handling",  # the state, on its badge
            "/reception/desk": "Registration desk",
        },
        "supervisor": {
            "/cases/queue?tab=all": "Work queue",
            f"/cases/{matter_id}": "Supervise (appoint a follow-up officer)",
        },
        "handler": {f"/cases/{matter_id}": "Facts and reasons (as investigated and verified)"},
        "letters": {"/letters/": "Letters desk", "/letters/new": "Postmark place"},
    }
    left = {}
    for username, urls in pages.items():
        client = _english(app.test_client(), username)
        for url, label in urls.items():
            resp = client.get(url)
            assert resp.status_code == 200, (username, url)
            html = resp.get_data(as_text=True)
            assert '<html lang="en">' in html and label in html, (username, url, label)
            left[username, url] = _left(html, data)
    assert {page: chinese for page, chinese in left.items() if chinese} == {}


def test_registration_refused_in_english(site):
    """A blank registration, then one the service refuses: the reasons come back in English."""
    app, _, data = site
    client = _english(app.test_client(), "clerk")
    resp = client.post(
        "/cases/new", data={"csrf_token": csrf_token(client, "/cases/new"), "channel": "visit"}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Please enter the summary (demands, facts and reasons)." in html
    assert _left(html, data) == []
    # Past the form's checks, refused by the service (core's lifecycle writes Chinese).
    typed = {"summary": "要求补发工资", "parties-0-name": "李四", "received_on": "2999-01-01"}
    resp = client.post(
        "/cases/new",
        data={"csrf_token": csrf_token(client, "/cases/new"), "channel": "visit", **typed},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "The date received cannot be later than today." in html
    assert _left(html, [*data, *typed.values()]) == []


def test_reception_desk_refusal_in_english(site):
    """An arrival without a name and with a mistyped ID number: the desk says why in English."""
    app, _, data = site
    client = _english(app.test_client(), "clerk")
    token = csrf_token(client, "/reception/desk")
    form = {"csrf_token": token, "action": "arrive", "id_number": "110105", "head_count": "1"}
    resp = client.post("/reception/desk", data=form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Please enter the visitor&#39;s name." in html
    assert "An ID card number has 18 characters" in html
    assert _left(html, data) == []
