"""Who sees what, who may take a matter: duty record rules, conflicts, hours, opinions."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core.api import Matter, db, today
from modules.legal_aid.tests.hall import lawyer, models, pdf_text, put_on_duty, services, setup_hall
from tests.kit import (
    Document,
    Reminder,
    agency,
    as_,
    audit_actions,
    install,
    post_form,
    register,
    run_jobs,
    shown_version,
    timeline_titles,
    uninstall,
    user,
)


def _matter_of(code: str) -> tuple[int, str]:
    """A matter registered at agency ``code`` (the clerk of XFJ registers; moved for the test)."""
    m = register()
    m.agency_id = agency(code).id
    db.session.commit()
    return m.id, m.number


def test_a_lawyer_sees_the_matters_of_the_hall_on_duty_and_nothing_else(app, as_user):
    setup_hall(app, on_duty=False)
    with app.app_context():
        here, _ = _matter_of("XFJ")
        elsewhere, number = _matter_of("TOWN")
    c = as_user("lawyer")
    assert c.get(f"/cases/{here}").status_code == 404  # not on duty: nothing
    with app.app_context():
        slot_id = put_on_duty("lawyer", "XFJ").id
    assert c.get(f"/cases/{here}").status_code == 200
    assert c.get(f"/legal-aid/matters/{here}").status_code == 200
    # Another hall's matter stays hidden, by URL and by number on the form.
    assert c.get(f"/cases/{elsewhere}").status_code == 404
    resp = post_form(
        c,
        "/legal-aid/consultations/new",
        {"question": "问", "matter_number": number, "minutes": "20"},
    )
    assert resp.status_code == 422
    assert "未找到该信访事项，或您无权查看。" in resp.get_data(as_text=True)
    # Absent from duty: the hall's matters are hidden again.
    with app.app_context(), as_("supervisor"):
        slot = db.session.get(models.DutySlot, slot_id)
        services.mark_absent(slot, "病假", slot.version)
    assert c.get(f"/cases/{here}").status_code == 404


def _conflicted(app) -> tuple[int, str]:
    """lawyer2 is the housing bureau's retained counsel; the matter complains of that bureau."""
    with app.app_context():
        with as_("supervisor"):
            services.add_conflict(
                lawyer("lawyer2"),
                relation="常年法律顾问",
                agency_id=agency("CJJ").id,
                since=date(2024, 1, 1),
            )
        m = register(complained_agency_id=agency("CJJ").id, complained_party="县住建局")
        return m.id, m.number


CONFLICT = (
    "律师值班律师小钱与本事项存在利益冲突（常年法律顾问：县住建局（2024-01-01 至 今）），不能指派。"
)


def test_a_conflicted_lawyer_is_refused_and_the_refusal_names_the_conflict(app, as_user):
    setup_hall(app)
    matter_id, _ = _conflicted(app)
    with app.app_context():
        lawyer2_id = lawyer("lawyer2").id
    resp = post_form(
        as_user("desk"),
        f"/legal-aid/matters/{matter_id}/assign",
        {"lawyer_id": str(lawyer2_id)},
        token_from=f"/legal-aid/matters/{matter_id}",
    )
    assert resp.status_code == 422
    assert CONFLICT in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count(models.Assignment.id))).scalar() == 0
        with as_("desk"):
            row = services.assign(db.session.get(Matter, matter_id), lawyer("lawyer"))
        assert row.lawyer.name == "值班律师老周"


def test_a_conflicted_lawyer_is_neither_commissioned_nor_appointed_agent(app):
    setup_hall(app)
    matter_id, _ = _conflicted(app)
    with app.app_context(), as_("supervisor"), pytest.raises(services.LegalAidError) as refused:
        services.commission(
            db.session.get(Matter, matter_id), lawyer("lawyer2"), "问", today() + timedelta(days=10)
        )
    assert str(refused.value) == CONFLICT
    with app.app_context(), as_("supervisor"), pytest.raises(services.LegalAidError) as refused:
        services.add_mandate(
            db.session.get(Matter, matter_id), lawyer("lawyer2"), "王某", "代理申诉", today()
        )
    assert str(refused.value) == CONFLICT
    with app.app_context():
        assert db.session.execute(select(func.count(models.Mandate.id))).scalar() == 0
        # The petitioner appoints the other lawyer: recorded on the matter and its timeline.
        with as_("supervisor"):
            services.add_mandate(
                db.session.get(Matter, matter_id), lawyer("lawyer"), "王某", "代理申诉", today()
            )
        row = db.session.execute(select(models.Mandate)).scalar_one()
        assert (row.matter_id, row.lawyer.name, row.scope) == (
            matter_id,
            "值班律师老周",
            "代理申诉",
        )
        assert "信访人委托律师值班律师老周代理" in timeline_titles(matter_id)


