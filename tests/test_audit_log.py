"""The audit log page: newest first, filtered by action, user name and object (core_0009)."""

from __future__ import annotations

import re

from core.audit import record
from core.extensions import db


def _events(app) -> None:
    with app.app_context():
        record("matter.register", summary="登记一", object_type="Matter", object_id=7)
        record("matter.assign", summary="交办一", object_type="Matter", object_id=7)
        record("matter.register", summary="登记二", object_type="Matter", object_id=8)
        db.session.commit()


def _summaries(html: str) -> list[str]:
    return re.findall(r"<td>(登记.|交办.)</td>", html)


def test_the_audit_log_filters_by_action_user_and_object_newest_first(app, as_user):
    _events(app)
    auditor = as_user("admin")
    page = auditor.get("/admin/audit").get_data(as_text=True)
    assert _summaries(page) == ["登记二", "交办一", "登记一"]
    assert _summaries(auditor.get("/admin/audit?action=matter.reg").get_data(as_text=True)) == [
        "登记二",
        "登记一",
    ]
    assert _summaries(auditor.get("/admin/audit?object=7").get_data(as_text=True)) == [
        "交办一",
        "登记一",
    ]
    # Events without a logged-in user are the system's; the admin's own login is theirs.
    by_system = auditor.get("/admin/audit?who=system").get_data(as_text=True)
    assert _summaries(by_system) == ["登记二", "交办一", "登记一"]
    by_admin = auditor.get("/admin/audit?who=admin").get_data(as_text=True)
    assert _summaries(by_admin) == [] and "<code>login.success</code>" in by_admin
    assert "<code>login.success</code>" not in by_system
    assert _summaries(auditor.get("/admin/audit?who=nobody").get_data(as_text=True)) == []


def test_the_audit_log_is_only_for_those_allowed_to_read_it(app, as_user):
    _events(app)
    resp = as_user("clerk").get("/admin/audit")
    assert resp.status_code == 403
    assert "登记一" not in resp.get_data(as_text=True)


def test_a_reader_limited_to_their_agencies_sees_only_their_part_of_the_log(app, as_user):
    """The record rules hold on the log: a unit's own auditor (audit right, no all-records)
    reads what their agency's people did and what was done to matters they see."""
    from sqlalchemy import select

    from core.accounts.models import Permission, Role
    from tests.kit import add_user, agency, register, step

    with app.app_context():
        role = Role(code="unit_auditor", name="单位审计员")
        role.permissions = list(
            db.session.execute(
                select(Permission).where(Permission.name == "core.audit.view")
            ).scalars()
        )
        db.session.add(role)
        db.session.commit()
        add_user("cjj_auditor", "住建局审计员", "unit_auditor", "CJJ")
        kept = register()  # by the bureau's clerk, then forwarded to the housing bureau
        step(kept.id, "supervisor", "forward", agency_id=agency("CJJ").id)
        other = register()  # stays the bureau's
        numbers = (kept.number, other.number)
        record("calendar.note", summary="系统对他处记录的操作", actor=None, object_type="X")
        db.session.commit()
    as_user("handler").get("/cases/queue")  # the housing bureau's handler logs in: theirs
    page = as_user("cjj_auditor").get("/admin/audit").get_data(as_text=True)
    assert numbers[0] in page  # the matter forwarded to them: its registration and forwarding
    assert numbers[1] not in page  # the bureau's own matter
    assert "<code>login.success</code>" in page  # the handler's (and their own) logins
    assert "系统对他处记录的操作" not in page  # the system's event on no record of theirs
    everything = as_user("auditor").get("/admin/audit").get_data(as_text=True)
    assert numbers[0] in everything and numbers[1] in everything
