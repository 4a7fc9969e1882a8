"""The load test: ``scripts/load`` (= ``.venv/bin/python -m bench.load.run``).

On loopback only: a throwaway PostgreSQL cluster, the suite with every module installed, the test
world's agencies and users, ``--matters`` matters in bulk (``bench.generate``), and matters
prepared for the two document-issuing steps (forwarded to the housing bureau to be accepted;
accepted with an opinion drafted, to be approved). Then, under gunicorn with the project's
settings (``config/gunicorn.conf.py``, or ``--worker`` to compare models):

* ``--users`` clerks (default 50) for ``--minutes`` (default 10), pausing 3–8 s between actions
  (bench/load/locustfile.py has the mix);
* with ``--saturation``: the same mix with no pause, ``--users`` clerks for ``--saturation``
  seconds, for each worker model given by ``--worker`` (e.g. ``--worker sync:5 --worker
  gthread:2x4``), to find the throughput each gives.

After each run the register is checked in the database: every registration acknowledged to a
clerk is there, and the numbers of the run are unique and gap-free. Results (throughput,
p50/p95/p99 by action and over the mix, errors, the check) are printed and written to
``bench/results/load-<stamp>.json``. Every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
VENV = ROOT / ".venv" / "bin"
SERIAL_DIGITS = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The desks: account prefix → (role, agency, share of the clerks); as bench/load/locustfile.py.
DESKS = {
    "clerk": ("registration_clerk", "XFJ", 20),
    "handler": ("case_handler", "CJJ", 15),
    "supervisor": ("supervisor", "XFJ", 10),
    "leader": ("unit_leader", "CJJ", 5),
}


def add_desk_users(users: int) -> dict[str, list[str]]:
    """One account per simulated clerk, as in a bureau (the login throttle rightly treats
    fifty simultaneous logins to one account as suspicious)."""
    from sqlalchemy import select

    from core.accounts.models import Role, User
    from core.accounts.passwords import hash_password
    from core.extensions import db
    from tests.cases_support import agency
    from tests.plugin import PASSWORD

    pw = hash_password(PASSWORD)
    names: dict[str, list[str]] = {}
    for prefix, (role, code, share) in DESKS.items():
        role_row = db.session.execute(select(Role).where(Role.code == role)).scalar_one()
        count = -(-users * share // 50) + 1
        names[prefix] = [f"load_{prefix}{i:02d}" for i in range(count)]
        for username in names[prefix]:
            db.session.add(
                User(
                    username=username,
                    display_name=username,
                    password_hash=pw,
                    roles=[role_row],
                    agency_id=agency(code).id,
                )
            )
    db.session.commit()
    return names


def prepare(url: str, var_dir: Path, matters: int, accept: int, approve: int, users: int) -> dict:
    """Build the database; return the plan the clerks work from."""
    from datetime import timedelta

    from bench.generate import bulk_fill
    from core.app import create_app
    from core.cases.clocks.clocks import today
    from core.extensions import db
    from core.registry.installer import install
    from core.registry.registry import current_registry
    from tests.cases_support import agency, register, step
    from tests.lifecycle_support import OPINION
    from tests.plugin import PASSWORD, _prepare

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MINSHENG_VAR_DIR": str(var_dir)})
    _prepare(app)
    with app.test_request_context("/"):
        install([n for n in current_registry().manifests if n != "core"])
        db.session.commit()
        t0 = time.perf_counter()
        bulk_fill(matters, progress=lambda *_: None)
        print(f"  {matters} matters in bulk: {time.perf_counter() - t0:.0f} s", flush=True)
        on = today() - timedelta(days=1)
        cjj = agency("CJJ").id
        to_accept, to_approve = [], []
        for i in range(accept + approve):
            matter = register(received_on=on)
            step(matter.id, "supervisor", "forward", on=on, agency_id=cjj)
            if i >= accept:
                step(matter.id, "handler", "accept", on=on)
                step(matter.id, "handler", "draft_opinion", on=on, **OPINION)
            db.session.commit()
            (to_accept if i < accept else to_approve).append(matter.id)
        accounts = add_desk_users(users)
        print(f"  prepared {accept} to accept, {approve} to approve", flush=True)
        db.session.remove()
        db.engine.dispose()
    return {
        "password": PASSWORD,
        "accept": to_accept,
        "approve": to_approve,
        "documents": to_approve,  # accepted: each holds its acceptance notice
        "accounts": accounts,
    }


def serials(url: str) -> dict[str, list[int]]:
    """The registered numbers' serials by series (number without its serial)."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT number FROM core_matter").fetchall()
    series: dict[str, list[int]] = {}
    for (number,) in rows:
        series.setdefault(number[:-SERIAL_DIGITS], []).append(int(number[-SERIAL_DIGITS:]))
    return series


def waiting(url: str, ids: list[int], state: str) -> list[int]:
    """Those of ``ids`` still in ``state``, in order."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT id FROM core_matter WHERE state = %s AND id = ANY(%s)", (state, ids)
        ).fetchall()
    left = {row[0] for row in rows}
    return [i for i in ids if i in left]


def check_register(before: dict[str, list[int]], after: dict[str, list[int]], acked: list[str]):
    """Every acknowledged number present; the run's numbers unique and without gaps."""
    present = {prefix + f"{n:0{SERIAL_DIGITS}d}" for prefix, ns in after.items() for n in ns}
    missing = sorted(set(acked) - present)
    duplicates, gaps, new = 0, 0, 0
    for prefix, ns in after.items():
        duplicates += len(ns) - len(set(ns))
        old = set(before.get(prefix, ()))
        fresh = sorted(set(ns) - old)
        new += len(fresh)
        if fresh:
            start = max(old) + 1 if old else fresh[0]
            gaps += (fresh[-1] - start + 1) - len(fresh)
    return {
        "acknowledged": len(acked),
        "acknowledged_missing": len(missing),
        "registered_in_run": new,
        "duplicate_numbers": duplicates,
        "gaps": gaps,
    }


