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


#: Recordings (a hearing's audio and video, 听证录音录像), accepted only where the caller asks
#: (``media=True``): content type → (offset, magic) pairs, and the stored name's extension.
MEDIA = {
    "audio/mpeg": ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2")),
    "audio/wav": ((0, b"RIFF"),),  # RIFF … WAVE (other RIFF files are refused)
    "audio/ogg": ((0, b"OggS"),),
    "audio/mp4": ((4, b"ftypM4A"),),
    "video/mp4": ((4, b"ftyp"),),
    "video/webm": ((0, b"\x1a\x45\xdf\xa3"),),
}
MEDIA_SUFFIX = {
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
    "audio/ogg": ".ogg",
    "audio/mp4": ".m4a",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
}
#: A recording may be larger than a scan (the web request's own limit still applies).
MEDIA_MAX_BYTES = 200 * 1024 * 1024


def sniff_media(data: bytes) -> str | None:
    """The content type of a recording we accept (``MEDIA``), by its magic bytes."""
    if data.startswith(b"RIFF") and data[8:12] != b"WAVE":
        return None
    for ctype, magics in MEDIA.items():
        if any(data[at : at + len(m)] == m for at, m in magics):
            return ctype
    return None


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


def _too_big(limit: int) -> AttachmentRefused:
    return AttachmentRefused(f"文件过大（上限 {limit // 1024 // 1024} MB）。")


def store_bytes(
    matter: Matter,
    filename: str,
    data: bytes,
    declared_type: str = "",
    *,
    kind: str = "upload",
    actor: Any = None,
    media: bool = False,
) -> Attachment:
    """Check and store a file for ``matter``; the stored name is random, never the user's.

    ``media``: an audio or video recording (``MEDIA``) is accepted too, up to ``MEDIA_MAX_BYTES``.
    """
    if not data:
        raise AttachmentRefused("文件为空。")
    if len(data) > (MEDIA_MAX_BYTES if media else MAX_BYTES):
        raise _too_big(MEDIA_MAX_BYTES if media else MAX_BYTES)
    ctype = sniff(data) or (sniff_media(data) if media else None)
    if ctype is None:
        raise AttachmentRefused(
            "只接受 PDF、JPEG、PNG 文件或 MP3、WAV、OGG、M4A、MP4、WebM 录音录像。"
            if media
            else "只接受 PDF、JPEG、PNG 文件。"
        )
    if ctype not in MEDIA and len(data) > MAX_BYTES:
        raise _too_big(MAX_BYTES)
    suffixes = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
    stored = secrets.token_hex(16) + (suffixes | MEDIA_SUFFIX)[ctype]
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
