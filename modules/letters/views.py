"""Pages of the letters desk (staff) and of online petitions (public, no login).

Each service is one transaction that commits or rolls back by itself: a view only catches the
refusals (``LetterError``, ``AttachmentRefused``) to show them on the form.
"""

from __future__ import annotations

import hmac
import re
from datetime import date, timedelta

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from sqlalchemy import select

from core.api import (
    N_,
    STATES,
    Agency,
    AttachmentRefused,
    Matter,
    Opinion,
    User,
    apply_errors,
    current_actor,
    db,
    fail,
    get_visible_or_404,
    has_permission,
    identity_sealed_for,
    paginate,
    render_pdf,
    require,
    today,
)

from . import services
from .blueprint import bp
from .forms import (
    BATCH_ROWS,
    FirstHandlerForm,
    JointReviewForm,
    LetterForm,
    OnlineForm,
    QueryForm,
    RateForm,
    ReplyForm,
    ReviewForm,
)
from .models import Letter, OutgoingMail
from .services import LetterError

SESSION_KEY = "letters_matter"
CHALLENGE_KEY = "letters_challenge"
NOT_FOUND = N_("未查到与该查询码对应的信访事项，请核对后重试。")
TOO_MANY = N_("操作过于频繁，请稍后再试。")
#: The challenge's question as services.new_challenge words it (kept in the session so).
_QUESTION = re.compile(r"^(\d+) 加 (\d+) 等于几？$")


def _shown_question(question: str | None) -> str | None:
    """The challenge's question in the reader's language."""
    m = _QUESTION.match(question or "")
    if m is None:
        return question
    return gettext("%(a)s 加 %(b)s 等于几？", a=m.group(1), b=m.group(2))


def _files(field: str = "files") -> list[tuple[str, bytes]]:
    out = []
    for f in request.files.getlist(field):
        if f.filename:
            out.append((f.filename, f.read()))
        f.close()  # large uploads are spooled to temporary files
    return out


def _refused(form, exc: LetterError) -> None:
    """The refusal on the form: messages by field, the rest and the summary as flashes."""
    for message in apply_errors(form, exc.errors).values():
        flash(message, "error")
    flash(gettext(str(exc)), "error")


# --- public: online petitions ----------------------------------------------------------------


def _render_online(form: OnlineForm, status: int = 200):
    question = None
    if services.setting("challenge"):
        previous = session.get(CHALLENGE_KEY)
        token, question = services.new_challenge(tuple(previous) if previous else None)
        session[CHALLENGE_KEY] = [token, question]
        form.challenge_token.data = token
        form.challenge_answer.data = ""
    return render_template(
        "letters/online.html",
        form=form,
        question=_shown_question(question),
        max_files=services.setting("max_files"),
        max_mb=services.setting("max_file_mb"),
    ), status


@bp.route("/petition/", methods=["GET", "POST"])
def online():
    """The public form: submit a petition with attachments and receive the 查询码."""
    form = OnlineForm()
    if request.method == "GET":
        return _render_online(form)
    if not services.allow("submit", int(services.setting("submit_limit"))):
        flash(gettext(TOO_MANY), "error")
        return _render_online(form, 429)
    if form.website.data:
        # The honeypot was filled in: a program, not a person. Say nothing useful.
        flash(gettext("提交未成功，请稍后再试。"), "error")
        return _render_online(form, 400)
    if services.setting("challenge") and not services.check_challenge(
        form.challenge_token.data or "", form.challenge_answer.data or ""
    ):
        form.challenge_answer.errors = [gettext("验证题答案不正确，请重新作答。")]
        return _render_online(form, 422)
    if not form.validate():
        return _render_online(form, 422)
    petition = services.OnlinePetition(
        name=form.name.data or "",
        content=form.content.data or "",
        id_number=form.id_number.data or "",
        mobile=form.mobile.data or "",
        address=form.address.data or "",
    )
    try:
        matter = services.submit_online(petition, _files())
    except AttachmentRefused as exc:
        form.files.errors = [str(exc)]
        return _render_online(form, 422)
    except LetterError as exc:
        _refused(form, exc)
        return _render_online(form, 422)
    return render_template("letters/submitted.html", code=matter.query_code, matter=matter)


