"""The hearings' figure in evaluation (hook ``evaluation.facts``): read while hearings is
installed, through evaluation's pages — neither module imports the other. Both backends: the
figure is SQL over the hearings' dates and statuses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.api import today
from tests.kit import (
    EVALUATOR,
    agency,
    as_,
    computed_period,
    figure_row,
    install_module,
    post_on_page,
    uninstall,
)

from .hearing_kit import hearing, matter, matter_at, panelist, plan, services, setup, time_passes

pytestmark = pytest.mark.both_databases
ROW_CODE = "hearing_concluded"
ROW = f'data-code="{ROW_CODE}"'


def _heard(mid: int, conclude: bool) -> None:
    """A review hearing held five days ago; concluded the next day if ``conclude``."""
    held_on = today() - timedelta(days=5)
    with as_("officer"):
        hid = services.schedule(matter(mid), plan(panelist_ids=[panelist("张律师").id])).id
    time_passes(hid, (hearing(hid).span_from - held_on).days)
    with as_("officer"):
        services.start(hearing(hid), hearing(hid).version, on=held_on)
        h = hearing(hid)
        record = services.Record(
            heard="信访人陈述诉求；承办单位说明事实与依据。",
            deliberation="听证员合议一致。",
            attended={p.id: True for p in h.participants},
        )
        services.record(h, h.version, record)
        if conclude:
            services.conclude(
                hearing(hid), hearing(hid).version, "维持原处理意见。", on=held_on + timedelta(1)
            )


def test_hearings_concluded_is_an_evaluation_figure_while_hearings_is_installed(app, as_user):
    setup(app)
    install_module(app, "evaluation", users=EVALUATOR)
    with app.app_context():
        ids = {k: matter_at("review") for k in ("concluded", "held", "plain")}
        _heard(ids["concluded"], conclude=True)
        _heard(ids["held"], conclude=False)
        numbers = {k: matter(v).number for k, v in ids.items()}
        unit = agency("COMM").id
    ev = as_user("evaluator")
    page = computed_period(ev)
    department = f"{page}/agency/{unit}"
    row = figure_row(ev.get(department).get_data(as_text=True), ROW_CODE)
    # Of the two matters heard, one has its conclusion: 1/2.
    assert "听证审结率" in row and "50.00%" in row and ">1</a>/<a" in row and ">2</a>)" in row
    listed = ev.get(f"{department}/hearing_concluded/numerator").get_data(as_text=True)
    assert numbers["concluded"] in listed and numbers["held"] not in listed
    listed = ev.get(f"{department}/hearing_concluded/denominator").get_data(as_text=True)
    assert numbers["concluded"] in listed and numbers["held"] in listed
    assert numbers["plain"] not in listed
    # Without hearings the figure is gone from a new computation, and its list too.
    with app.app_context():
        uninstall("hearings")
    assert post_on_page(ev, page, "compute").status_code == 302
    assert ROW not in ev.get(department).get_data(as_text=True)
    assert ev.get(f"{department}/hearing_concluded/numerator").status_code == 404