def serve(url: str, var_dir: Path, port: int, worker: str | None) -> subprocess.Popen:
    """gunicorn on loopback with the project's settings (``worker``: ``sync:5``/``gthread:2x4``)."""
    args = [
        str(VENV / "gunicorn"),
        "-c",
        "config/gunicorn.conf.py",
        "--access-logfile",
        "/dev/null",
    ]
    if worker:
        kind, _, size = worker.partition(":")
        procs, _, threads = size.partition("x")
        args += ["--worker-class", kind, "--workers", procs or "2", "--threads", threads or "1"]
    env = {
        **os.environ,
        "MINSHENG_DATABASE_URL": url,
        "MINSHENG_VAR_DIR": str(var_dir),
        "MINSHENG_SECRET_KEY": "load-test-secret",
        "PORT": str(port),
    }
    proc = subprocess.Popen([*args, "wsgi:app"], cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                time.sleep(3)  # the workers' warm-up
                return proc
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def swarm(port: int, plan_file: Path, users: int, seconds: int, think: str) -> dict:
    """Run locust headless; return its figures by action and over the mix."""
    prefix = plan_file.with_name(f"locust-{think.replace(',', '-')}-{users}")
    env = {**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_THINK": think}
    cmd = [
        str(VENV / "locust"),
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 10)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "30",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(cmd, cwd=ROOT, env=env, timeout=seconds + 180, check=False)
    rows = _csv(Path(f"{prefix}_stats.csv"))
    out = {}
    for row in rows:
        out[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "per_s": round(float(row["Requests/s"]), 2),
            "p50_ms": _num(row["50%"]),
            "p95_ms": _num(row["95%"]),
            "p99_ms": _num(row["99%"]),
            "max_ms": _num(row["Max Response Time"]),
        }
    out["_failures"] = _csv(Path(f"{prefix}_failures.csv"))[:20]
    return out


def _csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(value: str):
    try:
        return round(float(value))
    except ValueError:
        return None


def table(figures: dict) -> str:
    lines = [
        f"{'action':28} {'requests':>8} {'fail':>5} {'/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}"
    ]
    for name, f in figures.items():
        if name.startswith("_"):
            continue
        lines.append(
            f"{name:28} {f['requests']:8} {f['failures']:5} {f['per_s']:6} "
            f"{f['p50_ms']!s:>6} {f['p95_ms']!s:>6} {f['p99_ms']!s:>6}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--matters", type=int, default=20_000)
    parser.add_argument(
        "--saturation", type=int, default=0, help="seconds of each no-pause run (0: none)"
    )
    parser.add_argument(
        "--worker",
        action="append",
        default=[],
        help="worker model for the saturation runs, e.g. sync:5 or gthread:2x4 (repeatable)",
    )
    parser.add_argument("--no-steady", action="store_true", help="only the saturation runs")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from tests.postgres_server import start_postgres

    work = Path(tempfile.mkdtemp(prefix="minsheng-load-"))
    pg = start_postgres()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)
    result: dict = {"stamp": stamp, "users": args.users, "matters": args.matters, "runs": []}
    try:
        pg.execute("CREATE DATABASE load")
        url = pg.url("load")
        steady_s = int(args.minutes * 60)
        # Enough prepared matters for every step the runs can take: a desk acts every 5.5 s on
        # average; 2 in 9 of a handler's actions are accepts, 2 in 6 of a leader's approvals
        # (15 and 5 desks in 50); with no pause, a few a second at most.
        actions = 0 if args.no_steady else steady_s / 5.5
        sat = args.saturation * max(1, len(args.worker)) * 3
        accept = int(args.users * 15 / 50 * actions * 2 / 9 * 1.5) + sat
        approve = int(args.users * 5 / 50 * actions * 2 / 6 * 1.5) + sat
        print(f"preparing {url} …", flush=True)
        plan = prepare(url, work / "var", args.matters, accept, approve, args.users)
        plan_file = work / "plan.json"
        runs = (
            [(w, "0", args.saturation) for w in (args.worker or [None])] if args.saturation else []
        )
        if not args.no_steady:
            runs.append((None, "3,8", steady_s))
        for worker, think, seconds in runs:
            port = _free_port()
            plan_file.write_text(json.dumps(plan))
            before = serials(url)
            server = serve(url, work / "var", port, worker)
            try:
                label = worker or "config/gunicorn.conf.py"
                print(
                    f"\n== {label}, {args.users} clerks, pause {think} s, {seconds} s", flush=True
                )
                figures = swarm(port, plan_file, args.users, seconds, think)
            finally:
                stop(server)
            acked = json.loads(plan_file.with_name("acknowledged.json").read_text())
            check = check_register(before, serials(url), acked)
            # A prepared matter is used once: the next run takes the ones still waiting (a step
            # the server finished as the run stopped is not in locust's count).
            plan["accept"] = waiting(url, plan["accept"], "forwarded")
            plan["approve"] = waiting(url, plan["approve"], "opinion_pending")
            print(table(figures))
            print("register:", check, flush=True)
            run = {"worker": worker, "think": think, "seconds": seconds, "register": check}
            result["runs"].append({**run, "figures": figures})
            (RESULTS / f"load-{stamp}.json").write_text(json.dumps(result, indent=2))
    finally:
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n(full figures: {RESULTS / f'load-{stamp}.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
