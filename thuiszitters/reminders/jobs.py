"""The scheduler's reminder job: it reads the clock at the edge and calls the sweep."""
from __future__ import annotations

from datetime import date, datetime

from thuiszitters.extensions import db
from thuiszitters.ops.schedule import JobSpec
from thuiszitters.reminders.services import send_due_reminders


def sweep(today: date, now: datetime) -> str:
    # A commit after every batch: users keep saving while a long catch-up sweep runs (SQLite's one write lock).
    result = send_due_reminders(today, now, commit=db.session.commit)
    return f"{result.total} herinnering(en), {result.mails} mail(s), {result.alerts} signaal/signalen"


JOBS = [
    JobSpec("reminders_sweep", "thuiszitters.reminders.jobs:sweep", {"trigger": "cron", "hour": 7, "minute": 0},
            run_at_start=True),
]
