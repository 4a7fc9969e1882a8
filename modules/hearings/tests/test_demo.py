"""``flask demo load`` gives the demo hearing officer work (twice: it is idempotent)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.api import db
from tests.kit import install, login

from .hearing_kit import models

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


def test_demo_gives_the_hearing_officer_work(app):
    with app.app_context():
        install(["hearings"])
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        counts = {
            m.__name__: db.session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (models.Venue, models.Panelist, models.Hearing, models.Application)
        }
        assert counts == {"Venue": 2, "Panelist": 5, "Hearing": 1, "Application": 2}
        password = app.config["MINSHENG_VAR_DIR"] + "/demo-password.txt"
    with open(password, encoding="utf-8") as f:
        secret = f.read().strip()
    c = app.test_client()
    assert login(c, "hearing_officer", secret).status_code == 302
    assert "第一听证室" in c.get("/hearings/").get_data(as_text=True)
    assert "待决定" in c.get("/hearings/?tab=applications").get_data(as_text=True)
