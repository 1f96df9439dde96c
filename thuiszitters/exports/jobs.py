"""The scheduler's export job: the previous month's inspectie export, on the first of the month."""
from __future__ import annotations

from thuiszitters.ops.schedule import JobSpec

JOBS = [
    # Safe to repeat (a stored, intact month is left alone), so it also runs at start to catch up a missed 1st.
    JobSpec("inspectie_export", "thuiszitters.exports.services:run_monthly_export",
            {"trigger": "cron", "day": 1, "hour": 6, "minute": 0}, run_at_start=True),
]
