"""The permission matrix, second layer: every role × every route with a record id × the record
in the user's own agency, one under it, a sibling, the parent agency, another county, and the
sibling's with its matters assigned to the user's agency.

Generated from the registered routes: every route with an ``<int:…>`` in its URL has a line in
``RECORD_ROUTES`` (the permission its answer depends on and where its ids come from), so a route
added without one fails ``test_every_record_route_has_a_line``. The world is the demo (core's and
every module's ``Manifest.demo``: matters with their documents, hearings, consultations, relief
applications, evaluation periods…) plus what the demo lacks (a letter, reception visits, a leader
reception day with an appointment, a commissioned opinion, lawyers' conflicts, an uploaded file,
an assessed hearing-assessment, a self-assessment, a bulletin), and one user per role of the
installed suite, all in the demo's housing bureau (SH-ZJJ). For each column every agency-scoped
row is moved to the column's agency, so one set of records stands in each agency in turn; a URL's
agency (or user) id is the column's agency (a user of it). In the last column the matters are
visible to every role (``MatterAccess``), the modules' own records on them are not.

What each cell expects, in the order the house checks it: the route's permission missing → 403
(asked in the sibling column only: the permission comes first, so the answer is the same in every
column); the record outside the user's record rules → 404 (the house hides what it does not show:
``get_visible_or_404``; a unit's evaluation figures are refused with a reason, 403); a second
permission checked on the record (a step's, the upload's, the unmasked files') → 403; else 200 for
a page, a PDF, a download or an API object, and for a POST what its empty form answers
(``EMPTY_POST``). The POSTs the matrix refuses change nothing in the database; they are asked in
the columns ``POST_COLUMNS`` (the rule's arms are core's one query, asked through every page).

Masked fields: no page, PDF or API answer of the matrix shows a role without
``core.personal_data.view`` an ID number or phone number stored in any personal field; a user
holding every permission but that one reads every output (each GET route, searches, CSV and
Excel exports, the API, PDFs' text) and never sees one either; with the permission they are
shown, and each request that showed them is in the audit log. Lists: a user with every
permission but the wider record rules finds the matters in no list once they are another
agency's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import delete, inspect, select, text, update
from werkzeug.routing import IntegerConverter

from core.accounts.masking import VIEW_PERMISSION
from core.accounts.record_rules import ALL, BUREAU
from core.registry.installer import install
from tests.plugin import TOKEN_RE, login, make_app
from tests.reliability.test_permission_matrix import IGNORED, answer

# --- what each route's answer depends on --------------------------------------------------------


def has(permission: str):
    """The role holds ``permission``."""
    return lambda perms: permission in perms


def cases(perms: frozenset[str]) -> bool:
    """The role works on the case file (``core.cases.web.access.can_view_cases``)."""
    return bool(perms & {ALL, BUREAU}) or any(p.startswith("core.cases.") for p in perms)


def cases_and(permission: str):
    return lambda perms: cases(perms) and permission in perms


def any_of(*permissions: str):
    return lambda perms: bool(perms & set(permissions))


@dataclass(frozen=True)
class Line:
    """One route: its gate (403 before anything), where its ids come from, whether its record is
    agency-scoped (404 outside the record rules), and a permission checked on the record (403)."""

    gate: object
    ids: dict[str, str]
    scoped: bool = True
    inner: object = None
    #: Values of the URL's other parts (a step's name, an action).
    parts: dict[str, str] = field(default_factory=dict)
    #: The answer outside the record rules.
    hidden: str = "404"
    #: The record is the matter itself (visible where the matter was assigned or forwarded).
    matter: bool = False


M = {"matter_id": "matter"}
UNIT = {"period_id": "period", "agency_id": "agency"}


RECORD_ROUTES: dict[str, Line] = {
    # core: the case file, its files and its API; the admin pages of users and agencies
    "core.matter_view": Line(cases, M, matter=True),
    "core.matter_action": Line(
        cases, M, matter=True, inner=has("core.cases.handle"), parts={"name": "accept"}
    ),
    "core.matter_upload": Line(
        cases,
        M,
        matter=True,
        inner=any_of(
            "core.cases.register",
            "core.cases.triage",
            "core.cases.handle",
            "core.cases.approve",
            "core.cases.supervise",
            "core.cases.review",
        ),
    ),
    "core.matter_attachment": Line(
        cases,
        {"matter_id": "attachment_matter", "attachment_id": "attachment"},
        matter=True,
        inner=has("core.personal_data.view"),
    ),
    "core.matter_rate": Line(
        cases, M, matter=True, inner=has("core.cases.rate"), parts={"target": "bureau"}
    ),
    "core.api_matter": Line(cases, M, matter=True),
    "core.api_transition": Line(
        cases, M, matter=True, inner=has("core.cases.handle"), parts={"name": "accept"}
    ),
    "core.api_rate": Line(cases_and("core.cases.rate"), M, matter=True),
    "core.agencies": Line(has("core.admin.agencies"), {"agency_id": "agency"}, scoped=False),
    "core.user_edit": Line(has("core.admin.users"), {"user_id": "user"}, scoped=False),
    # evaluation: periods are the bureau's; a unit's figures are read within the record rules
    "evaluation.period": Line(has("evaluation.view"), {"period_id": "period"}, scoped=False),
    "evaluation.period_charts": Line(has("evaluation.view"), {"period_id": "period"}, False),
    "evaluation.compute": Line(has("evaluation.manage"), {"period_id": "period"}, False),
    "evaluation.publish": Line(has("evaluation.manage"), {"period_id": "period"}, False),
    "evaluation.publish_bulletin": Line(has("evaluation.manage"), {"period_id": "period"}, False),
    "evaluation.adjust": Line(has("evaluation.manage"), {"period_id": "period"}, False),
    # A unit's figures outside the record rules are refused with a reason (403): the unit
    # is named in the URL, not hidden (``modules.evaluation.services.drill.REFUSED``).
    "evaluation.department": Line(has("evaluation.view"), UNIT, hidden="403"),
    "evaluation.drill_matters": Line(has("evaluation.view"), UNIT, hidden="403"),
    "evaluation.drill": Line(
        has("evaluation.view"),
        UNIT,
        parts={"code": "timely_acceptance", "part": "numerator"},
        hidden="403",
    ),
    "evaluation.assess": Line(has("evaluation.self_assess"), UNIT, hidden="403"),
    "evaluation.review": Line(has("evaluation.manage"), {"assessment_id": "evaluation"}, False),
    "evaluation.bulletin": Line(has("evaluation.view"), {"bulletin_id": "bulletin"}, False),
    # hearings
    "hearings.detail": Line(has("hearings.view"), {"hearing_id": "hearing"}),
    "hearings.api_hearing": Line(has("hearings.view"), {"hearing_id": "hearing"}),
    "hearings.api_matter_hearings": Line(has("hearings.view"), M, matter=True),
    "hearings.application": Line(has("hearings.view"), {"application_id": "application"}),
    "hearings.accept": Line(has("hearings.manage"), {"application_id": "application"}),
    "hearings.refuse": Line(has("hearings.manage"), {"application_id": "application"}),
    "hearings.assessment": Line(has("hearings.view"), {"assessment_id": "assessment"}),
    "hearings.report": Line(has("hearings.view"), {"assessment_id": "assessment"}),
    "hearings.assess": Line(has("hearings.manage"), {"assessment_id": "assessment"}),
    "hearings.decide": Line(has("hearings.manage"), {"assessment_id": "assessment"}),
    "hearings.remove_participant": Line(
        has("hearings.manage"), {"hearing_id": "hearing", "participant_id": "participant"}
    ),
    **{
        f"hearings.{name}": Line(has("hearings.manage"), {"hearing_id": "hearing"})
        for name in (
            "reschedule",
            "participant",
            "recusal",
            "start",
            "record",
            "no_show",
            "conclude",
            "cancel",
            "publish",
            "suspend",
            "resume",
        )
    },
    # legal_aid: the roster is the bureau's; consultations, opinions and slots are agencies'
    "legal_aid.lawyer": Line(has("legal_aid.view"), {"lawyer_id": "lawyer"}, scoped=False),
    "legal_aid.edit_lawyer": Line(has("legal_aid.roster"), {"lawyer_id": "lawyer"}, False),
    "legal_aid.lawyer_status": Line(has("legal_aid.roster"), {"lawyer_id": "lawyer"}, False),
    "legal_aid.add_conflict": Line(has("legal_aid.roster"), {"lawyer_id": "lawyer"}, False),
    # Removals take one record of their own per column (the first removal would hide it).
    "legal_aid.remove_conflict": Line(has("legal_aid.roster"), {"conflict_id": "conflict@"}, False),
    "legal_aid.consultation": Line(has("legal_aid.view"), {"consultation_id": "consultation"}),
    "legal_aid.slip": Line(has("legal_aid.view"), {"consultation_id": "consultation"}),
    # Only the lawyer who recorded a consultation edits it: the world's is the matrix lawyer's.
    "legal_aid.edit_consultation": Line(
        has("legal_aid.consult"), {"consultation_id": "consultation"}
    ),
    "legal_aid.save_opinion": Line(has("legal_aid.consult"), {"consultation_id": "consultation"}),
    "legal_aid.matter": Line(has("legal_aid.view"), M, matter=True),
    "legal_aid.assign": Line(has("legal_aid.assign"), M, matter=True),
    "legal_aid.commission": Line(has("legal_aid.assign"), M, matter=True),
    "legal_aid.add_mandate": Line(has("legal_aid.assign"), M, matter=True),
    "legal_aid.attach_session": Line(has("legal_aid.assign"), {"session_id": "session"}),
    "legal_aid.opinion": Line(has("legal_aid.view"), {"opinion_id": "opinion"}),
    "legal_aid.deliver": Line(has("legal_aid.consult"), {"opinion_id": "opinion"}),
    "legal_aid.slot_absent": Line(has("legal_aid.roster"), {"slot_id": "slot"}),
    "legal_aid.slot_swap": Line(has("legal_aid.roster"), {"slot_id": "slot"}),
    "legal_aid.remove_slot": Line(has("legal_aid.roster"), {"slot_id": "slot@"}),
    # letters
    # The letter (envelope, first handler) is the receiving agency's, not the matter's handlers'.
    "letters.detail": Line(has("letters.view"), {"matter_id": "letter"}),
    "letters.label": Line(has("letters.view"), {"matter_id": "letter"}),
    "letters.first_handler": Line(has("letters.manage"), {"matter_id": "letter"}),
    "letters.joint_review": Line(has("letters.manage"), {"matter_id": "letter"}),
    "letters.reply_pdf": Line(has("letters.manage"), {"matter_id": "letter"}),
    # notebook (the sample module)
    "notebook.detail": Line(has("notebook.view"), {"note_id": "note"}),
    "notebook.api_detail": Line(has("notebook.view"), {"note_id": "note"}),
    # reception
    "reception.visit": Line(has("reception.desk"), {"visit_id": "visit"}),
    "reception.visit_slip": Line(has("reception.desk"), {"visit_id": "visit"}),
    "reception.leapfrog_notice": Line(has("reception.desk"), {"visit_id": "leapfrog"}),
    "reception.visit_action": Line(
        has("reception.visit"), {"visit_id": "visit"}, parts={"action": "call"}
    ),
    "reception.session": Line(has("reception.sessions.view"), {"session_id": "session"}),
    "reception.session_pdf": Line(has("reception.sessions.view"), {"session_id": "session"}),
    "reception.session_action": Line(
        has("reception.sessions.view"),
        {"session_id": "session"},
        inner=has("reception.sessions.manage"),
        parts={"action": "publish"},
    ),
    "reception.appointment_action": Line(
        has("reception.sessions.view"),
        {"appointment_id": "appointment"},
        inner=has("reception.appointments"),
        parts={"action": "check_in"},
    ),
    # stability_fund
    "stability_fund.detail": Line(has("stability_fund.view"), {"app_id": "relief"}),
    "stability_fund.audit_file": Line(has("stability_fund.report"), {"app_id": "relief"}),
    "stability_fund.matter_summary": Line(
        has("stability_fund.view"), {"matter_id": "relief_matter"}
    ),
    "stability_fund.carry_over": Line(has("stability_fund.budget"), {"budget_id": "budget"}),
    **{
        f"stability_fund.{name}": Line(has(f"stability_fund.{perm}"), {"app_id": "relief"})
        for name, perm in (
            ("submit", "prepare"),
            ("cancel", "prepare"),
            ("relation", "prepare"),
            ("sign", "view"),
            ("refuse", "view"),
            ("undertaking", "pay"),
            ("pay", "pay"),
            ("close", "close"),
        )
    },
}

#: What a POST route answers its empty form when every check lets it through: 409 (the form
#: carries no version: stale), 422 (refused by the form's or the action's rules, nothing
#: changed), 302 (refused with a message on the page it sends back to, or done).
EMPTY_POST: dict[str, str] = {
    "core.api_transition": "409",
    "core.matter_action": "409",
    "evaluation.adjust": "409",
    "evaluation.assess": "409",
    "evaluation.compute": "409",
    "evaluation.publish": "409",
    "evaluation.publish_bulletin": "409",
    "hearings.accept": "409",
    "hearings.no_show": "409",
    "hearings.publish": "409",
    "hearings.remove_participant": "409",
    "hearings.resume": "409",
    "hearings.start": "409",
    "legal_aid.slot_swap": "409",
    "letters.reply_pdf": "409",
    "stability_fund.cancel": "409",
    "stability_fund.close": "409",
    "stability_fund.sign": "409",
    "stability_fund.submit": "409",
    "core.api_rate": "422",
    "core.matter_rate": "422",
    "core.matter_upload": "422",
    "hearings.assess": "422",
    "hearings.cancel": "422",
    "hearings.conclude": "422",
    "hearings.decide": "422",
    "hearings.participant": "422",
    "hearings.record": "422",
    "hearings.recusal": "422",
    "hearings.refuse": "422",
    "hearings.reschedule": "422",
    "hearings.suspend": "422",
    "legal_aid.add_conflict": "422",
    "legal_aid.edit_consultation": "422",
    "legal_aid.save_opinion": "422",
    "legal_aid.add_mandate": "422",
    "legal_aid.assign": "422",
    "legal_aid.commission": "422",
    "legal_aid.deliver": "422",
    "legal_aid.edit_lawyer": "422",
    "legal_aid.lawyer_status": "422",
    "legal_aid.slot_absent": "422",
    "letters.first_handler": "422",
    "letters.joint_review": "422",
    "stability_fund.pay": "422",
    "stability_fund.refuse": "422",
    "stability_fund.relation": "422",
    "stability_fund.undertaking": "422",
    "evaluation.review": "302",
    "legal_aid.attach_session": "302",
    "legal_aid.remove_conflict": "302",
    "legal_aid.remove_slot": "302",
    "reception.appointment_action": "302",
    "reception.session_action": "302",
    "reception.visit_action": "302",
    "stability_fund.carry_over": "302",
}

#: Lists that show other agencies' records by design: the audit log (its readers, auditors, see
#: every agency's records).
BY_DESIGN = ("core.audit_log",)
#: The columns: the users' own agency, one under it, a sibling, the parent, another county.
COLUMNS = {
    "own": "SH-ZJJ",
    "below": "SH-ZJJ-WY",
    "other": "SH-RSJ",
    "parent": "SH",
    "outside": "OTHER",
    # The sibling's records, its matters assigned to the user's agency (``MatterAccess``).
    "shared": "SH-RSJ",
}
#: The column where a role without the route's permission is asked: the permission is checked
#: before the record is read, so its 403 is the same in every column, and in the sibling's a view
#: that read the record first would answer 404 instead.
GATE_COLUMN = "other"
#: The columns a POST is asked in: each action reads its record as its page does, and the
#: rule's arms (a sub-agency, the parent) are core's one query, asked through every page; an
#: action that forgot the rules shows in the sibling's column, the wider rules' edge in another
#: county's, a shared matter in the last.
POST_COLUMNS = ("own", "other", "outside", "shared")
#: A record of an id no row has (objects the world does not build).
NO_SUCH = 2_000_000_000
#: Tables a refused request may still write (who did what, who tried to log in).
LOG_TABLES = {"core_audit_event", "core_login_attempt"}


def id_routes(app):
    """(rule, method) of every registered route with an integer in its URL."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in IGNORED:
            continue
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS"})[0]
            yield rule, method


