"""The peer: django-helpdesk, in a virtualenv of its own (``bench/.peer-venv``).

Never installed into the project's environment or dependencies. ``ensure_venv`` creates the
virtualenv and installs django-helpdesk (and psycopg, for PostgreSQL) from PyPI the first time;
``run_peer`` runs ``helpdesk_bench.py`` there on the same generated rows and returns its figures.
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


def run_peer(*, backend, size, feed, work, pg, iterations, creations, terms, log=print) -> dict:
    """django-helpdesk on the rows of ``feed`` (JSON lines); its figures, or the error."""
    try:
        python = ensure_venv(log)
    except (OSError, subprocess.CalledProcessError) as exc:
        return {"error": f"django-helpdesk could not be installed: {exc}"}
    env = dict(os.environ, PEER_MEDIA=str(Path(work) / "peer-media"))
    env.pop("PYTHONPATH", None)
    if backend == "postgresql":
        name = f"peer_{size}"
        pg.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        pg.execute(f"CREATE DATABASE {name}")
        env["PEER_DB"] = f"postgresql:{pg.port}:{name}"
    else:
        env["PEER_DB"] = f"sqlite:{Path(work) / 'peer.sqlite3'}"
    log(f"peer: django-helpdesk on {backend}, {size:,} tickets")
    proc = subprocess.run(
        [
            str(python),
            str(HERE / "helpdesk_bench.py"),
            str(feed),
            "--creations",
            str(creations),
            "--iterations",
            str(iterations),
            "--terms",
            json.dumps(list(terms), ensure_ascii=False),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=sys.stderr,
        text=True,
    )
    if backend == "postgresql":
        pg.execute(f"DROP DATABASE IF EXISTS peer_{size} WITH (FORCE)")
    if proc.returncode != 0:
        return {"error": f"django-helpdesk benchmark failed (exit {proc.returncode})"}
    return json.loads(proc.stdout.strip().splitlines()[-1])