@bp.route("/petition/query", methods=["GET", "POST"])
def query():
    """Enter the 查询码; a wrong code and a guessed one get the same answer, and both count."""
    form = QueryForm()
    if request.method == "POST":
        if not services.allow("query", int(services.setting("query_limit"))):
            flash(gettext(TOO_MANY), "error")
            return render_template("letters/query.html", form=form), 429
        matter = services.find_by_code(form.code.data or "") if form.validate() else None
        if matter is None:
            session.pop(SESSION_KEY, None)
            flash(gettext(NOT_FOUND), "error")
            return render_template("letters/query.html", form=form), 404
        # The code never goes into a URL (logs, history) nor into the cookie, which anyone at a
        # shared kiosk can read (signed, not encrypted): the session holds the matter's id and
        # a keyed digest of its code, which stays on the server.
        session[SESSION_KEY] = [matter.id, _code_digest(matter)]
        return redirect(url_for("letters.status"))
    return render_template("letters/query.html", form=form)


def _code_digest(matter: Matter) -> str:
    key = str(current_app.secret_key or "").encode()
    message = f"letters-query:{matter.id}:{matter.query_code}".encode()
    return hmac.new(key, message, "sha256").hexdigest()


def _session_matter() -> Matter | None:
    held = session.get(SESSION_KEY)
    if not isinstance(held, list) or len(held) != 2 or not isinstance(held[0], int):
        return None
    matter = db.session.execute(select(Matter).where(Matter.id == held[0])).scalar_one_or_none()
    # A code re-issued since (or a forged id) no longer matches: nothing is shown.
    if matter is None or not hmac.compare_digest(_code_digest(matter), str(held[1])):
        return None
    return matter


@bp.route("/petition/status")
def status():
    """Progress, the delivered reply and the rating form of the petition of this session."""
    matter = _session_matter()
    if matter is None:
        return redirect(url_for("letters.query"))
    return _render_status(matter, RateForm())


def _render_status(matter: Matter, form: RateForm, code: int = 200):
    return (
        render_template(
            "letters/status.html",
            progress=services.public_progress(matter),
            reply=services.delivered_reply(matter),
            ratings=services.public_ratings(matter),
            rating_open=services.rating_open(matter),
            window_end=services.rating_window_end(matter),
            targets=services.RATING_TARGETS,
            values=services.RATING_VALUES,
            outcomes={"support": "予以支持", "explain": "作出解释说明", "not_support": "不予支持"},
            form=form,
        ),
        code,
    )


@bp.route("/petition/rate", methods=["POST"])
def rate():
    """The petitioner rates the bureau and the responsible unit."""
    matter = _session_matter()
    if matter is None:
        return redirect(url_for("letters.query"))
    form = RateForm()
    form.validate()
    try:
        services.rate_online(
            matter,
            {"bureau": form.bureau.data or "", "unit": form.unit.data or ""},
            form.reason.data or "",
        )
    except LetterError as exc:
        _refused(form, exc)
        return _render_status(matter, form, 422)
    flash(gettext("感谢您的评价。"), "success")
    return redirect(url_for("letters.status"))


@bp.route("/petition/leave", methods=["POST"])
def leave():
    """Forget the query code in this browser."""
    session.pop(SESSION_KEY, None)
    return redirect(url_for("letters.query"))


# --- staff: the letters desk -----------------------------------------------------------------


@bp.route("/letters/")
@require("letters.view")
def desk():
    """The desk's queue: letters and online petitions, newest first; open ones by default."""
    show = request.args.get("show", "open")
    stmt = select(Letter).join(Matter, Matter.id == Letter.matter_id).order_by(Letter.id.desc())
    if show == "open":
        stmt = stmt.where(Matter.closed_at.is_(None), Matter.reply_received_on.is_(None))
    elif show == "due":
        stmt = stmt.where(
            Letter.external_deadline <= today() + timedelta(days=services.REMIND_DAYS),
            Matter.closed_at.is_(None),
            Matter.reply_received_on.is_(None),
        )
    elif show in ("online", "paper", "higher"):
        stmt = stmt.where(Letter.kind == show)
    page = paginate(stmt, request.args.get("page", 1, type=int), 50)
    return render_template(
        "letters/desk.html",
        page=page,
        show=show,
        states=STATES,
        deadline_state=services.deadline_state,
        page_url=lambda n: url_for("letters.desk", show=show, page=n),
    )