def without_a_line(app) -> list[str]:
    return sorted({r.endpoint for r, _ in id_routes(app)} - set(RECORD_ROUTES))


def visible(perms: frozenset[str], column: str, matter: bool = True) -> bool:
    """The record rules: own agency and below; the whole tree with BUREAU; everything with ALL;
    a matter the user's agency was given (``matter``: the record is the matter itself)."""
    if ALL in perms:
        return True
    if column == "shared" and matter:
        return True
    return column in ("own", "below") or (
        column in ("other", "parent", "shared") and BUREAU in perms
    )


def expected(endpoint: str, perms: frozenset[str], column: str, method: str) -> str:
    """The one answer of a cell."""
    line = RECORD_ROUTES[endpoint]
    if not line.gate(perms):
        return "403"
    if line.scoped and not visible(perms, column, line.matter):
        return line.hidden
    if line.inner is not None and not line.inner(perms):
        return "403"
    return "200" if method == "GET" else EMPTY_POST[endpoint]


# --- the world ---------------------------------------------------------------------------------


def _extra_records(ids):
    """What the demo does not make: a letter, a visit, a reception day and an appointment, an
    uploaded file, a commissioned opinion, a lawyer's conflict."""
    from core.api import Agency, Matter, User, acting_as, db, today
    from core.cases.files.attachments import store_bytes
    from core.cases.people.idcard import check_digit
    from modules.evaluation import services as evaluation
    from modules.evaluation.models import EvaluationPeriod as Period
    from modules.hearings.models import Assessment as HearingAssessment
    from modules.hearings.services import assessments as hearings
    from modules.legal_aid import services as legal
    from modules.legal_aid.models import Lawyer
    from modules.letters.services.desk import LetterInput, intake
    from modules.reception import services as reception
    from tests.cases_web_support import PDF_BYTES

    def demo(name):
        return db.session.execute(select(User).where(User.username == name)).scalar_one()

    def valid(seventeen: str) -> str:
        return seventeen + check_digit(seventeen)

    matter = db.session.execute(select(Matter).order_by(Matter.id)).scalars().first()
    with acting_as(demo("letters_clerk")):
        intake(
            LetterInput(
                name="钱七",
                summary="反映小区供暖不达标。",
                received_on=today(),
                id_number=valid("21010319700101123"),
                mobile="13700001111",
            )
        )
    with acting_as(demo("admin")):  # the units are the test bureau's (XFJ)
        hall = db.session.execute(select(Agency).where(Agency.code == "XFJ")).scalar_one()
        unit = reception.units(hall.id)[0]
        reception.arrive(
            reception.Arrival(
                name="孙八",
                id_number=valid("21010319710202234"),
                summary="反映道路破损。",
                unit_id=unit.id,
            ),
            hall,
        )
        leapfrog = reception.arrive(
            reception.Arrival(name="吴十", id_number=valid("21010319730404456"), unit_id=unit.id),
            hall,
        )
        town = db.session.execute(select(Agency).where(Agency.code == "TOWN")).scalar_one()
        reception.direct_leapfrog(leapfrog, town.id, "反映村道损毁。")
        store_bytes(
            matter, "材料.pdf", PDF_BYTES, "application/pdf", actor=demo("registration_clerk")
        )
    db.session.commit()
    with acting_as(demo("supervisor")):
        session = reception.schedule(
            agency_id=demo("supervisor").agency_id,
            leader_name="王区长",
            post="副区长",
            portfolio=[ids["category"]],
            day=today() + timedelta(days=21),
            start_time="09:00",
            end_time="11:00",
            place="区信访局接待室",
            capacity=5,
        )
        reception.publish(session)
        lawyer = db.session.execute(select(Lawyer).order_by(Lawyer.id)).scalars().first()
        legal.commission(matter, lawyer, "征收补偿是否合法", today() + timedelta(days=9))
        for column in COLUMNS:
            legal.add_conflict(lawyer, relation="常年法律顾问", party=f"{column}物业公司")
    with acting_as(demo("registration_clerk")):
        reception.book(
            session,
            reception.Booking(
                name="周九",
                id_number=valid("21010319720303345"),
                summary="反映拆迁补偿。",
                category_id=ids["category"],
            ),
        )
    with acting_as(demo("hearing_officer")):
        planned = db.session.execute(select(HearingAssessment)).scalars().first()
        hearings.assess(
            planned,
            planned.version,
            heard_on=today(),
            summary="听证已举行，各方充分发表意见。",
            risk="low",
            recommendation="可以实施。",
        )
    month, year = db.session.execute(select(Period).order_by(Period.id)).scalars().all()[:2]
    below = db.session.execute(select(Agency.id).where(Agency.code == "SH-ZJJ-WY")).scalar_one()
    with acting_as(demo("unit_leader")):  # its unit and the one under it have self-assessed
        for unit in (demo("unit_leader").agency_id, below):
            evaluation.submit(month, unit, 90, "完成情况良好。")
    with acting_as(demo("evaluator")):
        evaluation.publish_and_issue(year, year.version)
    db.session.commit()


