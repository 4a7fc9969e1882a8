"""Every page of the desk renders in English, with no Chinese label of the module's own left.

What people typed stays as typed (names, firms, questions, agencies, matter numbers): the test
takes the Chinese strings stored in legal_aid's tables and the agencies', users' and matters'
names out of the page before it looks for Chinese. The field labels and select options that
forms.py renders through core's ``field`` macro are Python data the templates do not translate,
so they are left out too; every other text and the placeholder, title and aria-label attributes
of the page are checked.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

from sqlalchemy import select

from core.api import Agency, Matter, User, db, today
from modules.legal_aid.tests.hall import lawyer, services, setup_hall
from tests.kit import as_, csrf_token, register

CJK = re.compile(r"[\u4e00-\u9fff]+")
#: Attributes shown or read out to the user.
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-confirm")


class _Visible(HTMLParser):
    """The text and the shown attributes of a page, without the forms' field labels and
    options (see the module docstring), scripts and text areas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0  # inside <script>, <style>, <textarea> or <option>
        self.label: list[str] | None = None  # the text of a <label> without ``for``
        self.field_label = 0  # inside <label for=...>: a WTForms label

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "textarea", "option"):
            self.skip += 1
        elif tag == "label" and attrs.get("for"):
            self.field_label += 1
        elif tag == "label":
            self.label = []
        elif tag == "input" and attrs.get("type") == "checkbox" and self.label is not None:
            self.label = None  # core's macro: <label><input type=checkbox> {{ f.label.text }}
            self.field_label += 1
        self.parts += [attrs[a] for a in SHOWN_ATTRIBUTES if attrs.get(a)]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea", "option"):
            self.skip = max(self.skip - 1, 0)
        elif tag == "label":
            if self.label is not None:
                self.parts += self.label
            self.label = None
            self.field_label = max(self.field_label - 1, 0)

    def handle_data(self, data):
        if self.skip or self.field_label:
            return
        (self.label if self.label is not None else self.parts).append(data)


def _data() -> list[str]:
    """The Chinese strings the test data put on the pages, longest first."""
    values: set[str] = set()
    tables = [t for t in db.metadata.sorted_tables if t.name.startswith("legal_aid_")]
    for table in tables:
        for row in db.session.execute(select(table)).all():
            values |= {v for v in row if isinstance(v, str)}
    for cls, names in ((Agency, ("name",)), (User, ("display_name",)), (Matter, ("number",))):
        for obj in db.session.execute(select(cls)).scalars():
            values |= {getattr(obj, n) for n in names}
    values |= {m.summary for m in db.session.execute(select(Matter)).scalars() if m.summary}
    return sorted((v for v in values if v and CJK.search(v)), key=len, reverse=True)


def _chinese_left(html: str, data: list[str]) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    text = "\n".join(parser.parts).replace("中文", " ")  # the switch back, in its language
    for value in data:
        text = text.replace(value, " ")
    return CJK.findall(text)


def test_pages_in_english(app, as_user):
    setup_hall(app)
    with app.app_context():
        m = register()
        matter_id = m.id
        with as_("supervisor"):
            services.assign(m, lawyer("lawyer"))
            o = services.commission(m, lawyer("lawyer"), "征收补偿是否合法", today() + timedelta(9))
            services.add_mandate(m, lawyer("lawyer2"), "甲", "代理申诉", today())
            services.add_conflict(lawyer("lawyer"), relation="常年法律顾问", party="某公司")
            retiring = lawyer("lawyer2")
            services.change_status(retiring, "retired", "退休", retiring.version)
        with as_("lawyer"):
            c = services.create_consultation(
                services.ConsultationInput(
                    question="工资被拖欠两个月",
                    advice="属劳动争议，应先申请仲裁",
                    route="labour_arbitration",
                    body="沈河区劳动人事争议仲裁委员会",
                    matter_number=m.number,
                    minutes=15,
                )
            )
        ids = {"c": c.id, "o": o.id, "l": lawyer("lawyer").id}
        data = _data()
    pages = {
        "supervisor": {
            "/legal-aid/": "Lawyers on duty today",
            "/legal-aid/schedule": "Recurring duty",
            "/legal-aid/roster": "Retired",  # not core's 退出 (Log out): a msgctxt
            f"/legal-aid/roster/{ids['l']}": "Declared conflicts of interest",
            "/legal-aid/hours": "Total (hours)",
            f"/legal-aid/matters/{matter_id}": "Commission an analysis",
            f"/legal-aid/opinions/{ids['o']}": "Deadline for the analysis",
            "/legal-aid/consultations?show=all": "Legal consultations",
        },
        "lawyer": {
            "/legal-aid/": "Legal analyses commissioned from me",
            "/legal-aid/consultations": "Recorded by me",
            "/legal-aid/consultations/new": "Legal Aid Centre",
            f"/legal-aid/consultations/{ids['c']}": "Print the consultation guidance slip",
            f"/legal-aid/opinions/{ids['o']}": "Deliver the legal opinion",
        },
    }
    left = {}
    for username, urls in pages.items():
        client = as_user(username)
        token = csrf_token(client, "/legal-aid/")
        resp = client.post("/lang/en", data={"csrf_token": token, "next": "/legal-aid/"})
        assert resp.status_code == 302
        for url, label in urls.items():
            resp = client.get(url)
            assert resp.status_code == 200, (username, url)
            html = resp.get_data(as_text=True)
            assert '<html lang="en">' in html and label in html, (username, url)
            assert "Duty lawyers" in html, (username, url)  # the module's tabs and menu item
            left[username, url] = _chinese_left(html, data)
        # The module's panel on core's matter page.
        html = client.get(f"/cases/{matter_id}").get_data(as_text=True)
        panel = re.search(r'<section class="card" id="legal-aid-matter">.*?</section>', html, re.S)
        assert panel and "Lawyer participation" in panel.group(0), username
        left[username, "/cases/<id>"] = _chinese_left(panel.group(0), data)
    assert not {page: chinese for page, chinese in left.items() if chinese}
