"""Backup and restore of one installation: the database and its attachments, taken together.

A register of petitions is evidence, so a backup must be one consistent picture: every
attachment a matter points to, and no matter without its files.

* **The database** is copied as one snapshot while the site runs: SQLite through its online
  backup API, PostgreSQL with ``pg_dump`` on a snapshot exported from a read-only
  ``REPEATABLE READ`` transaction.
* **The attachments** listed are exactly those the snapshot refers to (read from the snapshot
  itself); each is copied and checked against the SHA-256 stored with it. A file written
  after the snapshot is not in it, and a file the snapshot names but the disk lacks is
  reported (the archive is still written, the command ends with an error code).
* **The archive** is one tar file, readable only by its owner (it holds personal data):
  ``manifest.json`` (format, backend, schema revisions, rows per table, files with their
  checksums), the database (``database.sqlite3`` or ``database.dump``) and ``attachments/``.
  It is written under a temporary name and renamed, so a crash leaves no half archive.

Restoring writes into an **empty** database of the same backend (a fresh file, or a database
just made with ``createdb``) and the attachments folder of the current configuration, then
checks that every table has the rows and every file the checksum the manifest recorded.
"""

from __future__ import annotations

import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, Connection

from core.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
ATTACHMENTS = "attachments"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message (Chinese) says why and what to do."""


@dataclass
class BackupReport:
    """What a backup or restore did: the archive, rows per table, files and any files missing."""

    archive: Path
    tables: dict[str, int]
    files: int
    size: int
    missing: list[str] = field(default_factory=list)


def _attachments_root() -> Path:
    return Path(current_app.config["MINSHENG_VAR_DIR"]) / "attachments"


def _stored_path(root: Path, stored_name: str) -> Path:
    # Stored names are random hex with an extension (core.cases.files.attachments), never a
    # user's text; checked again here because a restore reads them from an archive.
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name[0] == ".":
        raise BackupError(f"备份中的附件名不合法：{stored_name!r}")
    return root / stored_name[:2] / stored_name


def _backend() -> str:
    name = db.engine.url.get_backend_name()
    if name not in DB_MEMBER:
        raise BackupError(f"不支持备份 {name} 数据库（只支持 SQLite 与 PostgreSQL）。")
    return name


def _count_rows(conn: Connection | sqlite3.Connection, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        # Table names come from the database's own catalogue, quoted as identifiers.
        sql = f'SELECT count(*) FROM "{table}"'  # noqa: S608
        if isinstance(conn, sqlite3.Connection):
            counts[table] = conn.execute(sql).fetchone()[0]
        else:
            counts[table] = conn.execute(text(sql)).scalar_one()
    return counts


def _pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: from PATH, else the newest server install (Debian layout)."""
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端（postgresql-client）。")
    return found