def _spread_scores(agencies) -> None:
    """The housing bureau's scores of each period given to the other columns' agencies too,
    so a unit's page exists wherever the matrix asks for it."""
    from core.extensions import db
    from modules.evaluation.models import EvaluationScore

    own = agencies[COLUMNS["own"]]
    rows = db.session.execute(
        select(EvaluationScore).where(EvaluationScore.agency_id == own)
    ).scalars()
    keys = [
        c.key for c in inspect(EvaluationScore).column_attrs if c.key not in ("id", "agency_id")
    ]
    for row in list(rows):
        for code in set(COLUMNS.values()):
            if agencies[code] != own:
                values = {k: getattr(row, k) for k in keys}
                db.session.add(EvaluationScore(**values, agency_id=agencies[code]))
    db.session.commit()


def _find(db) -> dict[str, int]:
    """The id each line's finder names (the first row of its kind)."""
    from core.cases.models import Attachment, ContentCategory, Matter
    from modules.evaluation.models import EvaluationPeriod
    from modules.hearings.models import Application, Assessment, Hearing
    from modules.legal_aid.models import Consultation, DutySlot, Lawyer, Opinion
    from modules.letters.models import Letter
    from modules.reception.models import ReceptionAppointment, ReceptionSession, ReceptionVisit
    from modules.stability_fund.models import FundBudget, ReliefApplication

    def first(column):
        return db.session.execute(select(column).order_by(column)).scalars().first()

    found = {
        "matter": first(Matter.id),
        "attachment": first(Attachment.id),
        "period": first(EvaluationPeriod.id),
        "hearing": first(Hearing.id),
        "application": first(Application.id),
        "assessment": first(Assessment.id),
        "lawyer": first(Lawyer.id),
        "consultation": first(Consultation.id),
        "opinion": first(Opinion.id),
        "slot": first(DutySlot.id),
        "letter": first(Letter.matter_id),
        "visit": first(ReceptionVisit.id),
        "leapfrog": db.session.execute(
            select(ReceptionVisit.id).where(ReceptionVisit.state == "directed")
        ).scalar(),
        "session": first(ReceptionSession.id),
        "appointment": first(ReceptionAppointment.id),
        "relief": first(ReliefApplication.id),
        "relief_matter": first(ReliefApplication.matter_id),
        "budget": first(FundBudget.id),
        "category": db.session.execute(
            select(ContentCategory.id)
            .where(ContentCategory.level == 3)
            .order_by(ContentCategory.id)
        ).scalar(),
    }
    found["attachment_matter"] = db.session.get(Attachment, found["attachment"]).matter_id
    rows = {
        "participant": "SELECT id FROM hearings_participant ORDER BY id",
        "conflict": "SELECT id FROM legal_aid_conflict ORDER BY id",
        "note": "SELECT id FROM notebook_note ORDER BY id",
        "evaluation": "SELECT id FROM evaluation_assessment ORDER BY id",
        "bulletin": "SELECT id FROM evaluation_bulletin ORDER BY id",
    }
    for name, sql in rows.items():
        found[name] = db.session.execute(text(sql)).scalar()
    slots = db.session.execute(select(DutySlot.id).order_by(DutySlot.id)).scalars().all()
    conflicts = db.session.execute(text(rows["conflict"])).scalars().all()
    for n, column in enumerate(COLUMNS):
        found[f"slot@{column}"] = slots[1 + n] if len(slots) > 1 + n else None
        found[f"conflict@{column}"] = conflicts[n] if len(conflicts) > n else None
    return found


