"""Backup and restore round-trip a populated installation: every row and every file comes back.

``flask backup create`` writes one archive of the database and its attachments; ``flask backup
restore`` writes it into an empty database of the same backend and checks rows and checksums.
"""

from __future__ import annotations

import hashlib
import stat
import tarfile
from pathlib import Path

from sqlalchemy import inspect, select, text

from core.cases.files.attachments import read, store_bytes
from core.cases.models import Attachment, Matter
from core.extensions import db
from tests.cases_support import register
from tests.plugin import make_app

PDF = "%PDF-1.4\n% 信访材料\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def _state(app) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Rows per table, attachment checksums as read from disk, and the matter numbers."""
    with app.app_context():
        with db.engine.connect() as conn:
            tables = inspect(conn).get_table_names()
            count = 'SELECT count(*) FROM "{}"'
            rows = {t: conn.execute(text(count.format(t))).scalar_one() for t in tables}
        sums = {
            a.stored_name: hashlib.sha256(read(a)).hexdigest()
            for a in db.session.execute(select(Attachment)).scalars()
        }
        numbers = sorted(db.session.execute(select(Matter.number)).scalars())
        db.session.remove()
    return rows, sums, numbers


def _populate(app) -> None:
    with app.app_context():
        first, second = register(), register(summary="反映村集体土地征收补偿不到位。")
        store_bytes(first, "信访信件.pdf", PDF, kind="upload")
        store_bytes(second, "现场照片.png", PNG, kind="upload")
        db.session.commit()


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_backup_and_restore_round_trip_rows_and_files(app, backend, databases, tmp_path):
    _populate(app)
    before = _state(app)
    assert len(before[1]) == 2 and len(before[2]) == 2

    made = _cli(app, "backup", "create", "--to", str(tmp_path / "backups"))
    assert made.exit_code == 0, made.output
    (archive,) = (tmp_path / "backups").glob("minsheng-backup-*.tar.gz")
    assert f"已备份：{archive}" in made.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # personal data: owner only
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert sorted(n for n in names if n.startswith("attachments/")) == sorted(
        f"attachments/{name}" for name in before[1]
    )

    # Into an empty database and an empty attachments folder of a new installation.
    url = databases.new(backend, empty=True)
    other = make_app(url, tmp_path / "restored-var")
    try:
        restored = _cli(other, "backup", "restore", str(archive))
        assert restored.exit_code == 0, restored.output
        assert "已恢复" in restored.output
        assert _state(other) == before

        # A second restore onto the now populated database is refused and changes nothing.
        again = _cli(other, "backup", "restore", str(archive))
        assert again.exit_code == 1
        assert "目标数据库不是空的" in again.output
        assert _state(other) == before
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)


def test_a_damaged_archive_is_refused_and_nothing_written(app, databases, tmp_path):
    _populate(app)
    assert _cli(app, "backup", "create", "--to", str(tmp_path)).exit_code == 0
    (archive,) = tmp_path.glob("minsheng-backup-*.tar.gz")
    damaged = Path(tmp_path / "damaged.tar.gz")
    damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    url = databases.new("sqlite", empty=True)
    other = make_app(url, tmp_path / "restored-var")
    try:
        refused = _cli(other, "backup", "restore", str(damaged))
        assert refused.exit_code == 1
        assert "无法读取备份文件" in refused.output
        assert "Traceback" not in refused.output
        with other.app_context():
            assert inspect(db.engine).get_table_names() == []
        assert not (tmp_path / "restored-var" / "attachments").exists() or not any(
            (tmp_path / "restored-var" / "attachments").rglob("*.*")
        )
    finally:
        with other.app_context():
            db.engine.dispose()
        databases.drop(url)
