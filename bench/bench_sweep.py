"""Benchmark: a reminder sweep over 200,000 cases with nothing due must take under 1 s (p95).

Run from the repository root:  .venv/bin/python bench/bench_sweep.py [--cases 200000] [--runs 7]
Seeds a fresh SQLite file in a temporary directory (bulk inserts with SQLAlchemy core), or, when DATABASE_URL
points at PostgreSQL, a sibling database `<name>_sweep` on that server (recreated); the database named in
DATABASE_URL itself is never touched.

Data: cases spread over four school years before "today"; those older than six months are closed, as in real
registers where most cases end. Each case has an aanmelding step; one in ten is still undecided.
Timings: the first sweep ("many_due", everything that is due at once, as on a fresh install) and then repeated
sweeps with nothing due ("nothing_due", the daily situation: every key already recorded). Prints JSON; exits 1
when the nothing-due p95 is 1 s or more.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url
from timing import percentile  # bench/ itself is on the path: these run as scripts

BUDGET_S = 1.0
TODAY = date(2026, 11, 2)


def _prepare_url(url: str | None, workdir: Path) -> str:
    """A database of the sweep's own: never the one in DATABASE_URL, which may hold other data.

    PostgreSQL: a sibling database `<name>_sweep` on the same server, recreated; anything else: a fresh SQLite
    file in a temporary directory.
    """
    if not url or not url.startswith("postgres"):
        return f"sqlite:///{workdir / 'bench.db'}"
    parsed = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    own = parsed.set(database=f"{parsed.database}_sweep")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    admin.dispose()
    return own.render_as_string(hide_password=False)


def _seed(db, cases: int, seed: int) -> None:
    from thuiszitters.accounts.models import User, user_gemeente, user_swv
    from thuiszitters.cases.models import Case, Pupil, Step
    from thuiszitters.escalation.terms import return_deadline
    from thuiszitters.reference.models import Gemeente, Swv

    rng = random.Random(seed)
    now = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
    conn = db.session.connection()
    swvs = 150
    gemeenten = 340
    conn.execute(insert(Swv), [{"id": i + 1, "code": f"PO {i // 10 + 20:02d}-{i % 10 + 1:02d}", "name": f"SWV {i}",
                                "sector": "po", "email": f"swv{i}@example.nl"} for i in range(swvs)])
    conn.execute(insert(Gemeente), [{"id": i + 1, "code": f"GM{i + 1:04d}", "name": f"Gemeente {i}"}
                                    for i in range(gemeenten)])
    users = []
    for i in range(swvs):
        users.append({"id": i + 1, "email": f"coord{i}@example.nl", "name": f"Coord {i}", "role": "coordinator",
                      "active": True, "created_at": now, "session_epoch": 0})
    for i in range(gemeenten):
        users.append({"id": swvs + i + 1, "email": f"lp{i}@example.nl", "name": f"LP {i}", "role": "leerplicht",
                      "active": True, "created_at": now, "session_epoch": 0})
    conn.execute(insert(User), users)
    conn.execute(insert(user_swv), [{"user_id": i + 1, "swv_id": i + 1} for i in range(swvs)])
    conn.execute(insert(user_gemeente), [{"user_id": swvs + i + 1, "gemeente_id": i + 1} for i in range(gemeenten)])

    batch = 10_000
    for start in range(0, cases, batch):
        pupils, rows, steps = [], [], []
        for n in range(start, min(cases, start + batch)):
            since = TODAY - timedelta(days=rng.randrange(0, 4 * 365))
            closed = (TODAY - since).days > 183 or rng.random() < 0.3
            pupils.append({"id": n + 1, "first_name": "Leerling", "last_name": str(n),
                           "date_of_birth": date(2012, 1, 1)})
            rows.append({
                "id": n + 1, "reference": f"TZ-B-{n + 1:07d}", "status": "closed" if closed else "open",
                "pupil_id": n + 1, "swv_id": rng.randrange(swvs) + 1, "gemeente_id": rng.randrange(gemeenten) + 1,
                "absence_kind": "absoluut_verzuim", "out_of_school_since": since,
                "return_deadline": return_deadline(since),
                "closed_on": since + timedelta(days=80) if closed else None,
                "last_activity_on": min(TODAY, since + timedelta(days=rng.randrange(0, 60))),
                "created_at": now, "updated_at": now, "version": 1,
            })
            received = since + timedelta(days=7)
            undecided = rng.random() < 0.1
            steps.append({
                "case_id": n + 1, "kind": "aanmelding", "created_at": now, "received_on": received,
                "decision": None if undecided else "afgewezen",
                "decided_on": None if undecided else received + timedelta(days=30),
            })
        conn.execute(insert(Pupil), pupils)
        conn.execute(insert(Case), rows)
        conn.execute(insert(Step), steps)
    db.session.commit()
    _analyze(db)


def _analyze(db) -> None:
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = _prepare_url(os.environ.get("DATABASE_URL"), Path(tmp))
        from thuiszitters import create_app
        from thuiszitters.extensions import db
        from thuiszitters.reminders.models import Reminder
        from thuiszitters.reminders.services import send_due_reminders

        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "FIXED_TODAY": TODAY.isoformat()})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            t0 = time.perf_counter()
            _seed(db, args.cases, args.seed)
            seed_s = time.perf_counter() - t0

            t0 = time.perf_counter()
            first = send_due_reminders(TODAY)
            db.session.commit()
            many_due_s = time.perf_counter() - t0
            # Refresh the planner's statistics now that the reminder table is full, as autovacuum (PostgreSQL)
            # does in production long before the next daily sweep; on fresh statistics PostgreSQL would take the
            # (then empty) reminder table for a tiny one and plan a nested loop.
            _analyze(db)

            timings = []
            for _ in range(args.runs):
                db.session.remove()
                t0 = time.perf_counter()
                result = send_due_reminders(TODAY)
                db.session.commit()
                timings.append(time.perf_counter() - t0)
                assert result.total == 0, "a repeated sweep found something due"
            reminders = db.session.scalar(select(func.count()).select_from(Reminder))
            dialect = db.engine.dialect.name
        ordered = sorted(timings)
        p95 = percentile(ordered, 0.95)
        report = {
            "benchmark": "reminder sweep",
            "database": dialect,
            "cases": args.cases,
            "seed_s": round(seed_s, 2),
            "many_due": {"seconds": round(many_due_s, 3), "reminders": first.total, "mails": first.mails,
                         "by_rule": dict(sorted(first.reminders.items()))},
            "nothing_due": {"runs": args.runs, "p50_ms": round(statistics.median(timings) * 1000, 1),
                            "p95_ms": round(p95 * 1000, 1), "max_ms": round(max(timings) * 1000, 1)},
            "reminders_in_table": reminders,
            "budget_ms": BUDGET_S * 1000,
            "python": platform.python_version(),
            "machine": platform.machine(),
        }
        print(json.dumps(report, indent=2))
        return 0 if p95 < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
