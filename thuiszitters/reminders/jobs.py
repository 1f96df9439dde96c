"""The scheduler's reminder job: it reads the clock at the edge and calls the sweep."""
from __future__ import annotations

from datetime import date, datetime

from thuiszitters.ops.schedule import JobSpec
from thuiszitters.reminders.services import send_due_reminders


def sweep(today: date, now: datetime) -> str:
    result = send_due_reminders(today, now)
    return f"{result.total} herinnering(en), {result.mails} mail(s), {result.alerts} signaal/signalen"


JOBS = [
    JobSpec("reminders_sweep", "thuiszitters.reminders.jobs:sweep", {"trigger": "cron", "hour": 7, "minute": 0},
            run_at_start=True),
]
