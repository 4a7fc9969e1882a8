"""The fund's figure in evaluation (hook ``evaluation.facts``): read while the fund is
installed, through evaluation's pages — neither module imports the other. Both backends: the
figure is SQL over the fund's tables (dates and 销号 times)."""

from __future__ import annotations

from modules.stability_fund.tests.fund import (
    STAFF,
    add_budget,
    get,
    pay_as,
    run_chain,
    submitted,
    svc,
    undertake,
)
from tests.kit import (
    EVALUATOR,
    agency,
    as_,
    computed_period,
    figure_row,
    fresh,
    install_module,
    matter_in,
    post_on_page,
    uninstall,
)

ROW_CODE = "relief_closure"
ROW = f'data-code="{ROW_CODE}"'


def test_relief_closure_is_an_evaluation_figure_while_the_fund_is_installed(app, as_user):
    install_module(app, "evaluation", users=EVALUATOR)
    install_module(app, "stability_fund", users=STAFF)
    with app.app_context():
        add_budget(10_000_000)
        ids = {k: matter_in("in_handling").id for k in ("closed", "paid", "plain")}
        for kind in ("closed", "paid"):
            app_id = submitted(fresh(ids[kind]))
            run_chain(app_id)
            undertake(app_id)
            pay_as(app_id, "cashier", 300_050)
            if kind == "closed":
                with as_("finance"):
                    a = get(app_id)
                    svc.close(a, a.version, fresh(ids[kind]).version)
        numbers = {k: fresh(v).number for k, v in ids.items()}
        cjj = agency("CJJ").id
    ev = as_user("evaluator")
    page = computed_period(ev)
    department = f"{page}/agency/{cjj}"
    row = figure_row(ev.get(department).get_data(as_text=True), ROW_CODE)
    # Of the two matters whose relief was paid, one was struck off (销号): 1/2, not scored.
    assert "救助化解销号率" in row and "50.00%" in row and ">1</a>/<a" in row and ">2</a>)" in row
    listed = ev.get(f"{department}/relief_closure/numerator").get_data(as_text=True)
    assert numbers["closed"] in listed and numbers["paid"] not in listed
    listed = ev.get(f"{department}/relief_closure/denominator").get_data(as_text=True)
    assert numbers["closed"] in listed and numbers["paid"] in listed
    assert numbers["plain"] not in listed
    # The ranking's columns are the scheme's: the figure is on the department page only.
    assert ROW not in ev.get(page).get_data(as_text=True)
    # Without the fund the figure is gone from a new computation, and its list too.
    with app.app_context():
        uninstall("stability_fund")
    assert post_on_page(ev, page, "compute").status_code == 302
    assert ROW not in ev.get(department).get_data(as_text=True)
    assert ev.get(f"{department}/relief_closure/numerator").status_code == 404
