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

    def shut_down(self) -> None:
        """Fast shutdown (SIGINT: SIGTERM would wait for clients); the files stay."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def start_again(self) -> None:
        """Start the server shut down by ``shut_down`` on the same files and port."""
        self.process = _launch(self.data_dir, self.port)
        self.wait_ready()

    def wait_ready(self) -> None:
        """Wait until the server answers a query (the open port alone does not mean it does)."""
        deadline = time.monotonic() + 30
        while True:
            try:
                self.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    err = Path(f"{self.data_dir}.log").read_text(errors="replace")
                    self.stop()
                    raise RuntimeError(f"PostgreSQL did not start: {err[-2000:]}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Fast shutdown and remove the files."""
        self.shut_down()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        Path(f"{self.data_dir}.log").unlink(missing_ok=True)


def start_postgres() -> PostgresServer:
    """initdb into a temp dir and start postgres on a free port; wait until it answers."""
    bindir = _bin_dir()
    data_dir = tempfile.mkdtemp(prefix="minsheng-pg-")
    # postgres refuses to run as root; run it as the postgres user directly (not through
    # runuser, which would not pass our SIGINT on).
    as_user = _as_postgres_user()
    if as_user:
        os.chown(data_dir, as_user["user"], as_user["group"])
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
    server = PostgresServer(port, _launch(data_dir, port), data_dir)
    server.wait_ready()
    return server


def _as_postgres_user() -> dict:
    if os.geteuid() != 0:
        return {}
    pw = pwd.getpwnam("postgres")
    return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}


def _launch(data_dir: str, port: int) -> subprocess.Popen:
    with open(f"{data_dir}.log", "ab") as log:
        return subprocess.Popen(
            [
                f"{_bin_dir()}/postgres",
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
            **_as_postgres_user(),
        )
