"""The reception hall: routing, arrivals, visits, collective and leapfrog visits, leader days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.api import Matter, MatterParty, PartyInput, Registration, db, perform, register_matter
from tests.kit import (
    OTHER_ID,
    VALID_ID,
    AssignmentSlip,
    Document,
    TimelineEntry,
    agency,
    as_,
    category,
    id_number,
    install,
    install_module,
    lazy_module,
    purge,
    uninstall,
    user,
)

# The module's code, imported when first used rather than at collection.
svc = lazy_module("modules.reception.services")
models = lazy_module("modules.reception.models")
#: The hall's staff (the shared test users have none): an officer and a duty lawyer.
HALL_STAFF = {
    "officer": ("接访员小李", "reception_officer", "XFJ"),
    "lawyer": ("值班律师老周", "lawyer", "XFJ"),
}


@pytest.fixture
def hall(app):
    install_module(app, "reception", users=HALL_STAFF)
    with app.app_context():
        yield app


def _unit(name: str) -> models.ReceptionUnit:
    return db.session.execute(
        select(models.ReceptionUnit).where(models.ReceptionUnit.name == name)
    ).scalar_one()


def test_seed_gives_the_bureau_the_seven_yima_windows(hall):
    units = svc.units(agency("XFJ").id)
    assert [u.name for u in units] == [w[1] for w in svc.YIMA_WINDOWS]
    assert [u.name for u in units if u.general] == ["办信办案窗口"]
    assert category("政法").id in _unit("法律服务窗口").subjects


def test_routing_by_subject_most_specific_unit_then_general(hall):
    xfj = agency("XFJ").id
    # A third-level category routes through its level-1 subject.
    assert svc.route(category("拖欠农民工工资").id, xfj).name == "帮扶济困窗口"
    assert svc.route(category("民事诉讼").id, xfj).name == "法律服务窗口"
    # No window takes 其他: the general window.
    assert svc.route(category("其他").id, xfj).name == "办信办案窗口"
    assert svc.route(None, xfj).name == "办信办案窗口"
    # A window for a narrower subject wins over the broad one.
    with as_("admin"):
        svc.save_unit(
            None, agency_id=xfj, code="W8", name="征地专家窗口", subjects=[category("征地").id]
        )
    assert svc.route(category("征地补偿安置").id, xfj).name == "征地专家窗口"
    assert svc.route(category("土地权属争议").id, xfj).name == "办信办案窗口"


def test_arrival_checks_the_id_numbers_the_day_and_lets_the_desk_override(hall):
    with as_("clerk"):
        with pytest.raises(svc.ReceptionError) as bad:
            svc.arrive(svc.Arrival(name="王大明", id_number="110105194912310021"))
        assert "校验位" in bad.value.errors["id_number"]
        first = svc.arrive(
            svc.Arrival(name="王大明", id_number=VALID_ID, category_id=category("养老保险").id)
        )
        second = svc.arrive(
            svc.Arrival(
                name="李小红",
                id_number=OTHER_ID,
                category_id=category("养老保险").id,
                unit_id=_unit("交流谈心窗口").id,
            )
        )
    assert (first.queue_number, second.queue_number) == (1, 2)
    assert first.unit.name == "帮扶济困窗口" and first.suggested_unit_id == first.unit_id
    assert second.unit.name == "交流谈心窗口"
    assert second.suggested_unit.name == "帮扶济困窗口"
    assert db.session.execute(select(func.count()).select_from(models.ReceptionVisit)).scalar() == 2


def test_history_shows_open_and_terminated_matters_at_once(hall):
    with as_("clerk"):
        reg = Registration(
            channel="letter",
            summary="反映拖欠工资",
            received_on=svc.today() - timedelta(days=3),
            parties=[PartyInput(name="王大明", id_number=VALID_ID)],
        )
        matter = register_matter(reg)
        h = svc.history(VALID_ID, "王大明")
    assert [m.id for m in h["open"]] == [matter.id]
    assert [c.matter_id for c in h["candidates"]] == [matter.id]
    assert h["closed"] == []


def _visit(username: str = "clerk", **kw):
    data = {"name": "王大明", "id_number": VALID_ID, "summary": "小区拆迁补偿款未按协议支付"}
    data.update(kw)
    with as_(username):
        return svc.arrive(svc.Arrival(**data))


def test_answer_on_spot_closes_the_matter_with_the_written_answer(hall):
    visit = _visit(category_id=category("养老保险").id)
    with as_("officer"):
        svc.call(visit)
        matter = svc.answer_on_spot(visit, "咨询养老保险缴费年限", "按规定缴满 15 年可按月领取。")
    visit = db.session.get(models.ReceptionVisit, visit.id)
    assert visit.state == "answered" and visit.matter_id == matter.id
    assert matter.state == "answered" and matter.outcome == "answered"
    assert matter.channel == "visit"


def test_visit_registered_then_assigned_with_a_slip(hall):
    visit = _visit()
    with as_("officer"):
        matter = svc.register_for_handling(visit, "要求补发拆迁补偿款")
        visit = db.session.get(models.ReceptionVisit, visit.id)
        doc = svc.assign(
            visit, agency("CJJ").id, "核实补偿协议并答复", svc.today() + timedelta(days=30)
        )
    assert matter.state == "assigned"
    assert doc is not None and doc.kind == "assignment_slip"
    assert db.session.execute(select(func.count()).select_from(Document)).scalar() == 1


def test_clerk_cannot_record_the_visit_outcome_only_the_officer(hall):
    visit = _visit()
    # The desk registers but may not triage (core.cases.triage): the on-the-spot answer
    # is refused by core and the matter stays registered for the unit.
    with as_("clerk"), pytest.raises(svc.ReceptionError):
        svc.answer_on_spot(visit, "问题", "答复")
    assert db.session.get(models.ReceptionVisit, visit.id).state == "registered"


def test_collective_visit_of_thirty_with_five_representatives_and_a_sixth_refused(hall):
    reps = [{"name": f"代表{i}", "id_number": id_number(i)} for i in range(1, 7)]
    with as_("clerk"):
        with pytest.raises(svc.ReceptionError) as refused:
            svc.arrive(
                svc.Arrival(
                    name="代表1", id_number=id_number(1), head_count=30, representatives=reps
                )
            )
        assert "不超过 5 人" in refused.value.errors["representatives"]
        with pytest.raises(svc.ReceptionError):
            svc.arrive(svc.Arrival(name="张三", id_number=VALID_ID, head_count=30))
        visit = svc.arrive(
            svc.Arrival(
                name="代表1", id_number=id_number(1), head_count=30, representatives=reps[:5]
            )
        )
    assert visit.collective and len(visit.representatives) == 5
    with as_("officer"):
        svc.record_incident(visit, "gathering", "部分群众在大厅门口聚集", "现场劝导后散去")
        matter = svc.register_for_handling(visit, "要求解决厂房搬迁安置")
    assert matter.head_count == 30 and "collective" in matter.flags
    reps_on_matter = db.session.execute(
        select(func.count())
        .select_from(MatterParty)
        .where(MatterParty.matter_id == matter.id, MatterParty.is_representative.is_(True))
    ).scalar()
    assert reps_on_matter == 5
    # Core itself refuses a sixth representative on the matter.
    visit = db.session.get(models.ReceptionVisit, visit.id)
    assert len(visit.incidents) == 1
    stats = {s["unit"].name: s for s in svc.daily_stats(agency("XFJ").id)}
    assert stats["办信办案窗口"]["people"] == 30 and stats["办信办案窗口"]["incidents"] == 1


def test_core_refuses_a_sixth_representative(hall):
    visit = _visit(
        name="代表1",
        id_number=id_number(1),
        head_count=30,
        representatives=[{"name": f"代表{i}", "id_number": id_number(i)} for i in range(1, 6)],
    )
    visit = db.session.get(models.ReceptionVisit, visit.id)
    visit.representatives = [*visit.representatives, {"name": "代表6", "id_number": id_number(6)}]
    db.session.commit()
    with as_("officer"), pytest.raises(svc.ReceptionError) as refused:
        svc.register_for_handling(visit, "要求解决厂房搬迁安置")
    assert "不超过 5 人" in refused.value.errors["parties"]
    assert db.session.execute(select(func.count()).select_from(Matter)).scalar() == 0


def test_leapfrog_visit_is_recorded_and_directed_with_a_notice(hall, app):
    # The town is handling the matter; the visitor comes to the county bureau.
    with as_("town_handler"):
        below = register_matter(
            Registration(
                channel="visit",
                summary="宅基地纠纷",
                received_on=svc.today(),
                parties=[PartyInput(name="王大明", id_number=VALID_ID)],
            ),
            agency("TOWN"),
        )
    visit = _visit(summary="宅基地纠纷")
    with as_("officer"):
        h = svc.history(VALID_ID, "王大明", text="宅基地纠纷")
        assert h["leapfrog"], "repeat detection flags the matter handled below"
        number = svc.direct_leapfrog(visit, agency("TOWN").id)
    visit = db.session.get(models.ReceptionVisit, visit.id)
    assert visit.leapfrog and visit.state == "directed" and visit.matter_id is None
    assert visit.competent_agency.name == "城关镇" and number.endswith("1号")
    notes = db.session.execute(
        select(TimelineEntry.title, TimelineEntry.matter_id).where(
            TimelineEntry.title == "越级走访"
        )
    ).all()
    assert [m for _, m in notes] == [below.id]
    with app.test_request_context():
        from core.api import render_pdf

        pdf = render_pdf(
            "reception/pdf/leapfrog_notice.html", {"visit": visit, "title": "引导逐级走访告知书"}
        )
    assert pdf.startswith(b"%PDF")


def test_board_shows_the_queue_and_waiting_times(hall):
    first = _visit()
    _visit(name="李小红", id_number=OTHER_ID)
    with as_("officer"):
        svc.call(first)
        svc.set_duty(_unit("办信办案窗口"), [user("officer").id])
    now = svc.utcnow() + timedelta(minutes=20)
    row = next(r for r in svc.board(agency("XFJ").id, now=now) if r["unit"].general)
    assert [v.queue_number for v, _ in row["waiting"]] == [2]
    assert row["waiting"][0][1] >= 19
    assert [v.queue_number for v in row["called"]] == [1]
    assert [u.username for u in row["on_duty"]] == ["officer"]


# --- leader reception days ------------------------------------------------------------------


def _session(**kw):
    data = dict(
        agency_id=agency("XFJ").id,
        leader_id=user("leader").id,
        leader_name="张县长",
        post="副县长",
        portfolio=[category("劳动和社会保障").id, category("教育").id],
        day=svc.today(),
        start_time="08:30",
        end_time="11:30",
        place="县信访局接待大厅",
        capacity=3,
        cutoff=svc.utcnow() + timedelta(hours=1),
    )
    data.update(kw)
    with as_("supervisor"):
        s = svc.schedule(**data)
        svc.publish(s)
    return s


def _booking(seq: int = 1, **kw):
    data = dict(
        name="王大明",
        id_number=id_number(seq),
        summary="反映单位拖欠工资三个月",
        category_id=category("拖欠工资").id,
    )
    data.update(kw)
    return svc.Booking(**data)


def test_appointment_refused_outside_the_portfolio(hall):
    s = _session()
    with as_("clerk"):
        appt = svc.book(s, _booking(category_id=category("宅基地纠纷").id))
    assert appt.state == "refused" and "分管范围" in appt.refusal


def test_appointment_refused_when_petitioned_within_two_months_and_in_hand(hall):
    s = _session()
    with as_("clerk"):
        register_matter(
            Registration(
                channel="letter",
                summary="单位拖欠工资",
                received_on=svc.today() - timedelta(days=20),
                parties=[PartyInput(name="王大明", id_number=id_number(1))],
            )
        )
        appt = svc.book(s, _booking())
    assert appt.state == "refused" and "近两个月内已信访" in appt.refusal


def test_appointment_refused_when_the_same_matter_is_terminated(hall):
    s = _session()
    with as_("clerk"):
        old = register_matter(
            Registration(
                channel="letter",
                summary="反映单位拖欠工资三个月",
                received_on=svc.today() - timedelta(days=200),
                parties=[PartyInput(name="王大明", id_number=id_number(1))],
            )
        )
    old = db.session.get(Matter, old.id)
    old.state = "terminated"  # the three levels done (复核 concluded) long ago
    db.session.commit()
    with as_("clerk"):
        appt = svc.book(s, _booking())
    assert appt.state == "refused" and "已终结" in appt.refusal


def test_appointment_cutoff_capacity_and_publication(hall):
    s = _session(capacity=1)
    with as_("clerk"):
        assert svc.book(s, _booking(1)).state == "booked"
        with pytest.raises(svc.ReceptionError, match="已满"):
            svc.book(s, _booking(2))
        with pytest.raises(svc.ReceptionError, match="截止"):
            svc.book(s, _booking(3), now=s.cutoff + timedelta(minutes=1))
    with as_("supervisor"):
        draft = svc.schedule(
            agency_id=agency("XFJ").id,
            leader_name="李书记",
            post="县委书记",
            portfolio=[category("教育").id],
            day=svc.today() + timedelta(days=7),
            start_time="08:00",
            end_time="11:00",
            place="县信访局",
            capacity=5,
        )
    with as_("clerk"), pytest.raises(svc.ReceptionError, match="尚未公布"):
        svc.book(draft, _booking(4, category_id=category("入学招生").id))


@pytest.mark.parametrize("outcome", ["answered", "assigned", "owned"])
def test_session_outcomes(hall, outcome):
    s = _session()
    with as_("supervisor"):
        svc.attach_lawyer(s, user("lawyer").id)
    with as_("clerk"):
        appt = svc.book(s, _booking())
        svc.check_in(appt)
    with as_("officer"):
        matter = svc.session_outcome(
            appt,
            outcome,
            text="请县人社局依法督促用人单位支付工资",
            agency_id=agency("CJJ").id,
            deadline=svc.today() + timedelta(days=15),
        )
    matter = db.session.get(Matter, matter.id)
    expected = {"answered": "answered", "assigned": "assigned", "owned": "registered"}[outcome]
    assert matter.state == expected
    titles = list(
        db.session.execute(
            select(TimelineEntry.title).where(TimelineEntry.matter_id == matter.id)
        ).scalars()
    )
    assert "领导接访" in titles
    if outcome == "owned":
        assert "领导包案" in titles
    if outcome == "assigned":
        slip = db.session.execute(
            select(AssignmentSlip).where(AssignmentSlip.matter_id == matter.id)
        ).scalar_one()
        assert slip.leader == "副县长张县长"


def test_installs_and_uninstalls_on_a_database_with_matters_from_other_channels(app):
    with app.app_context():
        with as_("clerk"):
            letter = register_matter(
                Registration(
                    channel="letter",
                    summary="来信反映噪声污染",
                    received_on=svc.today(),
                    parties=[PartyInput(name="王大明", id_number=VALID_ID)],
                )
            )
        install(["reception"])
        assert len(svc.units(agency("XFJ").id)) == 7
        with as_("clerk"):
            visit = svc.arrive(svc.Arrival(name="王大明", id_number=VALID_ID))
            assert [m.id for m in svc.history(VALID_ID)["open"]] == [letter.id]
        uninstall("reception")
        assert db.session.get(Matter, letter.id).state == "registered"
        assert db.session.get(models.ReceptionVisit, visit.id) is not None  # data kept
        install(["reception"])  # seed not loaded twice
        assert len(svc.units(agency("XFJ").id)) == 7
        step = perform  # the case file still works for the letter
        with as_("supervisor"):
            m = db.session.get(Matter, letter.id)
            step(
                m,
                "assign",
                {
                    "agency_id": agency("CJJ").id,
                    "standard": "核实",
                    "deadline": svc.today() + timedelta(days=10),
                },
                version=m.version,
            )


def test_purge_backs_up_and_drops_the_tables_then_reinstalls(app, tmp_path):
    from sqlalchemy import inspect

    with app.app_context():
        with as_("clerk"):
            letter = register_matter(
                Registration(
                    channel="letter",
                    summary="来信反映噪声污染",
                    received_on=svc.today(),
                    parties=[PartyInput(name="王大明", id_number=VALID_ID)],
                )
            )
        install(["reception"])
        with as_("clerk"):
            svc.arrive(svc.Arrival(name="王大明", id_number=VALID_ID))
        letter_id = letter.id
        uninstall("reception")
        backup = purge("reception", backup_dir=tmp_path)
        assert "reception_visit" in backup.read_text(encoding="utf-8")
        db.session.remove()
        tables = set(inspect(db.engine).get_table_names())
        assert not {t for t in tables if t.startswith("reception_")}
        assert db.session.get(Matter, letter_id) is not None
        install(["reception"])
        assert len(svc.units(agency("XFJ").id)) == 7


def test_two_officers_calling_the_same_number_one_is_refused(hall):
    visit = _visit()
    with as_("officer"):
        svc.call(visit)
        with pytest.raises(svc.ReceptionError, match="不在候谈队列"):
            svc.call(db.session.get(models.ReceptionVisit, visit.id))


def test_desks_registering_at_the_same_moment_get_distinct_queue_numbers(hall):
    import threading

    from flask import current_app

    app = current_app._get_current_object()
    numbers: list[int] = []
    problems: list[BaseException] = []
    barrier = threading.Barrier(4)

    def desk(i: int) -> None:
        with app.app_context():
            try:
                with as_("clerk"):
                    barrier.wait()
                    visit = svc.arrive(svc.Arrival(name=f"来访人{i}", id_number=id_number(i)))
                    numbers.append(visit.queue_number)
            except BaseException as exc:
                problems.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=desk, args=(i,)) for i in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not problems, problems
    assert sorted(numbers) == [1, 2, 3, 4]


def test_outcome_refused_before_registering_without_triage_right_and_retry_reuses_matter(hall):
    s = _session()
    with as_("clerk"):
        appt = svc.book(s, _booking())
        svc.check_in(appt)
    deadline = svc.today() + timedelta(days=15)
    with as_("leader"), pytest.raises(svc.ReceptionError, match="分流权限"):
        svc.session_outcome(appt, "answered", text="答复")
    assert db.session.execute(select(func.count()).select_from(Matter)).scalar() == 0
    with as_("officer"), pytest.raises(svc.ReceptionError):
        # Assigning to the bureau itself is refused by core after the matter is registered.
        svc.session_outcome(
            appt, "assigned", text="批示", agency_id=agency("XFJ").id, deadline=deadline
        )
    appt = db.session.get(models.ReceptionAppointment, appt.id)
    assert appt.state == "checked_in" and appt.matter_id is not None
    with as_("officer"):
        svc.session_outcome(
            appt, "assigned", text="批示", agency_id=agency("CJJ").id, deadline=deadline
        )
    assert db.session.execute(select(func.count()).select_from(Matter)).scalar() == 1
    assert db.session.get(Matter, appt.matter_id).state == "assigned"
