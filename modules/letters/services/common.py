"""What the desk and the online petitions share: the refusal, settings, uploads, the letter row."""

from __future__ import annotations

from typing import Any

from flask import current_app

from core.api import ActionRefused, AttachmentRefused, Matter, db, store_attachment

from ..models import Letter

#: Accepted uploads, recognised by their first bytes (the name and declared type are not trusted).
MAGIC = {b"%PDF-": "PDF", b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}


class LetterError(ActionRefused):
    """A refused request; ``errors`` maps form fields to Chinese messages."""


def setting(key: str) -> Any:
    """A module setting: ``LETTERS_<KEY>`` in the app config overrides the manifest default."""
    from ..module import manifest

    return current_app.config.get(f"LETTERS_{key.upper()}", manifest.settings[key])


def seed() -> None:
    """Nothing to seed: the receiving bureau is chosen by setting or found at run time."""


def check_files(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Refuse the whole upload before anything is registered if one file breaks the limits."""
    files = [(name, data) for name, data in files if name or data]
    if len(files) > int(setting("max_files")):
        raise AttachmentRefused(f"最多上传 {setting('max_files')} 个文件。")
    limit = int(float(setting("max_file_mb")) * 1024 * 1024)
    for _name, data in files:
        if not data:
            raise AttachmentRefused("文件为空。")
        if len(data) > limit:
            raise AttachmentRefused(f"文件过大（每个文件上限 {setting('max_file_mb')} MB）。")
        if not any(data.startswith(m) for m in MAGIC):
            raise AttachmentRefused("只接受 PDF、JPEG、PNG 文件。")
    return files


def file_letter(
    matter: Matter, kind: str, files: list[tuple[str, bytes]], actor: Any = None, **details: Any
) -> Letter:
    """The desk's record of a matter that came in writing or online, with its scans or files.

    Written in the registering transaction: if it fails, the matter, its number and the files
    already on disk go too.
    """
    letter = Letter(matter_id=matter.id, kind=kind, agency_id=matter.agency_id, **details)
    db.session.add(letter)
    for name, data in files:
        store_attachment(matter, name, data, actor=actor)
    db.session.flush()
    return letter
