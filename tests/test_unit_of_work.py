"""The unit of work itself: nested services join, the outermost commits once or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.api import ActionRefused, Matter, after_commit, db, transactional
from tests.cases_support import register


def _count() -> int:
    db.session.remove()
    return db.session.execute(select(func.count()).select_from(Matter)).scalar_one()


def test_a_failure_after_a_nested_registration_leaves_nothing_and_runs_no_callback(app):
    done = []

    @transactional
    def action():
        register()  # core's transactional registration joins this action
        after_commit(lambda: done.append("committed"))
        raise RuntimeError("the module's part failed")

    with app.app_context():
        before = _count()
        with pytest.raises(RuntimeError, match="module's part"):
            action()
        assert _count() == before
    assert done == []


def test_a_refusal_that_keeps_commits_what_came_before_and_is_raised(app):
    done = []

    @transactional
    def action():
        number = register().number
        after_commit(lambda: done.append(number))
        raise ActionRefused("事项已登记，但不能当场答复。", keep=True)

    with app.app_context():
        before = _count()
        with pytest.raises(ActionRefused, match="不能当场答复"):
            action()
        assert _count() == before + 1
    assert len(done) == 1


def test_a_refusal_without_keep_rolls_back(app):
    @transactional
    def action():
        register()
        raise ActionRefused("不予办理。")

    with app.app_context():
        before = _count()
        with pytest.raises(ActionRefused, match="不予办理"):
            action()
        assert _count() == before
