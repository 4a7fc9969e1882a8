"""A module's figure in evaluation (hook ``evaluation.facts``), read through evaluation's pages.

For the tests of a module that contributes one: they open a period, compute it and read the
figure's row and lists as the evaluator would, without importing evaluation.
"""

from __future__ import annotations

from datetime import timedelta

from core.api import today
from tests.kit.pages import csrf_token, post_on_page

#: The evaluator the tests install evaluation with.
EVALUATOR = {"evaluator": ("考核员", "evaluator", "XFJ")}


def computed_period(ev) -> str:
    """A custom period of the last thirty days, opened and computed by ``ev``; its page."""
    resp = ev.post(
        "/evaluation/new",
        data={
            "csrf_token": csrf_token(ev, "/evaluation/"),
            "period_type": "custom",
            "name": "近三十日",
            "starts_on": (today() - timedelta(days=30)).isoformat(),
            "ends_on": today().isoformat(),
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    page = resp.headers["Location"]
    assert post_on_page(ev, page, "compute").status_code == 302
    return page


def figure_row(html: str, code: str) -> str:
    """The department page's row of the figure ``code`` (``ValueError`` when it is absent)."""
    start = html.index(f'data-code="{code}"')
    return html[start : html.index("</tr>", start)]
