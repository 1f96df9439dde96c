"""The scheduler's housekeeping of the security tables."""
from __future__ import annotations

from thuiszitters.ops.schedule import JobSpec

JOBS = [
    # Expired sessions and old login attempts: refused anyway, deleted so the tables stay small.
    JobSpec("security_purge", "thuiszitters.accounts.housekeeping:purge_security_records",
            {"trigger": "interval", "hours": 1}, run_at_start=True),
]