@pytest.fixture(scope="module")
def world(databases, tmp_path_factory):
    """Every module installed, the demo loaded and completed, one user per role in SH-ZJJ."""
    from core.accounts.models import Agency, Role
    from core.accounts.services import save_agency
    from core.demo import load_demo
    from core.extensions import db
    from modules.legal_aid.models import Consultation
    from tests.kit.users import add_user

    url = databases.new("sqlite")
    app = make_app(url, tmp_path_factory.mktemp("matrix-records-var"))
    with app.app_context():
        names = [n for n in app.extensions["minsheng.registry"].manifests if n != "core"]
        install(names)
        load_demo()
        housing = db.session.execute(select(Agency).where(Agency.code == "SH-ZJJ")).scalar_one()
        save_agency(
            None,
            code="SH-ZJJ-WY",
            name="区物业管理所",
            level="department",
            region_code=housing.region_code,
            parent_id=housing.id,
        )
        db.session.commit()
        db.session.remove()
    # A new app context: the users' record rules, kept on ``g``, are read again with the new agency.
    with app.app_context():
        found = _find(db)
        _extra_records(found)
        found = _find(db)
        agencies = {
            code: db.session.execute(select(Agency.id).where(Agency.code == code)).scalar_one()
            for code in COLUMNS.values()
        }
        _spread_scores(agencies)
        people = {}
        for column, code in COLUMNS.items():
            people[column] = add_user(f"matrix_{column}", f"{column} 的职员", (), "XFJ")
            people[column].agency_id = agencies[code]
        roles = {}
        for role in db.session.execute(select(Role).order_by(Role.code)).scalars():
            roles[role.code] = frozenset(p.name for p in role.permissions)
            added = add_user(f"m_{role.code}", role.name, role.code, "XFJ")
            added.agency_id = agencies["SH-ZJJ"]
            if role.code == "lawyer":  # the consultations are the matrix lawyer's own
                db.session.execute(update(Consultation).values(lawyer_id=added.id))
        db.session.commit()
        people = {column: u.id for column, u in people.items()}
    yield app, found, agencies, people, roles
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