def _letter_input(form: LetterForm) -> services.LetterInput:
    return services.LetterInput(
        name=form.name.data or "",
        summary=form.summary.data or "",
        received_on=form.received_on.data,
        id_number=form.id_number.data or "",
        mobile=form.mobile.data or "",
        address=form.address.data or "",
        demands=form.demands.data or "",
        postmark_on=form.postmark_on.data,
        postmark_place=form.postmark_place.data or "",
        envelope=form.envelope.data or "",
        pages=form.pages.data or 0,
        external_number=form.external_number.data or "",
        external_source=form.external_source.data or "",
        external_deadline=form.external_deadline.data,
        anonymous=bool(form.anonymous.data),
        repeat_of=form.repeat_of.data or "",
    )


@bp.route("/letters/new", methods=["GET", "POST"])
@require("letters.intake")
def intake():
    """Enter one letter: envelope, postmark, scanned pages; a higher-level number if any."""
    form = LetterForm()
    if request.method == "GET":
        form.received_on.data = today()
    if form.validate_on_submit():
        try:
            letter = services.intake(_letter_input(form), _files())
        except AttachmentRefused as exc:
            form.files.errors = [str(exc)]
        except LetterError as exc:
            _refused(form, exc)
        else:
            flash(gettext("已登记来信 %(number)s。", number=letter.matter.number), "success")
            return redirect(url_for("letters.detail", matter_id=letter.matter_id))
    status = 422 if request.method == "POST" else 200
    return render_template("letters/new.html", form=form), status


@bp.route("/letters/batch", methods=["GET", "POST"])
@require("letters.intake")
def batch():
    """A morning's post on one screen: one row per letter; blank rows are skipped."""
    rows = []
    for i in range(BATCH_ROWS):
        rows.append({k: request.form.get(f"rows-{i}-{k}", "") for k in ROW_FIELDS})
    registered, problems = [], {}
    if request.method == "POST":
        received_on = _date(request.form.get("received_on")) or today()
        for i, row in enumerate(rows):
            if not any(row.values()):
                continue
            if not row["summary"].strip():
                problems[i] = gettext("请填写内容摘要。")
                continue
            li = services.LetterInput(
                name=row["name"],
                summary=row["summary"],
                received_on=received_on,
                mobile=row["mobile"],
                address=row["address"],
                postmark_on=_date(row["postmark_on"]),
                anonymous=not row["name"].strip(),
            )
            try:
                letter = services.intake(li)
            except (LetterError, AttachmentRefused) as exc:
                problems[i] = " ".join([str(exc), *getattr(exc, "errors", {}).values()])
                continue
            registered.append(letter)
            rows[i] = dict.fromkeys(ROW_FIELDS, "")
        if registered:
            flash(gettext("已登记 %(n)s 封来信。", n=len(registered)), "success")
    return render_template(
        "letters/batch.html",
        rows=rows,
        problems=problems,
        registered=registered,
        received_on=request.form.get("received_on") or today().isoformat(),
    ), (422 if problems else 200)


ROW_FIELDS = ("name", "mobile", "address", "postmark_on", "summary")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _letter(matter_id: int) -> Letter:
    matter = get_visible_or_404(Matter, matter_id)
    letter = services.letter_for(matter)
    if letter is None:
        fail(404, "该信访事项不是来信或网上信访。")
    return letter


def _detail(letter: Letter, code: int = 200, **forms):
    matter = letter.matter
    handler_form = forms.get("handler_form") or FirstHandlerForm()
    users = db.session.execute(
        select(User).where(User.active.is_(True)).order_by(User.display_name)
    ).scalars()
    handler_form.user_id.choices = [(u.id, u.display_name) for u in users]  # names, as typed
    joint_form = forms.get("joint_form") or JointReviewForm()
    agencies = db.session.execute(
        select(Agency).where(Agency.active.is_(True)).order_by(Agency.path)
    ).scalars()
    joint_form.agencies.choices = [(a.id, a.name) for a in agencies]
    reply_form = forms.get("reply_form") or ReplyForm()
    if (
        not reply_form.recipient.data
        and matter.lead is not None
        and has_permission("core.personal_data.view")
        and not identity_sealed_for(matter, current_actor())
    ):
        reply_form.recipient.data = matter.lead.person.name
        reply_form.address.data = matter.lead.person.address or ""
    outgoing = db.session.execute(
        select(OutgoingMail).where(OutgoingMail.matter_id == matter.id).order_by(OutgoingMail.id)
    ).scalars()
    return render_template(
        "letters/detail.html",
        letter=letter,
        matter=matter,
        state_label=STATES.get(matter.state, matter.state),
        deadline_state=services.deadline_state(letter),
        handler_form=handler_form,
        joint_form=joint_form,
        reply_form=reply_form,
        reply=services.delivered_reply(matter),
        outgoing=list(outgoing),
        candidates=services.repeat_candidates(matter) if matter.repeat_of_id is None else [],
    ), code


