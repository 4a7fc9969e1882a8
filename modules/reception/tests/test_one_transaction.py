"""One desk action, one transaction: the hall's part failing after the matter is written.

A visit answered on the spot and a leader day's outcome register a matter in core and then write
the hall's own record. If that record fails, nothing of the action may stay: no matter, no
number used, no document file on disk, no audit event, no change to the visit or appointment.
Without the fault the whole action is committed once.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.api import (
    ContentCategory,
    Matter,
    Role,
    User,
    acting_as,
    db,
    today,
    utcnow,
)
from tests.kit import agency, count_commits, csrf_token, database_state, stored_files, user

VALID_ID = "11010519491231002X"


def _svc(name: str = ""):
    # Imported when used, not at collection: the registry learns the module's tables by
    # importing its models when the first app is built.
    return importlib.import_module("modules.reception.services" + (f".{name}" if name else ""))


@pytest.fixture
def hall(app, as_user):
    """The reception module installed (through the admin page) and a reception officer."""
    admin = as_user("admin")
    token = csrf_token(admin, "/admin/modules")
    resp = admin.post("/admin/modules/reception/install", data={"csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        role = db.session.execute(select(Role).where(Role.code == "reception_officer")).scalar_one()
        db.session.add(
            User(
                username="officer",
                display_name="接访员小李",
                password_hash="!",
                roles=[role],
                agency_id=agency("XFJ").id,
            )
        )
        db.session.commit()
        yield app


def _category(name: str) -> int:
    return (
        db.session.execute(
            select(ContentCategory.id)
            .where(ContentCategory.name == name)
            .order_by(ContentCategory.level)
        )
        .scalars()
        .first()
    )


def _visit() -> int:
    with acting_as(user("clerk")):
        visit = _svc().arrive(
            _svc().Arrival(
                name="王大明",
                id_number=VALID_ID,
                summary="咨询养老保险缴费年限",
                category_id=_category("养老保险"),
            )
        )
        return visit.id


def _visit_row(visit_id: int):
    return db.session.get(
        importlib.import_module("modules.reception.models").ReceptionVisit, visit_id
    )


def test_answer_on_spot_failing_at_the_visit_record_leaves_nothing(hall, monkeypatch):
    visit_id = _visit()
    before = database_state("reception", ("reception_visit", "reception_appointment"))
    seen = {}

    def broken(visit, state, asked, answered, matter=None):
        # Core has written the matter (and answered it) in this transaction by now.
        seen["matter"] = db.session.execute(
            select(Matter.number, Matter.state).where(Matter.id == matter.id)
        ).one()
        raise RuntimeError("the visit record could not be written")

    monkeypatch.setattr(_svc("visits"), "_finish", broken)
    with acting_as(user("officer")), pytest.raises(RuntimeError, match="visit record"):
        _svc().answer_on_spot(
            _visit_row(visit_id), "咨询养老保险缴费年限", "缴满 15 年可按月领取。"
        )
    assert seen["matter"].state == "answered"
    after = database_state("reception", ("reception_visit", "reception_appointment"))
    assert after == before
    assert _visit_row(visit_id).state == "waiting" and _visit_row(visit_id).matter_id is None


def _checked_in_appointment() -> int:
    svc = _svc()
    with acting_as(user("supervisor")):
        session = svc.schedule(
            agency_id=agency("XFJ").id,
            leader_id=user("leader").id,
            leader_name="张县长",
            post="副县长",
            portfolio=[_category("劳动和社会保障")],
            day=today(),
            start_time="08:30",
            end_time="11:30",
            place="县信访局接待大厅",
            capacity=3,
            cutoff=utcnow() + timedelta(hours=1),
        )
        svc.publish(session)
    with acting_as(user("clerk")):
        appt = svc.book(
            session,
            svc.Booking(
                name="王大明",
                id_number=VALID_ID,
                summary="反映单位拖欠工资三个月",
                category_id=_category("拖欠工资"),
            ),
        )
        assert appt.state == "booked"
        svc.check_in(appt)
        return appt.id


def test_leader_day_assignment_failing_at_the_appointment_leaves_no_matter_and_no_slip(
    hall, monkeypatch
):
    appt_id = _checked_in_appointment()
    models = importlib.import_module("modules.reception.models")
    before = database_state("reception", ("reception_visit", "reception_appointment"))
    seen = {}

    def broken(appt, outcome, text, deadline, matter):
        # The matter is registered and assigned, its slip rendered and stored on disk.
        seen["state"] = db.session.execute(
            select(Matter.state).where(Matter.id == matter.id)
        ).scalar_one()
        seen["files"] = stored_files()
        raise RuntimeError("the appointment could not be written")

    monkeypatch.setattr(_svc("sessions"), "_record_outcome", broken)
    with acting_as(user("officer")), pytest.raises(RuntimeError, match="appointment"):
        _svc().session_outcome(
            db.session.get(models.ReceptionAppointment, appt_id),
            "assigned",
            text="请县住建局七日内核实",
            agency_id=agency("CJJ").id,
            deadline=today() + timedelta(days=7),
        )
    assert seen["state"] == "assigned"
    assert len(seen["files"]) == len(before["files"]) + 1  # the assignment slip's PDF
    assert database_state("reception", ("reception_visit", "reception_appointment")) == before
    appt = db.session.get(models.ReceptionAppointment, appt_id)
    assert (appt.state, appt.matter_id) == ("checked_in", None)


def test_answer_on_spot_commits_matter_answer_and_visit_record_at_once(hall, monkeypatch):
    visit_id = _visit()
    before = database_state("reception", ("reception_visit", "reception_appointment"))
    commits = count_commits(monkeypatch)
    with acting_as(user("officer")):
        matter = _svc().answer_on_spot(
            _visit_row(visit_id), "咨询养老保险缴费年限", "缴满 15 年可按月领取。"
        )
    assert len(commits) == 1
    monkeypatch.undo()
    matter_id = matter.id
    after = database_state("reception", ("reception_visit", "reception_appointment"))
    assert after["core_matter"] == before["core_matter"] + 1
    assert after["core_sequence rows"] != before["core_sequence rows"]  # a number was drawn
    visit = _visit_row(visit_id)
    assert (visit.state, visit.matter_id) == ("answered", matter_id)
    assert db.session.get(Matter, matter_id).state == "answered"
    audit = db.metadata.tables["core_audit_event"]
    actions = set(
        db.session.execute(select(audit.c.action).order_by(audit.c.id.desc()).limit(3)).scalars()
    )
    assert {"matter.answer_on_spot", "reception.visit.answered"} <= actions
