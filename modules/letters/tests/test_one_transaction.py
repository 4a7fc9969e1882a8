"""One desk action, one transaction: the letters' part failing after the matter is written.

A letter with scans and an online petition with files register a matter in core and then write
the module's letter row and store the files. If that fails, nothing of the action may stay: no
matter, no number used, no file on disk, no audit event, no letter row. Without the fault the
whole intake is committed once.
"""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.api import Matter, acting_as, db
from tests.kit import count_commits, csrf_token, database_state, stored_files, user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _svc(name: str = ""):
    # Imported when used, not at collection: the registry learns the module's tables by
    # importing its models when the first app is built.
    return importlib.import_module("modules.letters.services" + (f".{name}" if name else ""))


@pytest.fixture
def letters(app, as_user):
    """The letters module installed through the admin page; an app context pushed."""
    admin = as_user("admin")
    token = csrf_token(admin, "/admin/modules")
    resp = admin.post("/admin/modules/letters/install", data={"csrf_token": token})
    assert resp.status_code == 302
    with app.app_context():
        yield app


def _letter_input():
    return _svc().LetterInput(
        name="赵四",
        summary="反映村道损毁多年未修，要求修复。",
        received_on=date.today(),
        mobile="13700137000",
        address="城关镇南街3号",
        postmark_on=date.today() - timedelta(days=2),
        envelope="城关镇南街3号 赵四",
    )


SCANS = [("第1页.pdf", PDF), ("第2页.png", PNG)]


def _failing_after(module, seen: dict):
    """``file_letter`` of ``module`` writing its row and files, then failing."""
    original = module.file_letter

    def broken(matter, *args, **kwargs):
        original(matter, *args, **kwargs)
        seen["matter"] = db.session.execute(
            select(Matter.number).where(Matter.id == matter.id)
        ).scalar_one()
        seen["files"] = stored_files()
        raise RuntimeError("the letter could not be filed")

    return broken


def test_letter_with_scans_failing_at_the_letter_row_leaves_nothing(letters, monkeypatch):
    before = database_state("letters")
    seen: dict = {}
    desk = _svc("desk")
    monkeypatch.setattr(desk, "file_letter", _failing_after(desk, seen))
    with acting_as(user("clerk")), pytest.raises(RuntimeError, match="filed"):
        _svc().intake(_letter_input(), SCANS)
    assert seen["matter"]  # the matter had been written, with its number
    assert len(seen["files"]) == len(before["files"]) + 2  # and both scans were on disk
    assert database_state("letters") == before


def test_online_petition_failing_at_its_own_row_leaves_nothing(letters, monkeypatch):
    before = database_state("letters")
    seen: dict = {}
    online = _svc("online")
    monkeypatch.setattr(online, "file_letter", _failing_after(online, seen))
    petition = _svc().OnlinePetition(
        name="李秀英",
        content="小区污水管道堵塞半年无人维修，要求尽快疏通。",
        mobile="13900139000",
    )
    with pytest.raises(RuntimeError, match="filed"):
        _svc().submit_online(petition, [("照片.png", PNG)])
    assert seen["matter"]
    assert len(seen["files"]) == len(before["files"]) + 1
    assert database_state("letters") == before


def test_letter_with_scans_is_committed_once_with_everything(letters, monkeypatch):
    before = database_state("letters")
    commits = count_commits(monkeypatch)
    with acting_as(user("clerk")):
        letter = _svc().intake(_letter_input(), SCANS)
    assert len(commits) == 1
    monkeypatch.undo()
    matter_id = letter.matter_id
    after = database_state("letters")
    assert after["core_matter"] == before["core_matter"] + 1
    assert after["letters_letter"] == before["letters_letter"] + 1
    assert after["core_attachment"] == before["core_attachment"] + 2
    assert len(after["files"]) == len(before["files"]) + 2
    assert after["core_sequence rows"] != before["core_sequence rows"]
    audit = db.metadata.tables["core_audit_event"]
    actions = list(
        db.session.execute(
            select(audit.c.action).where(audit.c.object_id == str(matter_id))
        ).scalars()
    )
    assert "letters.intake" in actions
