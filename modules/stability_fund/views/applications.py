"""The applications: list, new, detail with the chain, and the chain's steps."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from core.api import (
    Matter,
    StaleEdit,
    User,
    current_actor,
    data_opts,
    db,
    find_visible_matter,
    get_visible_or_404,
    opts,
    paginate,
    personal_value,
    require,
    today,
)

from .. import services
from ..blueprint import bp
from ..forms import (
    ApplicationForm,
    PaymentForm,
    RefuseForm,
    RelationForm,
    SignForm,
    UndertakingForm,
    VersionForm,
)
from ..models import GROUNDS, STATES, ReliefApplication
from ..money import plain
from ..services import FundError
from ..services.common import setting
from .common import STALE, application, refused


@bp.route("/stability-fund/")
@require("stability_fund.view")
def index():
    """Applications by state (default: those in the approval chain)."""
    state = request.args.get("state", "submitted")
    stmt = select(ReliefApplication).order_by(ReliefApplication.id.desc())
    if state in STATES:
        stmt = stmt.where(ReliefApplication.state == state)
    else:
        state = "all"
    page = paginate(stmt, request.args.get("page", 1, type=int), per_page=50)
    actor = current_actor()
    mine = {
        a.id
        for a in page.items
        if a.current_step is not None and services.signing_problem(a, a.current_step, actor) is None
    }
    return render_template(
        "stability_fund/index.html", page=page, state=state, states=STATES, mine=mine
    )


@bp.route("/stability-fund/new", methods=["GET", "POST"])
@require("stability_fund.prepare")
def new():
    """A new application (救助申请), usually opened from a matter with ``?matter_id=``."""
    form = ApplicationForm()
    form.ground.choices = opts((k, v) for k, v in GROUNDS.items() if k in setting("grounds"))
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
                ground=form.ground.data,
                case_summary=form.case_summary.data or "",
                civil_affairs=form.civil_affairs.data,
                evidence=[
                    services.Scan(f.filename, f.read(), f.mimetype or "")
                    for f in request.files.getlist("evidence")
                    if f and f.filename
                ],
            )
            try:
                app = services.create(matter, data)
            except FundError as exc:
                refused(form, exc)
            else:
                flash("已保存救助申请。", "success")
                return redirect(url_for("stability_fund.detail", app_id=app.id))
    code = 422 if request.method == "POST" else 200
    return render_template("stability_fund/new.html", form=form), code


def _staff() -> list[tuple[int, str]]:
    stmt = select(User).where(User.active.is_(True)).order_by(User.display_name)
    return [(u.id, f"{u.display_name}（{u.username}）") for u in db.session.execute(stmt).scalars()]


def detail_page(app: ReliefApplication, code: int = 200, **forms):
    """The application page with whichever forms the user may use now."""
    actor = current_actor()
    step = app.current_step
    sign = forms.get("sign_form") or SignForm(formdata=None)
    if step is not None and not sign.amount.data:
        sign.amount.data = plain(services.agreed_fen(app))
    payment = forms.get("payment_form") or PaymentForm(formdata=None)
    if not payment.amount.data:
        payment.amount.data = plain(app.unpaid_fen)
    if not payment.paid_on.data:
        payment.paid_on.data = today()
    undertaking = forms.get("undertaking_form") or UndertakingForm(formdata=None)
    if not undertaking.signed_on.data:
        undertaking.signed_on.data = today()
    relation = forms.get("relation_form") or RelationForm(formdata=None)
    relation.user_id.choices = data_opts(_staff())
    _seen, digest = services.seen_of(app) if step is not None else ("", "")
    return render_template(
        "stability_fund/detail.html",
        app=app,
        matter=app.matter,
        step=step,
        sets_amount=step is not None and step.code in ("meeting", "special"),
        sign_problem=services.signing_problem(app, step, actor) if step else None,
        pay_problem=services.paying_problem(app, actor) if app.state == "approved" else None,
        seen_sha256=digest,
        earlier=services.earlier_awards(app),
        person_name=personal_value(app.person, "name") if app.person else "",
        cap=services.cap_fen(app.kind),
        version_form=forms.get("version_form") or VersionForm(formdata=None),
        sign_form=sign,
        refuse_form=forms.get("refuse_form") or RefuseForm(formdata=None),
        undertaking_form=undertaking,
        payment_form=payment,
        relation_form=relation,
        budget=services.account(app.agency_id, app.year or today().year),
    ), code


@bp.route("/stability-fund/<int:app_id>")
@require("stability_fund.view")
def detail(app_id: int):
    """One application: what was asked, the chain and its signatures, undertaking, payments."""
    return detail_page(application(app_id))


def run_step(app_id: int, form_class, form_key: str, action):
    """Run one action from the detail page: validate, call the service, say what happened."""
    app = application(app_id)
    form = form_class()
    if hasattr(form, "user_id"):
        form.user_id.choices = data_opts(_staff())
    if not form.validate_on_submit():
        return detail_page(app, 422, **{form_key: form})
    try:
        message = action(app, form)
    except StaleEdit:
        flash(STALE, "error")
        return detail_page(application(app_id), 409)
    except FundError as exc:
        refused(form, exc)
        return detail_page(application(app_id), 422, **{form_key: form})
    flash(message, "success")
    return redirect(url_for("stability_fund.detail", app_id=app_id))


@bp.route("/stability-fund/<int:app_id>/submit", methods=["POST"])
@require("stability_fund.prepare")
def submit(app_id: int):
    def act(app, form):
        services.submit(app, form.version.data)
        return "已提交审批。"

    return run_step(app_id, VersionForm, "version_form", act)


@bp.route("/stability-fund/<int:app_id>/cancel", methods=["POST"])
@require("stability_fund.prepare")
def cancel(app_id: int):
    def act(app, form):
        services.cancel(app, form.version.data, form.note.data or "")
        return "已撤销救助申请。"

    return run_step(app_id, VersionForm, "version_form", act)


@bp.route("/stability-fund/<int:app_id>/sign", methods=["POST"])
@require("stability_fund.view")
def sign(app_id: int):
    """Sign the current step (the step's own permission is checked by the service)."""

    def act(app, form):
        step = services.sign(
            app,
            form.version.data,
            form.opinion.data or "",
            form.amount.fen,
            form.seen.data or "",
        )
        return f"已签署“{step.label}”。"

    return run_step(app_id, SignForm, "sign_form", act)


@bp.route("/stability-fund/<int:app_id>/refuse", methods=["POST"])
@require("stability_fund.view")
def refuse(app_id: int):
    def act(app, form):
        step = services.refuse(app, form.version.data, form.opinion.data or "")
        return f"已在“{step.label}”环节作出不同意的决定。"

    return run_step(app_id, RefuseForm, "refuse_form", act)
