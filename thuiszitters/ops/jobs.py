"""The scheduler's own jobs: the heartbeat /healthz shows, and the database's planner statistics."""
from __future__ import annotations

from datetime import datetime

from thuiszitters.ops import services
from thuiszitters.ops.schedule import JobSpec


def heartbeat(now: datetime) -> str:
    """Shown by /healthz: when the scheduler last ran a job."""
    services.beat(now)
    return ""


JOBS = [
    JobSpec("heartbeat", "thuiszitters.ops.jobs:heartbeat", {"trigger": "interval", "minutes": 1}, run_at_start=True),
    # At night, when nobody waits on the write lock it takes for a moment; and once at start, so a database that was
    # filled in bulk (an import, `flask seed`) is not planned blind until the first night.
    JobSpec("planner_statistics", "thuiszitters.ops.services:refresh_planner_statistics",
            {"trigger": "cron", "hour": 3, "minute": 30}, run_at_start=True),
]