def move_everything(app, agency_id: int, share_with: int | None = None) -> None:
    """Every agency-scoped row into ``agency_id``; every matter shared with ``share_with``."""
    from core.accounts.record_rules import scoped_models
    from core.cases.models import Matter, MatterAccess
    from core.extensions import db

    with app.app_context():
        for model in scoped_models():
            db.session.execute(update(model).values(agency_id=agency_id))
        db.session.execute(delete(MatterAccess))
        if share_with is not None:
            for matter_id in db.session.execute(select(Matter.id)).scalars().all():
                db.session.add(MatterAccess(matter_id=matter_id, agency_id=share_with))
        db.session.commit()


def place(app, agencies, column: str) -> None:
    """The world's records in the column's agency."""
    shared = agencies[COLUMNS["own"]] if column == "shared" else None
    move_everything(app, agencies[COLUMNS[column]], shared)


def database_digest(app) -> dict[str, str]:
    """A digest of every table's rows but the logs'."""
    from core.extensions import db

    with app.app_context():
        names = inspect(db.engine).get_table_names()
        out = {}
        for name in names:
            if name in LOG_TABLES:
                continue
            rows = db.session.execute(text(f'SELECT * FROM "{name}" ORDER BY 1')).all()
            out[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        db.session.remove()
        return out


def url_for_cell(app, rule, line: Line, found, agencies, people, column) -> str:
    values = dict(line.parts)
    for name, finder in line.ids.items():
        if finder.endswith("@"):
            values[name] = found[finder + column]
        elif finder == "agency":
            values[name] = agencies[COLUMNS[column]]
        elif finder == "user":
            values[name] = people[column]
        else:
            values[name] = found[finder] or NO_SUCH
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def clients(app, roles):
    out = {}
    for code in roles:
        c = app.test_client()
        assert login(c, f"m_{code}").status_code == 302, code
        m = TOKEN_RE.search(c.get("/me").get_data(as_text=True))
        out[code] = (c, m.group(1) or m.group(2))
    return out


def ask(client, token, method, url):
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        return client.post(url, json={"version": 0}, headers={"X-CSRFToken": token})
    return client.post(url, data={"csrf_token": token})


def test_every_record_route_has_a_line(world):
    app = world[0]
    assert without_a_line(app) == []
    registered = {r.endpoint for r in app.url_map.iter_rules()}
    assert sorted(set(RECORD_ROUTES) - registered) == []
    # Each POST-only route says what its empty form answers when let through.
    posted = {r.endpoint for r, method in id_routes(app) if method == "POST"}
    assert sorted(posted ^ set(EMPTY_POST)) == []


def test_a_record_route_added_without_a_line_is_caught(world, databases, tmp_path):
    app = make_app(databases.new("sqlite"), tmp_path / "var")
    app.add_url_rule("/cases/<int:matter_id>/shadow.pdf", "core.shadow_pdf", lambda matter_id: "")
    assert without_a_line(app) == ["core.shadow_pdf"]
    assert without_a_line(world[0]) == []


def test_every_role_every_record_route_every_agency(world):
    app, found, agencies, people, roles = world
    logged_in = clients(app, roles)
    raw, leaks = personal_values(app), []
    routes = [(r, m) for r, m in id_routes(app) if r.endpoint in RECORD_ROUTES]
    wrong, cells, asked = [], 0, 0
    for phase in ("GET", "POST"):
        for column in COLUMNS:
            place(app, agencies, column)
            planned = []
            for role, perms in roles.items():
                for rule, method in routes:
                    if (method == "GET") != (phase == "GET"):
                        continue
                    line = RECORD_ROUTES[rule.endpoint]
                    cells += 1
                    if not line.gate(perms) and column != GATE_COLUMN:
                        continue  # the permission comes before the record: asked in one column
                    if method == "POST" and column not in POST_COLUMNS:
                        continue  # the rule's arms are core's, asked through every page
                    url = url_for_cell(app, rule, line, found, agencies, people, column)
                    want = expected(rule.endpoint, perms, column, method)
                    through = want == ("200" if method == "GET" else EMPTY_POST[rule.endpoint])
                    planned.append((through, want, role, method, url, rule))
            # The refusals first: they must leave the database as it was.
            planned.sort(key=lambda cell: cell[0])
            before = database_digest(app) if phase == "POST" else None
            checked = False
            for through, want, role, method, url, rule in planned:
                if phase == "POST" and through and not checked:
                    after = database_digest(app)
                    changed = sorted(t for t in before if before[t] != after.get(t))
                    assert changed == [], f"refused POSTs in {column} changed {changed}"
                    checked = True
                client, token = logged_in[role]
                resp = ask(client, token, method, url)
                got = answer(resp)
                if got == "200" and VIEW_PERMISSION not in roles[role]:
                    body = readable(resp)
                    leaks += [f"{role} {url}: {v}" for v in sorted(raw) if v in body]
                asked += 1
                if got != want:
                    cell = f"{column:7} {role:18} {method} {url} ({rule.endpoint})"
                    wrong.append(f"{cell}: {got}, expected {want}")
    assert cells == len(roles) * len(routes) * len(COLUMNS)
    size = f"{len(roles)} roles × {len(routes)} routes × {len(COLUMNS)} agencies"
    print(f"{size}: {cells} cells, {asked} asked")
    assert wrong == [], f"{len(wrong)} of {asked} cells asked wrong:\n" + "\n".join(wrong)
    # Every role without the unmask permission saw masked ID and phone numbers only.
    assert leaks == []


# --- masked fields in every output -------------------------------------------------------------

#: Kinds of personal field the matrix follows: the petitioner's ID number and phones.
FOLLOWED = ("id_number", "phone")


def personal_values(app) -> set[str]:
    """Every ID number and phone number stored in a personal field of any model."""
    from core.db import Base
    from core.extensions import db

    values: set[str] = set()
    with app.app_context():
        for mapper in Base.registry.mappers:
            fields = getattr(mapper.class_, "__personal_fields__", {})
            for name, kind in fields.items():
                if kind in FOLLOWED:
                    column = getattr(mapper.class_, name)
                    rows = db.session.execute(select(column).where(column.is_not(None)))
                    values |= {v for v in rows.scalars() if v and len(v) >= 7}
        db.session.remove()
    return values


def readable(resp) -> str:
    """A response's text as a reader sees it: a PDF's text, a workbook's cells, else the body."""
    import io
    import json
    import subprocess
    import zipfile

    data = resp.get_data()
    if data.startswith(b"%PDF"):
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
        )
        return "".join(out.stdout.decode().split())
    if resp.is_json:
        return json.dumps(resp.get_json(), ensure_ascii=False)
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    return data.decode("utf-8", "replace")


