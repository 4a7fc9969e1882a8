"""A throwaway PostgreSQL cluster for the test session (real server, never a mock)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bin_dir() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found: run scripts/system-packages.sh")
    return os.path.dirname(found[-1])


@dataclass
class PostgresServer:
    """A running cluster: connect as ``postgres`` over TCP on ``port``."""

    port: int
    process: subprocess.Popen
    data_dir: str

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of ``database`` on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """Run a statement outside a transaction (CREATE/DROP DATABASE)."""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        """Fast shutdown (SIGINT: SIGTERM would wait for clients) and remove the files."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        Path(f"{self.data_dir}.log").unlink(missing_ok=True)


def start_postgres() -> PostgresServer:
    """initdb into a temp dir and start postgres on a free port; wait until it answers."""
    bindir = _bin_dir()
    data_dir = tempfile.mkdtemp(prefix="minsheng-pg-")
    as_user: dict = {}
    if os.geteuid() == 0:
        # postgres refuses to run as root; run it as the postgres user directly (not through
        # runuser, which would not pass our SIGINT on).
        pw = pwd.getpwnam("postgres")
        os.chown(data_dir, pw.pw_uid, pw.pw_gid)
        as_user = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
    subprocess.run(
        [
            f"{bindir}/initdb",
            "-D",
            data_dir,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        **as_user,
    )
    port = _free_port()
    with open(f"{data_dir}.log", "wb") as log:
        proc = subprocess.Popen(
            [
                f"{bindir}/postgres",
                "-D",
                data_dir,
                "-p",
                str(port),
                "-k",
                data_dir,
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
            **as_user,
        )
    server = PostgresServer(port, proc, data_dir)
    deadline = time.monotonic() + 30
    while True:
        # The port opening does not mean it accepts queries yet: retry a real connection.
        try:
            server.execute("SELECT 1")
            return server
        except psycopg.OperationalError:
            if proc.poll() is not None or time.monotonic() > deadline:
                err = Path(f"{data_dir}.log").read_text(errors="replace")
                server.stop()
                raise RuntimeError(f"PostgreSQL did not start: {err[-2000:]}") from None
            time.sleep(0.1)