def test_hours_totals_match_the_consultations_and_opinions(app, as_user):
    setup_hall(app)
    put = {"lawyer": [30, 45], "lawyer2": [20]}
    with app.app_context():
        put_on_duty("lawyer2", "XFJ")
        for username, minutes in put.items():
            for m in minutes:
                with as_(username):
                    services.create_consultation(
                        services.ConsultationInput(question="问", visitor_name="甲", minutes=m)
                    )
        matter = register()
        with as_("supervisor"):
            opinion = services.commission(
                matter, lawyer("lawyer"), "征收补偿是否合法？", today() + timedelta(days=15)
            )
        with as_("lawyer"):
            services.deliver(opinion, "补偿标准符合规定。", 90, opinion.version)
        rows = {r.lawyer.name: r for r in services.month_totals(today().year, today().month)}
        assert {
            n: (r.consultations, r.consultation_minutes, r.opinions, r.minutes)
            for n, r in rows.items()
        } == {
            "值班律师老周": (2, 75, 1, 165),
            "值班律师小钱": (1, 20, 0, 20),
        }
        assert rows["值班律师老周"].hours == 2.75
    month = today().strftime("%Y-%m")
    resp = as_user("supervisor").get(f"/legal-aid/hours.xlsx?month={month}")
    assert resp.status_code == 200
    sheet = load_workbook(BytesIO(resp.data))["工时汇总"]
    table = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    by_name = {row[0]: row for row in table}
    assert by_name["值班律师老周"][4:10] == (2, 75, 1, 90, 165, 2.75)
    assert by_name["值班律师小钱"][4:10] == (1, 20, 0, 0, 20, 0.33)
    assert by_name["合计"][4:9] == (3, 95, 1, 90, 185)
    assert as_user("lawyer").get(f"/legal-aid/hours.xlsx?month={month}").status_code == 403
    with app.app_context():
        assert "legal_aid.hours.export" in audit_actions()


def test_the_commissioned_opinion_is_a_clock_and_a_pdf_document_on_the_matter(app, as_user):
    setup_hall(app)
    deadline = today() + timedelta(days=2)
    with app.app_context():
        matter = register()
        matter_id = matter.id
        with as_("supervisor"):
            opinion = services.commission(
                matter, lawyer("lawyer"), "房屋征收补偿决定是否合法？", deadline
            )
        opinion_id = opinion.id
        clock = opinion.clock
        # The deadline is a clock of the matter, kept as given (not counted, not rolled over).
        assert (clock.kind, clock.due, clock.state) == ("legal_opinion", deadline, "running")
        assert clock.explanation.startswith(f"法律论证期限（指定日期）：{deadline.isoformat()}")
    # Core's daily job reminds the commissioning agency of it, as of every clock due soon.
    assert "core.case_clocks" in run_jobs(app, "core.case_clocks")
    with app.app_context():
        reminded = db.session.execute(
            select(Reminder.user_id).where(Reminder.clock_id == clock.id)
        ).scalars()
        assert user("supervisor").id in set(reminded)
    c = as_user("lawyer")
    version = shown_version(c.get(f"/legal-aid/opinions/{opinion_id}").get_data(as_text=True))
    resp = post_form(
        c,
        f"/legal-aid/opinions/{opinion_id}/deliver",
        {"text": "征收补偿决定程序合法，补偿标准符合规定。", "minutes": "120", "version": version},
        token_from=f"/legal-aid/opinions/{opinion_id}",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    with app.app_context():
        doc = db.session.execute(
            select(Document).where(Document.matter_id == matter_id)
        ).scalar_one()
        assert doc.title == "法律论证意见书"
        att_id = doc.attachment_id
    pdf = as_user("supervisor").get(f"/cases/{matter_id}/attachments/{att_id}").data
    text = pdf_text(pdf)
    assert "法律论证意见书" in text
    assert "委托论证的问题：房屋征收补偿决定是否合法？" in text
    assert "征收补偿决定程序合法，补偿标准符合规定。" in text
    assert "律师：值班律师老周（辽宁正大律师事务所）" in text
    with app.app_context():
        # Delivered in time: the clock is met.
        assert db.session.get(models.Opinion, opinion_id).clock.state == "met"


def test_an_uninstalled_modules_clock_reminds_nobody_until_it_is_installed_again(app):
    setup_hall(app)
    with app.app_context():
        matter = register()
        with as_("supervisor"):
            opinion = services.commission(
                matter, lawyer("lawyer"), "征收补偿决定是否合法？", today() + timedelta(days=2)
            )
        clock_id = opinion.clock.id
        uninstall("legal_aid")

    def reminded() -> set[int]:
        with app.app_context():
            return set(
                db.session.execute(
                    select(Reminder.user_id).where(Reminder.clock_id == clock_id)
                ).scalars()
            )

    assert "core.case_clocks" in run_jobs(app, "core.case_clocks")
    assert reminded() == set()  # the row stays, as the module's data does, but reminds nobody
    with app.app_context():
        install(["legal_aid"])
        supervisor = user("supervisor").id
    run_jobs(app, "core.case_clocks")
    assert supervisor in reminded()  # the commissioning agency, as before the uninstall
