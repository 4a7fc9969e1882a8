"""Fund accounts: budget, top-ups with their source, carry-over, and the balance."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from core.api import (
    Agency,
    current_actor,
    db,
    fail,
    get_visible_or_404,
    has_permission,
    opts,
    require,
    today,
    visible_agency_ids,
)

from .. import services
from ..blueprint import bp
from ..forms import BudgetForm, CarryOverForm, TopUpForm
from ..models import FundBudget
from ..services import FundError
from .common import refused


def _agencies() -> list[Agency]:
    stmt = select(Agency).where(Agency.active.is_(True)).order_by(Agency.path)
    ids = visible_agency_ids(current_actor())
    if ids is not None:
        stmt = stmt.where(Agency.id.in_(ids))
    return list(db.session.execute(stmt).scalars())


def _page(form: BudgetForm, topup: TopUpForm, code: int = 200):
    rows = [(b, services.paid_total(b)) for b in services.budgets()]
    return render_template(
        "stability_fund/budget.html",
        form=form,
        topup_form=topup,
        carry_form=CarryOverForm(formdata=None),
        rows=rows,
    ), code


def _forms() -> tuple[BudgetForm, TopUpForm]:
    choices = opts((a.id, a.name) for a in _agencies())
    posted = request.method == "POST"
    is_topup = request.form.get("which") == "topup"
    form = BudgetForm(formdata=request.form if posted and not is_topup else None)
    topup = TopUpForm(formdata=request.form if posted and is_topup else None)
    form.agency_id.choices = topup.agency_id.choices = choices
    for f in (form, topup):
        if not f.year.data:
            f.year.data = today().year
    if not topup.topped_on.data:
        topup.topped_on.data = today()
    return form, topup


@bp.route("/stability-fund/budget", methods=["GET", "POST"])
@require("stability_fund.view")
def budget():
    """Accounts per agency and year; finance sets the budget and adds top-ups here.

    Budget, top-ups, carry-in, committed, paid, carried out and the balance.
    """
    form, topup = _forms()
    if request.method == "GET":
        return _page(form, topup)
    if not has_permission("stability_fund.budget"):
        fail(403, "无权设置资金账户。")
    which = topup if request.form.get("which") == "topup" else form
    if which.validate_on_submit():
        try:
            if which is form:
                services.set_budget(
                    form.agency_id.data, form.year.data, form.amount.fen or 0, form.note.data
                )
            else:
                services.top_up(
                    topup.agency_id.data,
                    topup.year.data,
                    topup.amount.fen or 0,
                    topup.source.data,
                    topup.topped_on.data,
                )
        except FundError as exc:
            refused(which, exc)
        else:
            flash("已保存。", "success")
            return redirect(url_for("stability_fund.budget"))
    return _page(form, topup, 422)


@bp.route("/stability-fund/budget/<int:budget_id>/carry-over", methods=["POST"])
@require("stability_fund.budget")
def carry_over(budget_id: int):
    """Carry an account's balance on to the next year (结转)."""
    b = get_visible_or_404(FundBudget, budget_id)
    if not CarryOverForm().validate_on_submit():
        fail(400, "表单已过期，请刷新页面后重试。")
    try:
        amount = services.carry_over(b.agency_id, b.year)
    except FundError as exc:
        flash(str(exc), "error")
    else:
        flash(f"已结转 {amount / 100:,.2f} 元至 {b.year + 1} 年度。", "success")
    return redirect(url_for("stability_fund.budget"))