def every_output(app, found, agencies, people, words: str) -> list[str]:
    """The URLs of every page, list, search, export, API answer and PDF a user may GET.

    The registered GET routes without an id (lists, queues, desks, exports, API lists), searches
    and exports of the matter's ``words``, and each record route's URL for the own agency's record.
    """
    from tests.reliability.test_permission_matrix import ROLE, RULES, USER

    urls = []
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "core.logout":
            continue
        if rule.endpoint in RECORD_ROUTES:
            line = RECORD_ROUTES[rule.endpoint]
            urls.append(url_for_cell(app, rule, line, found, agencies, people, "own"))
        elif RULES.get(rule.endpoint) in (USER, ROLE) and not rule.arguments:
            urls.append(adapter.build(rule.endpoint, {}))
    # Searches and exports of the matter (the lists above show the newest matters).
    for path in ("/cases/search", "/api/v1/search", "/cases/export.csv", "/cases/export.xlsx"):
        urls.append(f"{path}?q={words}")
    return urls


def probe(app, username: str, without: frozenset[str] = frozenset()) -> None:
    """A user of SH-ZJJ holding every permission but ``without``."""
    from core.accounts.models import Agency, Permission, Role
    from core.extensions import db
    from tests.kit.users import add_user

    with app.app_context():
        everything = db.session.execute(select(Permission)).scalars().all()
        role = Role(
            code=username,
            name=username,
            permissions=[p for p in everything if p.name not in without],
        )
        db.session.add(role)
        db.session.commit()
        user = add_user(username, username, username, "XFJ")
        user.agency_id = db.session.execute(
            select(Agency.id).where(Agency.code == COLUMNS["own"])
        ).scalar_one()
        db.session.commit()
        db.session.remove()


