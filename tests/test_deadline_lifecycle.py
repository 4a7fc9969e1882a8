"""The clocks of §1.9 that the lifecycle starts, and leapfrog detection by administrative level.

Rows 2 (the forwarding chain), 3 (no receipt notice when name or address is unclear), 13
(proposal feedback, off by default) and 15 (local outcome notice, off by default).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.accounts.models import Agency
from core.cases.models import Clock, TimelineEntry
from core.cases.search.repeats import find_candidates
from core.extensions import db
from tests.cases_support import VALID_ID, agency, as_, register, step
from tests.lifecycle_support import OPINION

D = date


def _clocks(matter_id: int) -> dict[str, Clock]:
    rows = db.session.execute(select(Clock).where(Clock.matter_id == matter_id)).scalars()
    return {c.kind: c for c in rows}


def test_a_matter_through_the_chain_gets_its_levels_share_and_forwarding_meets_it(app):
    with app.app_context():
        plain = register(received_on=D(2026, 9, 28))
        assert set(_clocks(plain.id)) == {"disposition"}
        m = register(received_on=D(2026, 9, 28), flags=["via_chain"])
        chain = _clocks(m.id)["chain_county"]  # 县信访局: a county organ, 4 days
        # Day 4 is 2026-10-02 (国庆节): it rolls to 2026-10-08.
        assert (chain.days, chain.due, chain.label) == (4, D(2026, 10, 8), "逐级转送（县级）")
        assert chain.article == "国信发〔2014〕16号第6条"
        step(m.id, "supervisor", "forward", on=D(2026, 10, 8), agency_id=agency("CJJ").id)
        clocks = _clocks(m.id)
        assert (clocks["chain_county"].state, clocks["disposition"].state) == ("met", "met")


def test_a_chain_level_switched_off_starts_no_chain_clock(app):
    app.config["MINSHENG_CLOCKS"] = {"chain_county": {"enabled": False}}
    with app.app_context():
        m = register(received_on=D(2026, 9, 28), flags=["via_chain"])
        assert set(_clocks(m.id)) == {"disposition"}


def test_no_receipt_notice_clock_when_name_or_address_is_unclear(app):
    with app.app_context():
        m = register(received_on=D(2026, 9, 28), flags=["contact_unclear"])
        step(m.id, "supervisor", "forward", on=D(2026, 9, 29), agency_id=agency("CJJ").id)
        clocks = _clocks(m.id)
        assert "acceptance" not in clocks
        assert clocks["objection"].state == "running"  # the unit may still object
        titles = db.session.execute(
            select(TimelineEntry.body).where(TimelineEntry.matter_id == m.id)
        ).scalars()
        assert any("无需书面告知（条例第23条第2款）" in (t or "") for t in titles)
        clear = register(received_on=D(2026, 9, 28))
        step(clear.id, "supervisor", "forward", on=D(2026, 9, 29), agency_id=agency("CJJ").id)
        assert _clocks(clear.id)["acceptance"].due == D(2026, 10, 14)


def _to_opinion(mid: int) -> None:
    step(mid, "supervisor", "forward", on=D(2026, 4, 27), agency_id=agency("CJJ").id)
    step(mid, "handler", "accept", on=D(2026, 4, 28))
    step(mid, "handler", "draft_opinion", on=D(2026, 4, 29), **OPINION)
    step(mid, "cjj_leader", "approve_opinion", on=D(2026, 4, 30))


def test_outcome_notice_is_off_by_default_and_runs_when_switched_on(app):
    with app.app_context():
        off = register(received_on=D(2026, 4, 27), handling_type="suggestion")
        _to_opinion(off.id)
        assert "outcome_notice" not in _clocks(off.id)
    app.config["MINSHENG_CLOCKS"] = {"outcome_notice": {"enabled": True}}
    with app.app_context():
        m = register(received_on=D(2026, 4, 27), handling_type="suggestion")
        _to_opinion(m.id)
        notice = _clocks(m.id)["outcome_notice"]
        # 5 working days from 2026-04-30 across 劳动节, with the 05-09 make-up Saturday.
        assert (notice.unit, notice.due, notice.state) == ("working", D(2026, 5, 11), "running")
        assert "2026-05-09 是调休上班日" in notice.explanation
        step(m.id, "handler", "record_delivery", on=D(2026, 5, 6), method="in_person")
        assert _clocks(m.id)["outcome_notice"].state == "met"
        # Only criticisms and suggestions: a 申诉求决 matter starts none.
        other = register(received_on=D(2026, 4, 27))
        _to_opinion(other.id)
        assert "outcome_notice" not in _clocks(other.id)


def test_proposal_feedback_clock_only_when_switched_on(app):
    with app.app_context():
        m = register(received_on=D(2026, 5, 18))
        step(m.id, "supervisor", "improvement_proposal", on=D(2026, 5, 20),
             agency_id=agency("CJJ").id, text="建议完善补偿款拨付流程")  # fmt: skip
        assert "proposal_feedback" not in _clocks(m.id)
    app.config["MINSHENG_CLOCKS"] = {"proposal_feedback": {"enabled": True}}
    with app.app_context():
        m = register(received_on=D(2026, 5, 18))
        step(m.id, "supervisor", "improvement_proposal", on=D(2026, 5, 20),
             agency_id=agency("CJJ").id, text="建议完善补偿款拨付流程")  # fmt: skip
        clock = _clocks(m.id)["proposal_feedback"]
        assert (clock.days, clock.due) == (30, D(2026, 6, 22))  # day 30 is 端午节
        assert clock.responsible_agency_id == agency("CJJ").id
        step(m.id, "handler", "proposal_feedback", on=D(2026, 6, 10), text="已采纳，修订拨付办法")
        assert _clocks(m.id)["proposal_feedback"].state == "met"


# --- leapfrog by administrative level -------------------------------------------------------


def test_administrative_level_is_data_on_the_agency_tree(app):
    with app.app_context():
        assert [agency(c).admin_level for c in ("ROOT", "XFJ", "CJJ", "TOWN", "COMM")] == [
            "county",
            "county",
            "county",
            "town",
            "community",
        ]
        assert agency("XFJ").government.code == "ROOT"
        assert agency("COMM").admin_rank > agency("TOWN").admin_rank > agency("XFJ").admin_rank


def _leapfrog(matter_agency: str, asked_at: str) -> bool:
    m = register(received_on=D(2026, 3, 2))
    step(m.id, "supervisor", "forward", on=D(2026, 3, 2), agency_id=agency(matter_agency).id)
    with as_("leader"):
        found = find_candidates(id_number=VALID_ID, agency=agency(asked_at))
    return {c.matter_id: c for c in found}[m.id].leapfrog


def test_a_department_of_the_same_government_is_no_leapfrog(app):
    with app.app_context():
        # 县住建局 handles it; the petitioner comes to the county's own bureau or government.
        assert _leapfrog("CJJ", "XFJ") is False
        assert _leapfrog("CJJ", "ROOT") is False


def test_a_lower_level_handling_it_is_a_leapfrog(app):
    with app.app_context():
        # 城关镇 (town) handles it; the county's bureau is one level up.
        assert _leapfrog("TOWN", "XFJ") is True
        assert _leapfrog("COMM", "ROOT") is True


def test_a_lower_level_elsewhere_or_a_higher_one_is_no_leapfrog(app):
    with app.app_context():
        # Another county's bureau: not its area. A town asked about a county matter: lower.
        other = db.session.get(Agency, agency("OTHER").id)
        assert other.admin_level == "county"
        assert _leapfrog("TOWN", "OTHER") is False
        assert _leapfrog("CJJ", "TOWN") is False


def test_a_higher_deadline_is_reminded_and_listed_overdue_like_every_clock(app, as_user):
    from core.cases.clocks import clocks, jobs
    from core.cases.models import Matter, Reminder

    label = "上级交办期限（市信访局 1号）"
    overdue_tab = "/cases/queue?tab=overdue"
    supervisor = as_user("supervisor")
    assert label not in supervisor.get(overdue_tab).get_data(as_text=True)
    with app.app_context():
        m = register(received_on=D(2026, 9, 28))
        with as_("clerk"):
            matter = db.session.get(Matter, m.id)
            clocks.set_higher_deadline(matter, D(2026, 10, 9), D(2026, 9, 28), "市信访局 1号")
            db.session.commit()
        assert jobs.remind(D(2026, 10, 7))["due_soon"] >= 1
        assert jobs.remind(D(2026, 10, 10))["overdue"] >= 1
        texts = db.session.execute(select(Reminder.message)).scalars().all()
        assert any("上级交办期限（市信访局 1号）将于 2026-10-09 届满" in t for t in texts)
        assert any("上级交办期限（市信访局 1号）已于 2026-10-09 届满，已超期" in t for t in texts)
    # Past its date (every day after 2026-10-09), it is on the overdue list with its label.
    assert label in supervisor.get(overdue_tab).get_data(as_text=True)
