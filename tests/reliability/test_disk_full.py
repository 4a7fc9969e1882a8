"""The attachments disk full: a desk action that stores a file is refused whole, with a message.

The fault is the operating system's (ENOSPC on writing the file), so it is the same on both
databases and runs on SQLite only. What must hold: no attachment row, no document, no number
drawn, no audit event, no file left behind, the matter as it was, a clear Chinese message
instead of an error page, and the administrator still able to log in.
"""

from __future__ import annotations

import errno
import re
from io import BytesIO
from pathlib import Path

import pytest

from core.cases.models import Matter
from core.extensions import db
from tests.cases_support import register
from tests.cases_web_support import assign_to_cjj, page_token, step_version
from tests.kit.records import audit_events, database_state
from tests.plugin import login

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.fixture
def backend() -> str:
    """One backend: the fault is the file system's, not the database's."""
    return "sqlite"


@pytest.fixture
def fill_disk(app, monkeypatch):
    """``fill_disk()``: from then on, writing a file under the attachments folder fails as on a
    full disk."""
    root = (Path(app.config["MINSHENG_VAR_DIR"]) / "attachments").resolve()
    write_bytes = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.resolve().is_relative_to(root):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return write_bytes(self, data)

    return lambda: monkeypatch.setattr(Path, "write_bytes", full)


def _text(resp) -> str:
    return resp.get_data(as_text=True)


def test_an_upload_on_a_full_disk_is_refused_with_a_message(app, as_user, fill_disk):
    with app.app_context():
        mid = register().id
    clerk = as_user("clerk")
    page = _text(clerk.get(f"/cases/{mid}"))
    with app.app_context():
        before = database_state("core")
    fill_disk()
    resp = clerk.post(
        f"/cases/{mid}/attachments",
        data={"csrf_token": page_token(page), "file": (BytesIO(PNG), "现场照片.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert "附件存储空间已满或不可写" in _text(resp)
    with app.app_context():
        after = database_state("core")
        # The page shown again records that the clerk saw the petitioner's data; nothing else.
        assert audit_events("matter.attachment.upload") == []
        assert {**after, "core_audit_event": 0} == {**before, "core_audit_event": 0}


def test_a_step_issuing_a_document_on_a_full_disk_changes_nothing(app, as_user, fill_disk):
    with app.app_context():
        mid = register().id
        assign_to_cjj(mid)
    handler = as_user("handler")
    page = _text(handler.get(f"/cases/{mid}"))
    with app.app_context():
        before = database_state("core", rows_of=("core_matter",))
    fill_disk()
    resp = handler.post(
        f"/cases/{mid}/actions/accept",
        data={"csrf_token": page_token(page), "accept-version": step_version(page, "accept")},
    )
    assert resp.status_code == 422
    assert "附件存储空间已满或不可写，本次操作未生效" in _text(resp)
    assert "Traceback" not in _text(resp)
    with app.app_context():
        assert database_state("core", rows_of=("core_matter",)) == before
        assert db.session.get(Matter, mid).state == "assigned"
    # The site stays usable: the administrator logs in while the disk is still full.
    admin = app.test_client()
    assert login(admin, "admin").status_code == 302
    assert re.search(r"<h1[^>]*>", _text(admin.get("/")))
