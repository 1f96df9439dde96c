"""The scheduler's own job: the heartbeat /healthz shows."""
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
]
