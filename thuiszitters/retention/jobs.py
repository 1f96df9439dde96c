"""The scheduler's retention job: anonymise closed cases past their retention period, nightly."""
from __future__ import annotations

from thuiszitters.ops.schedule import JobSpec

JOBS = [
    JobSpec("retention", "thuiszitters.retention.services:anonymise_expired_cases",
            {"trigger": "cron", "hour": 3, "minute": 0}),
]
