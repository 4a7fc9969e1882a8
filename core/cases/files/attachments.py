"""Attachments: size and type limits, safe stored names, files kept outside the web root."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.cases.models import Attachment, Matter
from core.errors import ActionRefused
from core.extensions import db

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
# Content sniffing by magic bytes: the browser-sent type and the file name are not trusted.
ALLOWED = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


class AttachmentRefused(ActionRefused):
    """A file was refused (type, size) or could not be stored; the message is for the user.

    An ``ActionRefused``: raised inside a desk action (an upload, a step issuing a document)
    it rolls the whole action back.
    """


STORAGE_FAILED = (
    "文件未能保存：服务器的附件存储空间已满或不可写，本次操作未生效。请联系管理员（已记录）。"
)


def storage_root() -> Path:
    """Where attachments live: ``<var>/attachments`` (never under ``static/``)."""
    root = Path(current_app.config["MINSHENG_VAR_DIR"]) / "attachments"
    root.mkdir(parents=True, exist_ok=True)
    return root


def sniff(data: bytes) -> str | None:
    """The content type of ``data`` if it is one we accept."""
    for ctype, magics in ALLOWED.items():
        if any(data.startswith(m) for m in magics):
            return ctype
    return None


def display_name(filename: str) -> str:
    """A file name safe to show and to offer for download (no path, no control characters)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name.strip(" .")[:150] or "附件"


def store_bytes(
    matter: Matter,
    filename: str,
    data: bytes,
    declared_type: str = "",
    *,
    kind: str = "upload",
    actor: Any = None,
) -> Attachment:
    """Check and store a file for ``matter``; the stored name is random, never the user's."""
    if not data:
        raise AttachmentRefused("文件为空。")
    if len(data) > MAX_BYTES:
        raise AttachmentRefused(f"文件过大（上限 {MAX_BYTES // 1024 // 1024} MB）。")
    ctype = sniff(data)
    if ctype is None:
        raise AttachmentRefused("只接受 PDF、JPEG、PNG 文件。")
    stored = (
        secrets.token_hex(16)
        + {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[ctype]
    )
    path = storage_root() / stored[:2] / stored
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        # A full or read-only disk: nothing of the action may stay (no row pointing at a file
        # that is not there), and the user gets a message instead of an error page.
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        log.error("could not store attachment %s (%d bytes): %s", path, len(data), exc)
        raise AttachmentRefused(STORAGE_FAILED) from exc
    # If the transaction that records this file rolls back, the file goes too (see below).
    db.session.info.setdefault("minsheng_new_files", []).append(path)
    att = Attachment(
        matter_id=matter.id,
        filename=display_name(filename),
        stored_name=stored,
        content_type=ctype,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(att)
    db.session.flush()
    return att


def read(att: Attachment) -> bytes:
    """The stored bytes of an attachment."""
    return (storage_root() / att.stored_name[:2] / att.stored_name).read_bytes()


@event.listens_for(Session, "after_commit")
def _keep_files(session: Session) -> None:
    session.info.pop("minsheng_new_files", None)


@event.listens_for(Session, "after_rollback")
def _drop_orphan_files(session: Session) -> None:
    # A file written for a row that was never committed would sit on disk with nothing
    # pointing at it (and with a petitioner's data in it): remove it.
    for path in session.info.pop("minsheng_new_files", []):
        path.unlink(missing_ok=True)
