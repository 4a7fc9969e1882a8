"""``flask demo load`` shows the duty rule: the demo lawyer opens the bureau's matters only.

The lawyer's account sits in the justice bureau; on duty in the petition bureau's hall today,
the lawyer opens its matters (the one attached to them among them) and none of another agency.
Loaded twice: it is idempotent.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.api import db
from tests.kit import install, login, register, user

from .hall import models

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def test_demo_lawyer_opens_the_matters_of_the_hall_on_duty_and_no_other(app):
    with app.app_context():
        install(["legal_aid"])
        # As on a fresh site, the demo makes its own supervisor at the bureau (the test
        # template's sits elsewhere).
        user("supervisor").username = "test_supervisor"
        db.session.commit()
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(select(func.count(models.Lawyer.id))).scalar_one() == 3
        attached = db.session.execute(select(models.Assignment.matter_id)).scalar_one()
        elsewhere = register().id  # a matter of another agency (the test bureau XFJ)
        password = app.config["MINSHENG_VAR_DIR"] + "/demo-password.txt"
    with open(password, encoding="utf-8") as f:
        secret = f.read().strip()
    c = app.test_client()
    assert login(c, "lawyer", secret).status_code == 302
    assert c.get(f"/cases/{attached}").status_code == 200
    assert c.get(f"/cases/{elsewhere}").status_code == 404
