"""Every page of the desk renders in English, with no Chinese label of the module's own left.

What people typed stays as typed (names, firms, questions, agencies, matter numbers): the test
takes the Chinese strings stored in legal_aid's tables and the agencies', users' and matters'
names out of the page before it looks for Chinese. Select options are left out (data such
as agencies and lawyers); every other text — the forms' field labels (forms.py, translated when
shown) included — and the placeholder, title and aria-label attributes of the page are checked.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.api import Agency, Matter, User, db, today
from modules.legal_aid.tests.hall import lawyer, services, setup_hall
from tests.kit import CJK, as_, chinese_left, csrf_token, post_form, register

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # rendering, not the database


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
            left[username, url] = chinese_left(html, data, checked_labels=("",))
        # The module's panel on core's matter page.
        html = client.get(f"/cases/{matter_id}").get_data(as_text=True)
        panel = re.search(r'<section class="card" id="legal-aid-matter">.*?</section>', html, re.S)
        assert panel and "Lawyer participation" in panel.group(0), username
        assert "Deadline for the legal analysis" in html  # the opinion's clock, core's table
        left[username, "/cases/<id>"] = chinese_left(panel.group(0), data, checked_labels=("",))
        if username == "supervisor":  # a desk action's message in English too
            page = f"/legal-aid/roster/{ids['l']}"
            form = {"agency_id": "0", "party": "某公司", "relation": "诉讼代理人"}
            resp = post_form(client, f"{page}/conflicts", form, token_from=page)
            assert resp.status_code == 302
            assert "Conflict of interest recorded." in client.get(page).get_data(as_text=True)
    assert not {page: chinese for page, chinese in left.items() if chinese}
