"""The relief fund's pages in English, with no Chinese label of the module's own left.

What people typed or the system named stays as it is (agencies, users, matter numbers and
summaries, petitioners as core masks them, the application's texts, file names): the test takes
them out of the page before it looks for Chinese, with core's matter states and channels, which
core's own pages show in Chinese too. Every other text — the forms' field labels (forms.py,
``_l``) included — and the placeholder, title, aria-label and data-confirm attributes are
checked; select options are not read. One backend: nothing here is database-specific.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.api import CHANNELS, STATES, Agency, Matter, Person, User, db, mask
from modules.stability_fund.tests.fund import models, run_chain, setup_fund, submitted, undertake
from tests.kit import CJK, chinese_left, csrf_token, fresh, register

#: Columns of the fund's tables that hold what people typed (the rest are labelled by the pages).
TYPED = ("reason", "hardship", "case_summary", "opinion", "filename", "note", "source")


def _data() -> list[str]:
    """The Chinese strings the test data put on the pages, longest first."""
    values: set[str] = {*STATES.values(), *CHANNELS.values()}
    for table in db.metadata.sorted_tables:
        if table.name.startswith("stability_fund_"):
            columns = [c for c in table.c if c.name in TYPED or c.name.endswith("_filename")]
            if columns:
                values |= {v for row in db.session.execute(select(*columns)) for v in row}
    for cls, name in (
        (Agency, "name"),
        (User, "display_name"),
        (Matter, "number"),
        (Matter, "summary"),
        (Person, "name"),
    ):
        values |= {getattr(o, name) for o in db.session.execute(select(cls)).scalars()}
    for p in db.session.execute(select(Person)).scalars():  # as core masks them
        values |= {mask(p.name, "name"), mask(p.address, "address")}
    return sorted(
        (v for v in values if isinstance(v, str) and CJK.search(v)), key=len, reverse=True
    )


@pytest.mark.parametrize("backend", ["sqlite"])
def test_pages_in_english(app, as_user):
    matter_id = setup_fund(app)
    with app.app_context():
        approved = submitted(fresh(matter_id))
        run_chain(approved)
        undertake(approved)
        waiting = submitted(register(summary="另一事项：生活困难"), 100_000)
        run_chain(waiting, until="meeting")
        budget_id = db.session.execute(select(models.FundBudget.id)).scalar_one()
        data = _data()
    pages = {
        "finance": {
            "/stability-fund/?state=all": ("Relief applications",),
            f"/stability-fund/new?matter_id={matter_id}": ("Amount requested (yuan)",),
            "/stability-fund/budget": ("Annual budget (yuan)", "Top-up amount (yuan)"),
            f"/stability-fund/reports?budget_id={budget_id}": ("From",),
            f"/stability-fund/matter/{matter_id}": ("Petitioner",),
        },
        "cashier": {f"/stability-fund/{approved}": ("Amount of this payment (yuan)",)},
        "approver2": {f"/stability-fund/{waiting}": ("Amount agreed (yuan)",)},
    }
    left = {}
    for user, urls in pages.items():
        client = as_user(user)
        token = csrf_token(client, "/stability-fund/")
        assert client.post("/lang/en", data={"csrf_token": token, "next": "/"}).status_code == 302
        for url, labels in urls.items():
            resp = client.get(url)
            assert resp.status_code == 200, url
            html = resp.get_data(as_text=True)
            assert '<html lang="en">' in html, url
            for label in labels:
                assert label in html, (url, label)
            left[url] = chinese_left(html, data, checked_labels=("",))
    assert not {url: chinese for url, chinese in left.items() if chinese}