def test_personal_fields_masked_in_every_output(world):
    """ID numbers and phones never leave unmasked to a user without the unmask permission, in
    any page, list, search, export, API answer or PDF; one with it sees them, and it is audited."""
    from core.accounts.masking import mask
    from core.cases.models import Matter
    from core.extensions import db

    app, found, agencies, people, _ = world
    move_everything(app, agencies[COLUMNS["own"]])
    raw = personal_values(app)
    with app.app_context():
        matter = db.session.get(Matter, found["matter"])
        lead = matter.lead.person
        petitioner, id_number, mobile = lead.name, lead.id_number, lead.mobile
        words = matter.summary[8:12]  # a search for the matter by what it is about
        db.session.remove()
    assert {id_number, mobile} <= raw
    probe(app, "m_masked", frozenset({VIEW_PERMISSION}))
    probe(app, "m_unmasked")
    urls = every_output(app, found, agencies, people, words)
    masked = app.test_client()
    assert login(masked, "m_masked").status_code == 302
    leaks, shown = [], {}
    for url in urls:
        resp = masked.get(url)
        if resp.status_code != 200:
            continue
        body = readable(resp)
        shown[url] = body
        leaks += [f"{url}: {value}" for value in sorted(raw) if value in body]
    assert leaks == []
    # The masked forms are what was shown (exports carry the name only).
    masked_id, masked_mobile = mask(id_number, "id_number"), mask(mobile, "phone")
    matter_id = found["matter"]
    for url in (f"/cases/{matter_id}", f"/api/v1/matters/{matter_id}"):
        assert masked_id in shown[url] and masked_mobile in shown[url], url
    for url in (f"/cases/export.csv?q={words}", f"/cases/export.xlsx?q={words}"):
        assert mask(petitioner, "name") in shown[url] and petitioner not in shown[url], url
    assert len(shown) > len(urls) * 0.8, sorted(set(urls) - set(shown))

    # With the permission: shown, and each request that showed them is in the audit log.
    from core.audit import AuditEvent

    unmasked = app.test_client()
    assert login(unmasked, "m_unmasked").status_code == 302
    with app.app_context():
        before = db.session.execute(select(AuditEvent.id).order_by(AuditEvent.id.desc())).scalar()
        db.session.remove()
    views = [
        f"/cases/{matter_id}",
        f"/api/v1/matters/{matter_id}",
        f"/cases/export.csv?q={words}",
    ]
    for url in views:
        body = readable(unmasked.get(url))
        assert petitioner in body, url
        assert (id_number in body and mobile in body) or url.startswith("/cases/export"), url
    with app.app_context():
        audited = (
            db.session.execute(
                select(AuditEvent).where(
                    AuditEvent.id > before, AuditEvent.action == "personal_data.view"
                )
            )
            .scalars()
            .all()
        )
        assert len(audited) == len(views)
        assert {e.username for e in audited} == {"m_unmasked"}
        db.session.remove()


