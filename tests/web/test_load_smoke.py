"""A bounded load run: a few users at once against gunicorn (2 workers) on the test database.

The same users and checks as `make bench-load` (bench/load_users.py, bench/served.py), on synthetic data: two
pairs of coordinators who edit the same step at the same moment, a leerplicht and an inspectie user, for a few
seconds, while the reminder sweep and the month's export run beside them. No answer may be a 5xx, the loser of
every edit race gets 412 (API) or 409 (web form), no accepted edit may be lost, and the audit trail must verify
afterwards.
"""
from __future__ import annotations

import importlib
import os
import sys
import threading
from datetime import date
from pathlib import Path

from tests.smtp_server import free_port
from thuiszitters.extensions import db
from thuiszitters.seed.synthetic import load_synthetic

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
users = importlib.import_module("load_users")
served = importlib.import_module("served")


def test_a_few_users_at_once_get_no_server_error_lose_no_edit_and_leave_a_clean_audit_trail(
        app, database_url, runner, tmp_path):
    load_synthetic(600, 2026, date(2026, 11, 2), with_users=False)
    db.session.commit()
    plan = users.prepare(users.Mix(coordinator_pairs=2, leerplicht=1, inspectie=1))
    env = {**os.environ, "DATABASE_URL": database_url, "THUISZITTERS_ENV": "testing",
           "THUISZITTERS_FIXED_TODAY": "2026-11-02", "THUISZITTERS_EXPORT_DIR": app.config["EXPORT_DIR"]}
    port = free_port()
    server = served.start_gunicorn(env, port, 2, tmp_path / "gunicorn.log")
    stop_jobs = threading.Event()
    jobs = served.background_jobs(env, plan.export_month, stop_jobs, scale=0.2)
    run = users.LoadRun(f"http://127.0.0.1:{port}", plan, seconds=5, think=0.1, contest_every=2)
    try:
        for job in jobs:
            job.start()
        run.run()
    finally:
        stop_jobs.set()
        for job in jobs:
            job.join()
        served.stop(server)

    summary = run.summary()
    assert summary["requests"] >= len(plan.accounts), summary
    assert summary["server_errors"] == 0, summary["failures"]
    assert summary["unexpected"] == 0, summary["failures"]
    # The conflict really happened: both coordinators of a pair sent the same version, one of them was refused.
    assert summary["edits"]["accepted"] >= 1 and summary["edits"]["refused"] >= 1, summary["edits"]
    verification = users.verify_plan(plan, run.edits)
    assert verification["lost_updates"] == 0, verification["problems"]
    assert verification["problems"] == []
    assert verification["conflicts_with_one_winner"] >= 1
    for job in jobs:
        assert job.runs and all(r["exit_code"] == 0 for r in job.runs), (job.name, job.runs)
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
