"""Benchmark: the monthly inspectie export of 200,000 cases in at most 15 s with a peak memory of at most 300 MB.

Run from the repository root:  .venv/bin/python bench/bench_export.py [--cases 200000] [--keep DIR]
Seeds a fresh SQLite database (migrated with the real migrations) with synthetic reference data, pupils,
cases and steps through SQLAlchemy core bulk inserts, then runs `build_month_export` in a child process and
measures that process: wall time (interpreter start and imports included) and peak RSS
(`getrusage(RUSAGE_CHILDREN).ru_maxrss`). Prints JSON on stdout; exits with 1 when over either budget.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_SECONDS = 15.0
BUDGET_MB = 300.0
MONTH = "2026-10"
# 06:00 in Amsterdam on the 1st of the next month, when the scheduler builds it.
BUILD_AT = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)
CHUNK = 10_000
SCHOOL_TYPES = ("po", "sbo", "so", "vo", "vso", "pro", "mbo")
ABSENCE_KINDS = ("absoluut_verzuim", "relatief_verzuim", "relatief_verzuim", "vrijstelling_5a")
OUTCOMES = ("terug_naar_school", "maatwerk", "onderwijszorgarrangement", "vrijstelling", "verhuisd", "overig")


def _app(database_url: str, export_dir: Path):
    from thuiszitters import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "EXPORT_DIR": str(export_dir),
        "INSPECTIE_KEY": "bench-inspectie-key-not-secret-0123456789",
    })


def seed(database_url: str, cases: int, seed_value: int = 2026) -> dict[str, int]:
    """Migrate a fresh database and fill it with `cases` synthetic cases; returns row counts."""
    from dateutil.relativedelta import relativedelta
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from thuiszitters.cases.models import Case, Pupil, Step
    from thuiszitters.extensions import db
    from thuiszitters.reference.models import Gemeente, School, Swv

    rnd = random.Random(seed_value)
    app = _app(database_url, Path(tempfile.gettempdir()))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        now = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
        swvs = [{"id": i + 1, "code": f"{'PO' if i % 2 == 0 else 'VO'} {i // 2 + 1:02d}-{i % 7 + 1:02d}",
                 "name": f"Samenwerkingsverband {i + 1}", "sector": "po" if i % 2 == 0 else "vo", "email": None}
                for i in range(150)]
        gemeenten = [{"id": i + 1, "code": f"GM{i + 1:04d}", "name": f"Gemeente {i + 1}"} for i in range(342)]
        schools = [{"id": i + 1, "brin": f"{i % 100:02d}{chr(65 + i // 100 % 26)}{chr(65 + i // 2600)}00",
                    "name": f"School {i + 1}", "school_type": SCHOOL_TYPES[i % len(SCHOOL_TYPES)],
                    "swv_id": i % 150 + 1, "gemeente_id": i % 342 + 1} for i in range(3000)]
        with db.engine.begin() as conn:
            conn.execute(insert(Swv), swvs)
            conn.execute(insert(Gemeente), gemeenten)
            conn.execute(insert(School), schools)
        first_day = date(2024, 8, 1)
        span = (date(2026, 10, 31) - first_day).days
        steps_total = 0
        for start in range(0, cases, CHUNK):
            pupils, case_rows, step_rows = [], [], []
            for case_id in range(start + 1, min(cases, start + CHUNK) + 1):
                since = first_day + timedelta(days=rnd.randint(0, span))
                deadline = since + relativedelta(months=3)
                pupils.append({"id": case_id, "first_name": f"Voornaam{case_id}", "last_name": f"Achternaam{case_id}",
                               "date_of_birth": date(2008, 1, 1) + timedelta(days=rnd.randint(0, 4000)),
                               "bsn": None})
                closed_on = offer = outcome = None
                if rnd.random() < 0.55:
                    offer = since + timedelta(days=rnd.randint(10, 250))
                    if offer <= date(2026, 10, 31):
                        closed_on, outcome = offer + timedelta(days=rnd.randint(0, 10)), rnd.choice(OUTCOMES)
                        closed_on = min(closed_on, date(2026, 10, 31))
                    else:
                        offer = None
                case_rows.append({
                    "id": case_id, "reference": f"TZ-B-{case_id:07d}", "status": "closed" if closed_on else "open",
                    "pupil_id": case_id, "swv_id": rnd.randint(1, 150), "gemeente_id": rnd.randint(1, 342),
                    "school_id": rnd.randint(1, 3000) if rnd.random() < 0.7 else None,
                    "absence_kind": rnd.choice(ABSENCE_KINDS), "out_of_school_since": since,
                    "return_deadline": deadline, "stage": None, "note": "Vrije tekst die niet in de export mag.",
                    "outcome": outcome, "offer_started_on": offer, "closed_on": closed_on,
                    "last_activity_on": since, "created_at": now, "updated_at": now, "version": 1,
                })
                day = since
                for kind, start_field, end_field in (("aanmelding", "received_on", "decided_on"),
                                                     ("swv_inzet", "started_on", "ended_on"),
                                                     ("consulent", "requested_on", "advice_on")):
                    if rnd.random() < 0.5:
                        break
                    day += timedelta(days=rnd.randint(3, 30))
                    # Every row of a kind carries the same keys, so each kind is one executemany.
                    done = rnd.random() < 0.6
                    row = {"case_id": case_id, "kind": kind, "created_at": now, start_field: day,
                           end_field: day + timedelta(days=rnd.randint(5, 40)) if done else None}
                    if kind == "aanmelding":
                        row["decision"] = "afgewezen" if done else None
                    elif kind == "swv_inzet":
                        row["action"] = "arrangement" if done else None
                    else:
                        row |= {"consulent_type": "onderwijsconsulent", "parental_consent": True}
                    step_rows.append(row)
            with db.engine.begin() as conn:
                conn.execute(insert(Pupil), pupils)
                conn.execute(insert(Case), case_rows)
                for kind in ("aanmelding", "swv_inzet", "consulent"):
                    of_kind = [r for r in step_rows if r["kind"] == kind]
                    if of_kind:
                        conn.execute(insert(Step), of_kind)
            steps_total += len(step_rows)
        db.engine.dispose()
    return {"cases": cases, "steps": steps_total, "swvs": len(swvs), "schools": len(schools)}


def child(database_url: str, export_dir: Path) -> int:
    """Run in the measured process: one `build_month_export`, as the scheduler would."""
    from thuiszitters.exports.services import build_month_export
    from thuiszitters.extensions import db

    app = _app(database_url, export_dir)
    with app.app_context():
        started = time.perf_counter()
        run = build_month_export(MONTH, actor_id=None, now=BUILD_AT)
        db.session.commit()
        print(json.dumps({"case_count": run.case_count, "build_s": round(time.perf_counter() - started, 2),
                          "files": {f.name: f.size for f in run.files}}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--budget-s", type=float, default=BUDGET_SECONDS)
    parser.add_argument("--budget-mb", type=float, default=BUDGET_MB)
    parser.add_argument("--keep", type=Path, default=None, help="work in this directory and keep it")
    parser.add_argument("--child", nargs=2, metavar=("DATABASE_URL", "EXPORT_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], Path(args.child[1]))

    with tempfile.TemporaryDirectory(prefix="bench-export-") as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        database = work / "bench.db"
        database.unlink(missing_ok=True)
        database_url = f"sqlite:///{database}"
        started = time.perf_counter()
        counts = seed(database_url, args.cases)
        seed_s = time.perf_counter() - started

        env = {**os.environ, "THUISZITTERS_ENV": "development"}
        env.pop("DATABASE_URL", None)
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, __file__, "--child", database_url, str(work / "exports")],
            capture_output=True, text=True, env=env, cwd=ROOT, check=False,
        )
        wall_s = time.perf_counter() - started
        if completed.returncode != 0:
            sys.stderr.write(completed.stderr)
            return 2
        # Linux reports ru_maxrss in KiB; the child is the only process this one waited for.
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = usage.ru_maxrss / 1024
        cpu_s = usage.ru_utime + usage.ru_stime
        built = json.loads(completed.stdout.strip().splitlines()[-1])

    result = {
        "benchmark": "inspectie_export",
        "month": MONTH,
        **counts,
        "cases_in_scope": built["case_count"],
        "seed_s": round(seed_s, 1),
        "wall_s": round(wall_s, 2),
        "build_s": built["build_s"],
        "child_cpu_s": round(cpu_s, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "budget_s": args.budget_s,
        "budget_mb": args.budget_mb,
        "file_bytes": built["files"],
        "database": "sqlite",
        "python": platform.python_version(),
        "ok": wall_s <= args.budget_s and peak_mb <= args.budget_mb,
    }
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
