"""The module contract: a module adds to the lifecycle from its manifest alone.

``tests/sample_modules/mediation`` declares a state, two steps, a guard on core's ``extend``,
a pause of the handling clock between its steps and a role — nothing else. Installed, they work
through ``perform`` and the matter page; uninstalled they are gone; purged, so is the role.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from core.accounts.models import Permission, Role, User
from core.accounts.passwords import hash_password
from core.audit import AuditEvent
from core.cases.clocks.clocks import load_calendar
from core.cases.lifecycle.registration import MatterError
from core.extensions import db
from core.registry.installer import install, purge, uninstall
from tests.cases_support import agency, register, step
from tests.cases_web_support import page_token, step_version
from tests.lifecycle_support import clock, documents, fresh, to_handling
from tests.plugin import PASSWORD, SAMPLE_MODULES, login, make_app

MEDIATION = "tests.sample_modules.mediation"


@pytest.fixture
def med_app(app, tmp_path):
    """Another app on the database of ``app``, with the mediation module present."""
    other = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path / "var-mediation",
        MINSHENG_EXTRA_MODULES=(*SAMPLE_MODULES, MEDIATION),
    )
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _mediator() -> None:
    role = db.session.execute(select(Role).where(Role.code == "mediator")).scalar_one()
    db.session.add(
        User(
            username="cjj_mediator",
            display_name="住建局调解员",
            password_hash=hash_password(PASSWORD),
            roles=[role],
            agency_id=agency("CJJ").id,
        )
    )
    db.session.commit()


def _matter_in_handling() -> int:
    today = date.today()
    mid = register(received_on=today - timedelta(days=20)).id
    to_handling(mid, today - timedelta(days=19))
    return mid


def _counted_end(explanation: str) -> date:
    """The period's last counted day, before any roll-over (the "… → date" step)."""
    return date.fromisoformat(re.search(r"→ (\d{4}-\d{2}-\d{2})", explanation).group(1))


def test_declared_step_guard_pause_and_role_work_while_installed(med_app):
    today = date.today()
    with med_app.app_context():
        install(["mediation"])
        role = db.session.execute(select(Role).where(Role.code == "mediator")).scalar_one()
        assert sorted(p.name for p in role.permissions) == [
            "core.cases.handle",
            "mediation.mediate",
        ]
        _mediator()
        mid = _matter_in_handling()
        counted = _counted_end(clock(mid, "handling").explanation)

        step(mid, "cjj_mediator", "start_mediation", on=today - timedelta(days=10), text="同意")
        assert fresh(mid).state == "mediating"
        assert clock(mid, "handling").state == "paused"
        with pytest.raises(MatterError, match="调解结束日期不能早于调解开始日期"):
            step(mid, "cjj_mediator", "end_mediation", on=today - timedelta(days=11))
        assert fresh(mid).state == "mediating"
        step(mid, "cjj_mediator", "end_mediation", on=today - timedelta(days=8))
        handling = clock(mid, "handling")
        assert (fresh(mid).state, handling.state) == ("in_handling", "running")
        # Days 10, 9 and 8 before today did not count, and the explanation says why: the counted
        # end moves by 3 days (the due date then rolls over a rest day once, at that end).
        end = counted + timedelta(days=3)
        assert _counted_end(handling.explanation) == end
        calendar = load_calendar()
        assert handling.due == (end if calendar.is_workday(end) else calendar.next_workday(end))
        first = (today - timedelta(days=10)).isoformat()
        last = (today - timedelta(days=8)).isoformat()
        assert f"调解期间 {first} 至 {last} 共 3 日不计入期限" in handling.explanation

        # The module's guard on core's step: no extension once mediation paused the period.
        with pytest.raises(MatterError, match="调解期间已中止办理期限，不再延期"):
            step(mid, "cjj_leader", "extend", days=30, reason="情况复杂")
        assert clock(mid, "handling").extension_days == 0


def test_the_declared_step_is_on_the_matter_page_and_runs_from_it(med_app):
    with med_app.app_context():
        install(["mediation"])
        _mediator()
        mid = _matter_in_handling()
    client = med_app.test_client()
    assert login(client, "cjj_mediator").status_code == 302
    page = client.get(f"/cases/{mid}").get_data(as_text=True)
    assert "组织调解（办理期限中止）" in page
    # The module's panel on core's page, for holders of its permission, its text escaped.
    assert '<section class="card" id="mediation-panel">调解记录：' in page
    other = med_app.test_client()
    assert login(other, "cjj_leader").status_code == 302
    assert 'id="mediation-panel"' not in other.get(f"/cases/{mid}").get_data(as_text=True)
    resp = client.post(
        f"/cases/{mid}/actions/start_mediation",
        data={
            "csrf_token": page_token(page),
            "start_mediation-version": step_version(page, "start_mediation"),
            "start_mediation-text": "双方同意调解",
        },
    )
    assert resp.status_code == 302
    with med_app.app_context():
        assert fresh(mid).state == "mediating"
        assert clock(mid, "handling").state == "paused"
    page = client.get(f"/cases/{mid}").get_data(as_text=True)
    assert "调解中（办理期限中止）" in page
    assert "调解结束（办理期限恢复）" in page


