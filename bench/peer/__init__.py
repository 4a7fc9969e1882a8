"""The peer: django-helpdesk, in a virtualenv of its own (``bench/.peer-venv``).

Never installed into the project's environment or dependencies. ``ensure_venv`` creates the
virtualenv and installs django-helpdesk (and psycopg, for PostgreSQL) from PyPI the first time;
``Peer`` runs ``helpdesk_bench.py`` there on the same generated rows and asks it for its figures.
This module imports only the standard library: the peer's process imports ``bench.peer`` too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE.parent / ".peer-venv"
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = ("django-helpdesk[teams]", "psycopg[binary]")


def ensure_venv(log=print) -> Path:
    """Create ``bench/.peer-venv`` with django-helpdesk if it is not there yet."""
    if PYTHON.exists():
        probe = subprocess.run(
            [str(PYTHON), "-c", "import helpdesk, pinax.teams, psycopg"], capture_output=True
        )
        if probe.returncode == 0:
            return PYTHON
    log(f"creating {VENV} and installing {', '.join(REQUIREMENTS)}")
    venv.create(VENV, with_pip=True, clear=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", *REQUIREMENTS], check=True)
    return PYTHON


class Peer:
    """django-helpdesk on the rows of ``feed`` (JSON lines), in its own process, taking turns.

    Starting it fills the peer's database (the process then waits); ``create``, ``list`` and
    ``search`` run that much of its workload and return the raw times in seconds (``create``
    also the wall time), so that the benchmark can alternate between Minsheng and the peer.
    """

    def __init__(self, *, backend, size, feed, work, pg, creations, log=print):
        python = ensure_venv(log)
        env = dict(os.environ, PEER_MEDIA=str(Path(work) / "peer-media"))
        env.pop("PYTHONPATH", None)
        self.pg, self.database = pg, None
        if backend == "postgresql":
            self.database = f"peer_{size}"
            pg.execute(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
            pg.execute(f"CREATE DATABASE {self.database}")
            env["PEER_DB"] = f"postgresql:{pg.port}:{self.database}"
        else:
            env["PEER_DB"] = f"sqlite:{Path(work) / 'peer.sqlite3'}"
        log(f"peer: django-helpdesk on {backend}, {size:,} tickets")
        self.proc = subprocess.Popen(
            [
                str(python),
                str(HERE / "helpdesk_bench.py"),
                str(feed),
                "--creations",
                str(creations),
            ],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            text=True,
        )
        self.ready = self._answer()

    def _answer(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"django-helpdesk benchmark failed (exit {self.proc.wait()})")
        return json.loads(line)

    def _ask(self, **request) -> dict:
        self.proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def create(self, n: int) -> dict:
        """``n`` tickets through its new-ticket form: ``{"times": [...], "wall": seconds}``."""
        return self._ask(do="create", n=n)

    def list(self, n: int) -> list[float]:
        """``n`` views of its ticket list (page and JSON)."""
        return self._ask(do="list", n=n)["times"]

    def search(self, terms: list[str]) -> list[float]:
        """One search of its ticket list per term."""
        return self._ask(do="search", terms=terms)["times"]

    def close(self) -> None:
        """End the peer's process and drop its database."""
        if self.proc.poll() is None:
            self.proc.stdin.write(json.dumps({"do": "quit"}) + "\n")
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
        if self.database:
            self.pg.execute(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
