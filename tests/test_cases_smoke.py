from datetime import date, timedelta

from core.cases.models import Matter
from core.extensions import db
from tests.cases_support import agency, register, step


def test_assign_accept_opinion_delivery(app):
    with app.app_context():
        m = register()
        assert m.state == "registered"
        assert m.number
        today = date.today()
        step(
            m.id,
            "supervisor",
            "assign",
            agency_id=agency("CJJ").id,
            standard="查清补偿款情况",
            deadline=today + timedelta(days=30),
        )
        step(m.id, "handler", "accept")
        step(
            m.id,
            "handler",
            "draft_opinion",
            facts="经查属实",
            basis="《征收补偿条例》",
            demands=[{"demand": "补发拆迁补偿款", "outcome": "support"}],
        )
        doc = step(m.id, "cjj_leader", "approve_opinion")
        assert doc.title == "信访事项处理意见书"
        step(m.id, "handler", "record_delivery", method="in_person")
        m = db.session.get(Matter, m.id)
        assert m.state == "completion_review"
        step(m.id, "supervisor", "approve_completion")
        m = db.session.get(Matter, m.id)
        assert m.state == "review_window"