def test_uninstalled_the_steps_and_guard_are_gone_and_purged_the_role(med_app):
    with med_app.app_context():
        install(["mediation"])
        _mediator()
        mid = _matter_in_handling()
        step(mid, "cjj_mediator", "start_mediation", text="同意")
        step(mid, "cjj_mediator", "end_mediation", text="结束")
        uninstall("mediation")
    # A new request: the registry reads the installed modules again.
    with med_app.app_context():
        with pytest.raises(MatterError, match="未知的操作"):
            step(mid, "cjj_mediator", "start_mediation", text="再次调解")
        assert fresh(mid).state == "in_handling"
        # The guard went with the module: the extension is granted.
        step(mid, "cjj_leader", "extend", days=30, reason="情况复杂")
        assert clock(mid, "handling").extension_days == 30
    client = med_app.test_client()
    assert login(client, "cjj_mediator").status_code == 302
    page = client.get(f"/cases/{mid}").get_data(as_text=True)
    # The timeline keeps the steps taken; the step's form and the module's panel are gone.
    assert "组织调解（办理期限中止）" in page
    assert 'name="start_mediation-version"' not in page
    assert 'id="mediation-panel"' not in page
    with med_app.app_context():
        purge("mediation", backup_dir=Path(med_app.config["MINSHENG_VAR_DIR"]) / "b")
    with med_app.app_context():
        assert db.session.execute(select(Role).where(Role.code == "mediator")).first() is None
        assert (
            db.session.execute(select(Permission).where(Permission.module == "mediation")).first()
            is None
        )
        user = db.session.execute(select(User).where(User.username == "cjj_mediator")).scalar_one()
        assert user.roles == []


def test_demo_loader_runs_while_installed_and_once(med_app):
    from core.demo import load_module_demos

    def mediators() -> int:
        found = db.session.execute(select(User).where(User.username == "demo_mediator2"))
        return len(found.all())

    with med_app.app_context():
        load_module_demos()
        assert mediators() == 0
        install(["mediation"])
    with med_app.app_context():
        load_module_demos()
        load_module_demos()
        assert mediators() == 1


def test_signals_reach_receivers_inside_the_action(app):
    from core import signals
    from core.api import record_audit, transactional

    seen = []

    def on_registered(sender, matter):
        seen.append(("registered", matter.number))
        # A receiver's write joins the action: it commits or rolls back with it.
        record_audit("test.signal_seen", matter)

    def on_state(sender, matter, transition, before, after):
        seen.append(("state", transition, before, after))

    def on_clock(sender, clock, change):
        seen.append(("clock", clock.kind, change))

    def on_document(sender, matter, document):
        seen.append(("document", document.kind, document.number))

    @transactional
    def failing():
        seen.append(("failing", register().number))
        raise RuntimeError("the module's part failed")

    with (
        signals.matter_registered.connected_to(on_registered),
        signals.matter_state_changed.connected_to(on_state),
        signals.clock_changed.connected_to(on_clock),
        signals.document_issued.connected_to(on_document),
        app.app_context(),
    ):
        matter = register()
        number = matter.number
        to_handling(matter.id, date.today())
        with pytest.raises(RuntimeError, match="module's part"):
            failing()
        kept = db.session.execute(
            select(AuditEvent.object_id).where(AuditEvent.action == "test.signal_seen")
        ).scalars()
        assert list(kept) == [str(matter.id)]
        notice = documents(matter.id)[-1]
        assert notice.kind == "acceptance_notice"
    assert seen[0] == ("registered", number)
    assert ("state", "forward", "registered", "forwarded") in seen
    assert ("state", "accept", "forwarded", "in_handling") in seen
    assert ("clock", "handling", "started") in seen
    assert ("document", "acceptance_notice", notice.number) in seen
    # The failing action's receiver ran (on its matter, numbered) and its write went with it.
    failed = seen[-1][1]
    assert seen[-2:] == [("registered", failed), ("failing", failed)]


def test_a_declared_pause_signals_paused_and_resumed(med_app):
    from core import signals

    changes = []

    def on_clock(sender, clock, change):
        changes.append((clock.kind, change))

    with med_app.app_context():
        install(["mediation"])
        _mediator()
        mid = _matter_in_handling()
        with signals.clock_changed.connected_to(on_clock):
            step(mid, "cjj_mediator", "start_mediation", text="同意")
            step(mid, "cjj_mediator", "end_mediation", text="结束")
    assert changes == [("handling", "paused"), ("handling", "resumed")]