@bp.route("/letters/<int:matter_id>")
@require("letters.view")
def detail(matter_id: int):
    """A letter: envelope, higher-level number and deadline, first handler, joint review."""
    return _detail(_letter(matter_id))


@bp.route("/letters/<int:matter_id>/label.pdf")
@require("letters.view")
def label(matter_id: int):
    """The number label stuck on the paper letter."""
    letter = _letter(matter_id)
    pdf = render_pdf("letters/pdf/label.html", {"letter": letter, "matter": letter.matter})
    return Response(pdf, mimetype="application/pdf")


@bp.route("/letters/<int:matter_id>/first-handler", methods=["POST"])
@require("letters.manage")
def first_handler(matter_id: int):
    """Name the first handler (首办责任制)."""
    letter = _letter(matter_id)
    form = FirstHandlerForm()
    try:
        services.set_first_handler(letter, request.form.get("user_id", type=int) or 0)
    except LetterError as exc:
        flash(str(exc), "error")
        return _detail(letter, 422, handler_form=form)
    flash(gettext("已指定首办责任人。"), "success")
    return redirect(url_for("letters.detail", matter_id=matter_id))


@bp.route("/letters/<int:matter_id>/joint-review", methods=["POST"])
@require("letters.manage")
def joint_review(matter_id: int):
    """Record a joint review (会审) with the units concerned."""
    letter = _letter(matter_id)
    ids = [int(v) for v in request.form.getlist("agencies") if v.isdigit()]
    try:
        services.record_joint_review(letter, ids, request.form.get("conclusion", ""))
    except LetterError as exc:
        flash(str(exc), "error")
        return _detail(letter, 422)
    flash(gettext("已记录会审。"), "success")
    return redirect(url_for("letters.detail", matter_id=matter_id))


@bp.route("/letters/<int:matter_id>/reply.pdf", methods=["POST"])
@require("letters.manage")
def reply_pdf(matter_id: int):
    """The reply letter laid out for a window envelope; entered in the outgoing register."""
    letter = _letter(matter_id)
    reply = services.delivered_reply(letter.matter) or _approved_opinion(letter.matter)
    if reply is None:
        fail(409, "处理意见尚未出具，不能打印答复函。")
    form = ReplyForm()
    if not form.validate():
        return _detail(letter, 422, reply_form=form)
    mail = services.register_outgoing(letter.matter, form.recipient.data, form.address.data or "")
    pdf = render_pdf(
        "letters/pdf/reply.html",
        {"letter": letter, "matter": letter.matter, "reply": reply, "mail": mail},
    )
    return Response(pdf, mimetype="application/pdf")


def _approved_opinion(matter: Matter):
    opinion = Opinion.__table__
    row = (
        db.session.execute(
            select(opinion)
            .where(opinion.c.matter_id == matter.id, opinion.c.approved_at.is_not(None))
            .order_by(opinion.c.id.desc())
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


@bp.route("/letters/outgoing")
@require("letters.view")
def outgoing():
    """The register of outgoing mail."""
    stmt = select(OutgoingMail).order_by(OutgoingMail.id.desc())
    page = paginate(stmt, request.args.get("page", 1, type=int), 50)
    return render_template(
        "letters/outgoing.html",
        page=page,
        page_url=lambda n: url_for("letters.outgoing", page=n),
    )


@bp.route("/letters/disagreements", methods=["GET", "POST"])
@require("letters.review")
def disagreements():
    """Review of disagreements (评查): letters whose writer disagreed with the answer."""
    if request.method == "POST":
        letter = _letter(request.form.get("matter_id", type=int) or 0)
        form = ReviewForm()
        try:
            services.record_review(letter, form.note.data or "")
        except LetterError as exc:
            flash(str(exc), "error")
        else:
            flash(gettext("已记录评查意见。"), "success")
        return redirect(url_for("letters.disagreements"))
    return render_template(
        "letters/disagreements.html",
        rows=services.disagreements(),
        states=STATES,
        form=ReviewForm(),
    )


@bp.route("/letters/counts")
@require("letters.stats")
def counts():
    """First and repeat letters by month and unit."""
    return render_template("letters/counts.html", rows=services.counts())
