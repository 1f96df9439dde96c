"""Benchmark: the summary PDF of a seeded case with 60 timeline events, end to end, in at most 150 ms (p95).

End to end means what a download costs apart from the HTTP round trip: loading the case, its steps, timeline,
parties and alerts from the database (`summary_for_case`) and building the PDF (`build_case_summary`). The
session is emptied before every run, so each run reads the database as a fresh request does.

Run from the repository root:  .venv/bin/python bench/bench_summary.py [--runs 50] [--budget-ms 150]
It builds a throwaway SQLite database in a temporary directory (migrated with `flask db upgrade`), prints the
timings as JSON on stdout and exits with 1 when the wall-clock p95 is over budget. On a busy machine compare
"cpu_p95_ms" and "load_average_1m" before blaming the code. The first run is timed separately
("cold_ms"): it also loads the fonts, which a web worker does once.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event
from timing import percentile  # bench/ itself is on the path: these run as scripts

from thuiszitters import create_app

EVENTS = 60
BUDGET_MS = 150.0
TODAY = date(2026, 11, 2)


def seed_case(events: int = EVENTS) -> int:
    """A realistic open case built through the services: three steps, then updates up to `events` entries."""
    from thuiszitters.accounts.services import UserInput, create_user
    from thuiszitters.audit.models import AuditEvent
    from thuiszitters.cases import services
    from thuiszitters.extensions import db
    from thuiszitters.reference.models import Gemeente, School, Swv

    swv = Swv(code="PO 27-01", name="Samenwerkingsverband Amstelland", sector="po", email="swv@example.nl")
    gemeente = Gemeente(code="GM0363", name="Amsterdam")
    db.session.add_all([swv, gemeente, School(brin="07NU00", name="Basisschool De Ærø", school_type="po",
                                              swv=swv, gemeente=gemeente)])
    db.session.flush()
    password = "bench-password-not-secret-42"  # noqa: S105
    coordinator = create_user(UserInput(email="coord@example.nl", name="Őrs Ærøe", role="coordinator",
                                        swv_codes=("PO 27-01",)), password, actor_id=None)
    create_user(UserInput(email="lp@example.nl", name="J. de Vries", role="leerplicht",
                          gemeente_codes=("GM0363",)), password, actor_id=None)
    case = services.create_case(
        services.CaseInput(first_name="Łukasz", last_name="Şahin-Ærøe", date_of_birth=date(2014, 3, 1),
                           gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="relatief_verzuim",
                           out_of_school_since=date(2026, 9, 1), bsn="111222333", school_brin="07NU00",
                           note="Gesprek met ouders gepland."),
        actor=coordinator, today=date(2026, 9, 2),
    )
    steps = [
        ("aanmelding", {"school_brin": "07NU00", "received_on": date(2026, 9, 3), "decision": "afgewezen",
                        "decided_on": date(2026, 10, 1)}),
        ("swv_inzet", {"started_on": date(2026, 10, 2), "action": "tlv", "ended_on": date(2026, 10, 20)}),
        ("consulent", {"consulent_type": "onderwijsconsulent", "parental_consent": True,
                       "requested_on": date(2026, 10, 21)}),
    ]
    for kind, values in steps:
        services.add_step(case, kind, values, expected_version=case.version, actor=coordinator, today=TODAY)
    written = db.session.query(AuditEvent).filter(AuditEvent.case_id == case.id).count()
    for index in range(events - written):
        note = f"Notitie {index + 1}: overleg met ouders en school over een passend aanbod."
        services.update_case(case, {"note": note}, expected_version=case.version, actor=coordinator, today=TODAY)
    db.session.commit()
    return case.id



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--budget-ms", type=float, default=BUDGET_MS)
    args = parser.parse_args(argv)
    logging.getLogger("alembic").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                          "FIXED_TODAY": TODAY.isoformat()})
        with app.app_context():
            from flask_migrate import upgrade

            from thuiszitters.accounts.models import User
            from thuiszitters.cases.models import Case
            from thuiszitters.clock import now_utc
            from thuiszitters.extensions import db
            from thuiszitters.reports.pdf import build_case_summary
            from thuiszitters.reports.summary import summary_for_case

            upgrade()
            case_id = seed_case()
            coordinator_id = db.session.scalar(db.select(User.id).where(User.role == "coordinator"))
            queries: list[str] = []

            def one_summary() -> tuple[int, int]:
                db.session.expire_all()
                queries.clear()
                case = db.session.get(Case, case_id)
                user = db.session.get(User, coordinator_id)
                summary = summary_for_case(case, generated_by=user, today=TODAY, now=now_utc())
                return len(build_case_summary(summary)), len(summary.events)

            event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
            started = time.perf_counter()
            size, events = one_summary()
            cold_ms = (time.perf_counter() - started) * 1000

            timings: list[float] = []
            cpu_timings: list[float] = []
            for _ in range(args.runs):
                started, cpu_started = time.perf_counter(), time.process_time()
                one_summary()
                timings.append((time.perf_counter() - started) * 1000)
                cpu_timings.append((time.process_time() - cpu_started) * 1000)
            query_count = len(queries)
            db.session.remove()
            db.engine.dispose()
    timings.sort()
    cpu_timings.sort()

    p95 = percentile(timings, 0.95)
    result = {
        "benchmark": "case_summary_end_to_end",
        "database": "sqlite",
        "events": events,
        "runs": args.runs,
        "queries_per_summary": query_count,
        "cold_ms": round(cold_ms, 1),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(timings[-1], 1),
        # CPU time of this process: shows whether a slow wall-clock run was the code or a busy machine.
        "cpu_p50_ms": round(statistics.median(cpu_timings), 1),
        "cpu_p95_ms": round(percentile(cpu_timings, 0.95), 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "budget_ms": args.budget_ms,
        "pdf_bytes": size,
        "python": platform.python_version(),
        "ok": p95 <= args.budget_ms and events == EVENTS,
    }
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
