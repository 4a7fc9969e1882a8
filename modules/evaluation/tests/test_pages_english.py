"""The evaluation pages in English, with no Chinese label of the module's own left.

Data: ``data.small_june`` (June 2026, computed), plus an adjustment and two self-assessments
(one awaiting review, one returned with a note) so that every table of the period page has rows.
What people typed or the system named stays as it is (agencies, users, periods, the scheme's
name, matter numbers, the leader on a 交办单, reasons and notes), and so do core's matter states
and channels, which core's own pages show in Chinese too: the test takes them out of the page
before it looks for Chinese. Every text, the field labels of forms.py (``_l``, translated when
shown) and the placeholder, title, aria-label and data-confirm attributes are checked; select
options are not read. One backend: nothing here is database-specific.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.api import CHANNELS, STATES, Agency, Matter, User, db
from tests.kit import CJK, as_, chinese_left, csrf_token

from .data import small_june


def _data() -> list[str]:
    """The Chinese strings of the data on the pages, longest first."""
    values: set[str] = {"王副县长", *STATES.values(), *CHANNELS.values()}
    tables = [t for t in db.metadata.sorted_tables if t.name.startswith("evaluation_")]
    for table in tables:
        for row in db.session.execute(select(table)).all():
            values |= {v for v in row if isinstance(v, str)}
    for cls, name in ((Agency, "name"), (User, "display_name"), (Matter, "number")):
        values |= {getattr(o, name) for o in db.session.execute(select(cls)).scalars()}
    return sorted((v for v in values if v and CJK.search(v)), key=len, reverse=True)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_pages_in_english(app, as_user):
    june = small_june(app)
    with app.app_context():
        from modules.evaluation import services
        from modules.evaluation.models import EvaluationPeriod

        period = db.session.get(EvaluationPeriod, june["period_id"])
        with as_("evaluator"):
            services.add_adjustment(period, period.version, june["cjj"], -1.5, "B 超期受理")
            returned = services.submit(period, june["town"], 80, "已尽力")
            services.review(returned, returned.version, False, "F 未受理，自评偏高")
        with as_("cjj_leader"):
            services.submit(period, june["cjj"], 95, "均按期")
        data = _data()
    page, cjj, town = june["page"], june["cjj"], june["town"]
    pages = {
        "/evaluation/": ("<h1>Department evaluation</h1>", "Evaluation scheme (indicators"),
        page: ("Timely acceptance rate", "What each figure counts", "Returned for revision: "),
        "/evaluation/dashboard": ("Evaluation dashboard", "Total scores by unit", "Leader-owned"),
        f"{page}/agency/{town}": ("Numerator counts", "Review note: "),
        f"{page}/agency/{cjj}/timely_acceptance/denominator": ("Matter no.", "Reply delivered"),
        "/evaluation/scheme": ("Evaluation scheme: ", "Deduction cap"),
    }
    client = as_user("evaluator")
    token = csrf_token(client, "/evaluation/")
    resp = client.post("/lang/en", data={"csrf_token": token, "next": "/evaluation/"})
    assert resp.status_code == 302
    left = {}
    for url, labels in pages.items():
        resp = client.get(url)
        assert resp.status_code == 200, url
        html = resp.get_data(as_text=True)
        assert '<html lang="en">' in html and ">Department evaluation</a>" in html, url
        for label in labels:
            assert label in html, (url, label)
        left[url] = chinese_left(html, data, checked_labels=("",))
    assert not {url: chinese for url, chinese in left.items() if chinese}