def test_records_outside_the_rules_show_in_no_list(world):
    """Lists, queues, desks, searches, exports and API lists: a user of the housing bureau
    holding every permission but the wider record rules finds the world's matters there while
    they are the bureau's own, and none once they belong to the sibling, the parent or another
    county."""
    from core.cases.models import Matter
    from core.extensions import db
    from tests.reliability.test_permission_matrix import ROLE, RULES, USER

    app, found, agencies, _, _ = world
    probe(app, "m_local", frozenset({ALL, BUREAU}))
    with app.app_context():
        matter = db.session.get(Matter, found["matter"])
        words = matter.summary[8:12]
        numbers = set(db.session.execute(select(Matter.number)).scalars())
        db.session.remove()
    adapter = app.url_map.bind("localhost")
    lists = [
        adapter.build(rule.endpoint, {})
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
        if "GET" in rule.methods
        and not rule.arguments
        and RULES.get(rule.endpoint) in (USER, ROLE)
        and rule.endpoint not in ("core.logout", *BY_DESIGN)
    ]
    lists += [
        f"{path}?q={words}"
        for path in ("/cases/search", "/api/v1/search", "/cases/export.csv", "/cases/export.xlsx")
    ]
    client = app.test_client()
    assert login(client, "m_local").status_code == 302
    leaks, seen = [], {}
    # The columns where the matters are the bureau's, or no list of its may show them.
    for column in ("own", "other", "parent", "outside"):
        place(app, agencies, column)
        for url in lists:
            resp = client.get(url)
            if resp.status_code != 200:
                continue
            shown = sorted(n for n in numbers if n in readable(resp))
            if column == "own":
                seen[url] = shown
            elif shown:
                leaks.append(f"{column} {url}: {shown}")
    assert leaks == []
    # While they are the bureau's own, the lists show them (the check above could fail).
    for path in ("/cases/search", "/api/v1/search", "/cases/export.csv", "/cases/export.xlsx"):
        assert matter.number in seen[f"{path}?q={words}"], path
    assert len(seen) > len(lists) * 0.8, sorted(set(lists) - set(seen))
