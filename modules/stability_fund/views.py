"""Pages of the relief fund: list by state, new application, detail with its steps, budgets."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from core.api import (
    Agency,
    Matter,
    StaleEdit,
    apply_errors,
    current_actor,
    db,
    fail,
    find_visible_matter,
    get_visible_or_404,
    has_permission,
    opts,
    paginate,
    require,
    today,
    visible_agency_ids,
)

from . import services
from .blueprint import bp
from .forms import (
    ApplicationForm,
    BudgetForm,
    DecisionForm,
    PaymentForm,
    RejectForm,
    VersionForm,
)
from .models import STATES, ReliefApplication
from .money import plain, yuan
from .services import FundError

STALE = "该申请已被他人修改，请刷新页面后重试。"


@bp.context_processor
def _money() -> dict:
    # Only this blueprint's pages: ``yuan(fen)`` shows ¥ with two decimals.
    return {"yuan": yuan}


def _refused(form, exc: FundError) -> None:
    """Put a refusal next to the field it concerns, or at the top of the page."""
    left = apply_errors(form, exc.errors)
    for message in left.values() if exc.errors else [str(exc)]:
        flash(message, "error")


@bp.route("/stability-fund/")
@require("stability_fund.view")
def index():
    """Applications by state (default: those waiting for someone)."""
    state = request.args.get("state", "submitted")
    stmt = select(ReliefApplication).order_by(ReliefApplication.id.desc())
    if state in STATES:
        stmt = stmt.where(ReliefApplication.state == state)
    else:
        state = "all"
    page = paginate(stmt, request.args.get("page", 1, type=int), per_page=50)
    return render_template("stability_fund/index.html", page=page, state=state, states=STATES)


@bp.route("/stability-fund/new", methods=["GET", "POST"])
@require("stability_fund.prepare")
def new():
    """A new application (救助申请), usually opened from a matter with ``?matter_id=``."""
    form = ApplicationForm()
    if request.method == "GET" and request.args.get("matter_id", type=int):
        matter = get_visible_or_404(Matter, request.args.get("matter_id", type=int))
        form.matter_number.data = matter.number
    if form.validate_on_submit():
        matter = find_visible_matter(form.matter_number.data)
        if matter is None:
            form.matter_number.errors = ["未找到该信访事项，或无权查看。"]
        else:
            data = services.ApplicationInput(
                kind=form.kind.data,
                requested_fen=form.amount.fen or 0,
                reason=form.reason.data,
                hardship=form.hardship.data,
                undertaking=form.undertaking.data,
            )
            try:
                app = services.create(matter, data)
            except FundError as exc:
                _refused(form, exc)
            else:
                flash("已保存救助申请草稿。", "success")
                return redirect(url_for("stability_fund.detail", app_id=app.id))
    code = 422 if request.method == "POST" else 200
    return render_template("stability_fund/new.html", form=form), code


def _application(app_id: int) -> ReliefApplication:
    return get_visible_or_404(ReliefApplication, app_id)


def _detail(app: ReliefApplication, code: int = 200, **forms):
    decision = forms.get("decision_form") or DecisionForm(formdata=None)
    if not decision.amount.data:
        decision.amount.data = plain(app.requested_fen)
    payment = forms.get("payment_form") or PaymentForm(formdata=None)
    if not payment.amount.data:
        payment.amount.data = plain(app.approved_fen)
    if not payment.paid_on.data:
        payment.paid_on.data = today()
    actor = current_actor()
    return render_template(
        "stability_fund/detail.html",
        app=app,
        matter=app.matter,
        version_form=forms.get("version_form") or VersionForm(formdata=None),
        decision_form=decision,
        reject_form=forms.get("reject_form") or RejectForm(formdata=None),
        payment_form=payment,
        own=actor is not None and app.prepared_by_id == actor.id,
        budget=services._budget(app.agency_id, app.year or today().year),
    ), code


@bp.route("/stability-fund/<int:app_id>")
@require("stability_fund.view")
def detail(app_id: int):
    """One application: what was asked, the decision, the payment, and the steps allowed."""
    return _detail(_application(app_id))


def _step(app_id: int, form_class, form_key: str, action):
    """Run one step from the detail page: validate, call the service, say what happened."""
    app = _application(app_id)
    form = form_class()
    if not form.validate_on_submit():
        return _detail(app, 422, **{form_key: form})
    try:
        message = action(app, form)
    except StaleEdit:
        flash(STALE, "error")
        return _detail(_application(app_id), 409)
    except FundError as exc:
        _refused(form, exc)
        return _detail(_application(app_id), 422, **{form_key: form})
    flash(message, "success")
    return redirect(url_for("stability_fund.detail", app_id=app_id))


@bp.route("/stability-fund/<int:app_id>/submit", methods=["POST"])
@require("stability_fund.prepare")
def submit(app_id: int):
    def act(app, form):
        services.submit(app, form.version.data)
        return "已提交审批。"

    return _step(app_id, VersionForm, "version_form", act)


@bp.route("/stability-fund/<int:app_id>/cancel", methods=["POST"])
@require("stability_fund.prepare")
def cancel(app_id: int):
    def act(app, form):
        services.cancel(app, form.version.data, form.note.data or "")
        return "已撤销救助申请。"

    return _step(app_id, VersionForm, "version_form", act)


@bp.route("/stability-fund/<int:app_id>/approve", methods=["POST"])
@require("stability_fund.approve")
def approve(app_id: int):
    def act(app, form):
        services.approve(app, form.version.data, form.amount.fen or 0, form.note.data or "")
        return "已批准救助申请。"

    return _step(app_id, DecisionForm, "decision_form", act)


@bp.route("/stability-fund/<int:app_id>/reject", methods=["POST"])
@require("stability_fund.approve")
def reject(app_id: int):
    def act(app, form):
        services.reject(app, form.version.data, form.note.data or "")
        return "已作出不予批准的决定。"

    return _step(app_id, RejectForm, "reject_form", act)


@bp.route("/stability-fund/<int:app_id>/pay", methods=["POST"])
@require("stability_fund.pay")
def pay(app_id: int):
    def act(app, form):
        data = services.PaymentInput(
            paid_fen=form.amount.fen or 0,
            paid_on=form.paid_on.data,
            method=form.method.data,
            reference=form.reference.data or "",
            undertaking=form.undertaking.data,
        )
        services.pay(app, form.version.data, data)
        return "已登记拨付。"

    return _step(app_id, PaymentForm, "payment_form", act)


def _agencies() -> list[Agency]:
    stmt = select(Agency).where(Agency.active.is_(True)).order_by(Agency.path)
    ids = visible_agency_ids(current_actor())
    if ids is not None:
        stmt = stmt.where(Agency.id.in_(ids))
    return list(db.session.execute(stmt).scalars())


@bp.route("/stability-fund/budget", methods=["GET", "POST"])
@require("stability_fund.view")
def budget():
    """Yearly budgets: amount, approved (used), paid, remaining; finance sets them here."""
    form = BudgetForm()
    form.agency_id.choices = opts((a.id, a.name) for a in _agencies())
    code = 200
    if request.method == "POST":
        if not has_permission("stability_fund.budget"):
            fail(403, "无权设置年度救助资金额度。")
        if form.validate_on_submit():
            try:
                services.set_budget(
                    form.agency_id.data, form.year.data, form.amount.fen or 0, form.note.data
                )
            except FundError as exc:
                _refused(form, exc)
            else:
                flash("已保存年度额度。", "success")
                return redirect(url_for("stability_fund.budget"))
        code = 422
    elif not form.year.data:
        form.year.data = today().year
    rows = [(b, services.paid_total(b)) for b in services.budgets()]
    return render_template("stability_fund/budget.html", form=form, rows=rows), code