def _pg_command(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{what}失败：{detail[-1] if detail else done.returncode}")


def _snapshot_sqlite(work: Path) -> tuple[Path, dict[str, int], list[tuple[str, str, int]]]:
    source = db.engine.url.database
    target = work / DB_MEMBER["sqlite"]
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
    try:
        tables = [
            r[0]
            for r in dst.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = _count_rows(dst, tables)
        files = []
        if "core_attachment" in tables:
            files = list(dst.execute("SELECT stored_name, sha256, size FROM core_attachment"))
    finally:
        dst.close()
    return target, counts, files


def _snapshot_postgresql(work: Path) -> tuple[Path, dict[str, int], list[tuple[str, str, int]]]:
    target = work / DB_MEMBER["postgresql"]
    conninfo, env = _pg_command(db.engine.url)
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            # pg_dump reads the very snapshot this transaction holds open, so the dump, the
            # row counts and the list of files below describe the same moment.
            _run(
                [
                    _pg_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    f"--dbname={conninfo}",
                ],
                env,
                "导出数据库（pg_dump）",
            )
            tables = inspect(conn).get_table_names()
            counts = _count_rows(conn, tables)
            files = []
            if "core_attachment" in tables:
                rows = conn.execute(text("SELECT stored_name, sha256, size FROM core_attachment"))
                files = [tuple(r) for r in rows]
    return target, counts, files


def _schema_revisions(counts: dict[str, int]) -> list[str]:
    if "alembic_version" not in counts:
        return []
    with db.engine.connect() as conn:
        return sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def create_backup(dest_dir: Path) -> BackupReport:
    """Write one archive of the database and its attachments into ``dest_dir``; report it."""
    backend = _backend()
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    archive = dest_dir / f"minsheng-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="minsheng-backup-") as tmp:
        work = Path(tmp)
        snapshot = _snapshot_sqlite if backend == "sqlite" else _snapshot_postgresql
        db_file, counts, files = snapshot(work)
        root = _attachments_root()
        listed, missing = [], []
        partial = archive.with_name(archive.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(db_file, arcname=db_file.name)
            for stored_name, sha256, size in sorted(files):
                path = _stored_path(root, stored_name)
                data = path.read_bytes() if path.is_file() else None
                if data is None or hashlib.sha256(data).hexdigest() != sha256:
                    missing.append(stored_name)
                    continue
                info = tarfile.TarInfo(f"{ATTACHMENTS}/{stored_name}")
                info.size, info.mode = len(data), 0o600
                tar.addfile(info, io.BytesIO(data))
                listed.append({"name": stored_name, "sha256": sha256, "size": size})
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "backend": backend,
                "schema": _schema_revisions(counts),
                "tables": counts,
                "files": listed,
                "missing": missing,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(body), 0o600
            tar.addfile(info, io.BytesIO(body))
        partial.rename(archive)
    return BackupReport(archive, counts, len(listed), archive.stat().st_size, missing)


def _read_member(tar: tarfile.TarFile, name: str) -> bytes:
    member = tar.getmember(name) if name in tar.getnames() else None
    if member is None or not member.isfile():
        raise BackupError(f"备份文件不完整：缺少 {name}。")
    handle = tar.extractfile(member)
    assert handle is not None  # a regular file always has a handle
    return handle.read()


def _existing_tables() -> list[str]:
    return inspect(db.engine).get_table_names()


def _read_archive(archive: Path, backend: str) -> tuple[dict[str, Any], dict[Path, bytes], bytes]:
    """The manifest, the attachments (path → bytes, each checked) and the database image."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            manifest = json.loads(_read_member(tar, MANIFEST))
            if manifest.get("format") != FORMAT:
                raise BackupError(
                    f"备份格式 {manifest.get('format')} 不受支持（本版本为 {FORMAT}）。"
                )
            if manifest["backend"] != backend:
                raise BackupError(
                    f"备份来自 {manifest['backend']} 数据库，不能恢复到 {backend} 数据库。"
                )
            root = _attachments_root()
            files = {}
            for entry in manifest["files"]:
                data = _read_member(tar, f"{ATTACHMENTS}/{entry['name']}")
                if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    raise BackupError(f"备份中的附件 {entry['name']} 已损坏（校验值不符）。")
                path = _stored_path(root, entry["name"])
                if path.exists() and path.read_bytes() != data:
                    raise BackupError(f"附件目录中已有同名而内容不同的文件：{path}。")
                files[path] = data
            database = _read_member(tar, DB_MEMBER[backend])
    except (OSError, EOFError, zlib.error, tarfile.TarError, ValueError, KeyError) as exc:
        raise BackupError(f"无法读取备份文件 {archive}：{exc}") from exc
    return manifest, files, database


def restore_backup(archive: Path) -> BackupReport:
    """Restore ``archive`` into the configured, empty database and attachments folder."""
    backend = _backend()
    if _existing_tables():
        raise BackupError(
            "目标数据库不是空的：恢复只写入新建的空数据库"
            "（新建一个空库，或把 MINSHENG_DATABASE_URL 指向新库）。"
        )
    # Everything is read and checked before anything is written: a damaged archive changes
    # nothing.
    manifest, files, database = _read_archive(archive, backend)
    db.session.remove()
    db.engine.dispose()
    with tempfile.TemporaryDirectory(prefix="minsheng-restore-") as tmp:
        dumped = Path(tmp) / DB_MEMBER[backend]
        dumped.write_bytes(database)
        if backend == "sqlite":
            src = sqlite3.connect(dumped)
            dst = sqlite3.connect(db.engine.url.database)
            try:
                src.backup(dst)
            finally:
                src.close()
                dst.close()
        else:
            conninfo, env = _pg_command(db.engine.url)
            _run(
                [
                    _pg_tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={conninfo}",
                    str(dumped),
                ],
                env,
                "恢复数据库（pg_restore）",
            )
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with db.engine.connect() as conn:
        counts = _count_rows(conn, inspect(conn).get_table_names())
    if counts != manifest["tables"]:
        differ = sorted(
            t for t in {*counts, *manifest["tables"]} if counts.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(f"恢复后的行数与备份不符：{'、'.join(differ)}。")
    size = sum(len(d) for d in files.values())
    return BackupReport(archive, counts, len(files), size, list(manifest.get("missing", [])))
