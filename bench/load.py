"""`make bench-load`: many logged-in users at once against gunicorn as production runs it, on SQLite and PostgreSQL.

For each database: a fresh database, `flask db upgrade`, `flask seed synthetic` (200,000 cases by default, the
national scale of `make bench`), ANALYZE; then users with logins and API tokens (`prepare`), gunicorn with
`config/gunicorn.conf.py` and 4 workers on loopback, and 40 users (12 pairs of coordinators, 12 leerplicht, 4
inspectie) for 60 s (`LoadRun`), each in its own thread with its own `requests` session:

* web pages: the case list (several filters and pages), the case page, the dashboards, the alert list, the case
  PDF, the inspectie's exports page and file downloads;
* API reads: the case list, a case, its timeline, the exports;
* step edits with conflicts: the two coordinators of a pair read the same case, wait for each other and both
  save the same step based on the version they read, through the API (`If-Match`: 200 and 412) or the web form
  (a redirect and 409). One must win, the other must be refused;

while `flask reminders run` (the sweep) and `flask export inspectie` (the month's export) run again and again
beside them. Afterwards (`verify_plan`) every accepted edit must be in the audit trail, in order, each built on
the one before, with the last one in the database; `flask audit verify` must be clean.

Results: bench/load-results.json and the table in bench/README.md (between the LOAD markers). The process exits 1
on any 5xx, unexpected status, lost update, failed job or unclean audit trail.

    .venv/bin/python bench/load.py [--cases 200000] [--users 40] [--seconds 60] [--only sqlite|postgresql]
                                   [--reuse] [--pg-database thuiszitters_load] [--port 0]

The users and the checks are in bench/load_users.py, gunicorn and the jobs in bench/served.py; the smoke test
(tests/web/test_load_smoke.py) runs the same on a few users.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(ROOT), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from load_users import LoadRun, Mix, prepare, verify_plan  # noqa: E402 - bench/ is on the path now
from served import audit_verify, background_jobs, start_gunicorn, stop  # noqa: E402

TODAY = "2026-11-02"  # as `make bench`: the seed gives the same data on every run


# --- One database -------------------------------------------------------------------------------------------


def _machine_load() -> dict:
    """Load average and the busiest processes (command names, CPU share over their lifetime as `ps` gives it)."""
    try:
        ps = subprocess.run(["ps", "-eo", "pcpu=,comm=", "--sort=-pcpu"], capture_output=True, text=True,
                            check=False, timeout=10).stdout.splitlines()
    except OSError:
        ps = []
    busy = [line.split(None, 1) for line in ps[:13] if not line.rstrip().endswith(" ps")]
    return {"loadavg": [round(x, 2) for x in os.getloadavg()],
            "busiest": [f"{name} {cpu}%" for cpu, name in (b for b in busy if len(b) == 2) if float(cpu) >= 5.0]}


def load_backend(name: str, url: str, args: argparse.Namespace) -> dict:
    from run import analyze, flask  # the same seeding steps as `make bench`

    work = ROOT / "instance" / "bench"
    export_dir = work / f"load-exports-{name}"
    env = dict(os.environ, DATABASE_URL=url, THUISZITTERS_FIXED_TODAY=TODAY, THUISZITTERS_ENV="development",
               THUISZITTERS_EXPORT_DIR=str(export_dir), PYTHONPATH=str(ROOT))
    env.pop("FLASK_APP", None)
    out: dict = {"database": name, "cases": args.cases}
    print(f"[{name}] {url}", flush=True)
    if not args.reuse:
        started = time.perf_counter()
        flask(env, "db", "upgrade")
        print(flask(env, "seed", "synthetic", "--cases", str(args.cases), "--seed", str(args.seed)).strip(),
              flush=True)
        analyze(url)
        out["seed_seconds"] = round(time.perf_counter() - started, 1)

    from thuiszitters import create_app
    from thuiszitters.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "FIXED_TODAY": TODAY, "EXPORT_DIR": str(export_dir)})
    mix = Mix.for_users(args.users)
    with app.app_context():
        plan = prepare(mix, seed=args.seed)
        db.session.remove()
        db.engine.dispose()
    out["machine_before"] = _machine_load()  # before our own server starts: what else is running
    port = args.port or _free_port()
    server = start_gunicorn(env, port, args.workers, work / f"load-gunicorn-{name}.log")
    stop_event = threading.Event()
    jobs = background_jobs(env, plan.export_month, stop_event)
    try:
        load = LoadRun(f"http://127.0.0.1:{port}", plan, seconds=args.seconds, think=args.think, seed=args.seed)
        for job in jobs:
            job.start()
        load.run()
        out["machine_after"] = _machine_load()
    finally:
        stop_event.set()
        for job in jobs:
            job.join()
        stop(server)
    out["mix"] = asdict(mix)
    out["workers"] = args.workers
    out["think_seconds"] = args.think
    out["load"] = load.summary()
    out["jobs"] = {job.name: job.summary() for job in jobs}
    with app.app_context():
        out["verify"] = verify_plan(plan, load.edits)
        db.session.remove()
        db.engine.dispose()
    out["audit_verify"] = audit_verify(env)
    log_text = (work / f"load-gunicorn-{name}.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log_text.splitlines() if '"level": "error"' in line or "Traceback" in line]
    out["server_log_errors"] = {"count": len(errors), "first": errors[:5]}
    out["ok"] = passed(out)
    print(json.dumps({k: v for k, v in out.items() if k != "load"}, indent=1), flush=True)
    print(json.dumps({k: v for k, v in out["load"].items() if k != "pages"}, indent=1), flush=True)
    return out


def passed(out: dict) -> bool:
    load = out["load"]
    return (load["server_errors"] == 0 and load["no_answer"] == 0 and load["unexpected"] == 0
            and out["verify"]["lost_updates"] == 0 and not out["verify"]["problems"]
            and out["audit_verify"]["clean"] and all(j["failed"] == 0 and j["runs"] > 0
                                                     for j in out["jobs"].values()))


def _free_port() -> int:
    from run import free_port

    return free_port()


# --- Report -------------------------------------------------------------------------------------------------


def readme_table(results: dict) -> str:
    backends = results["backends"]
    names = list(backends)
    lines = ["| measurement | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]

    def row(label: str, cell) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(backends[n]) for n in names) + " |")

    row("requests (per second)", lambda b: f"{b['load']['requests']} ({b['load']['requests_per_second']}/s)")
    row("5xx", lambda b: f"{b['load']['server_errors']}" + (" ✅" if b["load"]["server_errors"] == 0 else " ❌"))
    row("no answer / other unexpected status",
        lambda b: f"{b['load']['no_answer']} / "
                  f"{b['load']['unexpected'] - b['load']['no_answer'] - b['load']['server_errors']}")
    row("step edit races: rounds, accepted, refused (412/409)",
        lambda b: f"{b['load']['edits']['rounds']}, {b['load']['edits']['accepted']}, "
                  f"{b['load']['edits']['refused']}")
    row("lost updates", lambda b: f"{b['verify']['lost_updates']}"
        + (" ✅" if b["verify"]["lost_updates"] == 0 and not b["verify"]["problems"] else " ❌"))
    row("`flask audit verify` afterwards",
        lambda b: ("clean ✅ " if b["audit_verify"]["clean"] else "FAILED ❌ ")
        + re.sub(r",? ?(laatste id|kop-hash).*", "", (b["audit_verify"]["output"] or [""])[0]))
    for job in ("reminder sweep", "inspectie export"):
        row(f"{job} during the run (runs, seconds each)",
            lambda b, job=job: f"{b['jobs'][job]['runs']} runs, "
                               f"{', '.join(str(s) for s in b['jobs'][job]['seconds'])} s"
                               + (f", {b['jobs'][job]['failed']} failed ❌" if b["jobs"][job]["failed"] else ""))
    labels = sorted({label for b in backends.values() for label in b["load"]["pages"]})
    for label in labels:
        def cell(b: dict, label: str = label) -> str:
            page = b["load"]["pages"].get(label)
            if page is None:
                return "—"
            return f"{page['requests']}, {page['p50_ms']} / {page['p95_ms']} ms"
        row(f"{label}: requests, p50 / p95", cell)
    row("busiest processes before the run", lambda b: ", ".join(b["machine_before"]["busiest"][:6]) or "—")
    row("load average before → after", lambda b: f"{b['machine_before']['loadavg'][0]} → "
                                                 f"{b.get('machine_after', {}).get('loadavg', ['?'])[0]}")
    return "\n".join(lines)


def write_readme(results: dict) -> None:
    path = BENCH / "README.md"
    text = path.read_text(encoding="utf-8")
    first = next(iter(results["backends"].values()))
    block = (f"<!-- LOAD:START -->\nLast run: {results['finished_at']} on {results['machine']['cpus']} cores, Python "
             f"{results['machine']['python']}, {results['cases']} cases (seed {results['seed']}, today {TODAY}); "
             f"{first['load']['users']} users ({first['mix']['coordinator_pairs']} coordinator pairs, "
             f"{first['mix']['leerplicht']} leerplicht, {first['mix']['inspectie']} inspectie) for "
             f"{results['seconds']} s, think time 0–{results['think']} s, gunicorn {results['workers']} workers."
             f"\n\n{readme_table(results)}\n<!-- LOAD:END -->")
    if "<!-- LOAD:START -->" in text:
        text = re.sub(r"<!-- LOAD:START -->.*<!-- LOAD:END -->", lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from urllib.parse import urlsplit

    from run import fresh_postgresql

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0, help="each user waits 0..THINK s between requests")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="loopback port for gunicorn (0: a free one)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--reuse", action="store_true", help="the databases of the previous run, no seeding")
    parser.add_argument("--pg-database", default="thuiszitters_load",
                        help="the PostgreSQL database to (re)create next to DATABASE_URL's")
    parser.add_argument("--no-readme", action="store_true", help="leave bench/README.md alone")
    args = parser.parse_args(argv)

    work = ROOT / "instance" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    targets: dict[str, str] = {}
    if args.only in (None, "sqlite"):
        sqlite_path = work / "load.db"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        targets["sqlite"] = f"sqlite:///{sqlite_path}"
    pg_url = os.environ.get("DATABASE_URL", "")
    if args.only in (None, "postgresql") and pg_url.startswith("postgres"):
        targets["postgresql"] = (urlsplit(pg_url)._replace(path=f"/{args.pg_database}").geturl() if args.reuse
                                 else fresh_postgresql(pg_url, args.pg_database))
    results = {
        "cases": args.cases, "seed": args.seed, "today": TODAY, "seconds": args.seconds, "think": args.think,
        "workers": args.workers,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "sqlite": sqlite3.sqlite_version},
        "backends": {name: load_backend(name, url, args) for name, url in targets.items()},
    }
    results["finished_at"] = time.strftime("%Y-%m-%d %H:%M", time.localtime())
    (BENCH / "load-results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if not args.no_readme:
        write_readme(results)
    ok = all(b["ok"] for b in results["backends"].values())
    print(f"written bench/load-results.json; clean: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
