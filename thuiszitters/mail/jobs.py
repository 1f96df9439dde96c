"""The scheduler's mail job: send what is due in the outbox, every minute."""
from __future__ import annotations

from datetime import datetime

from thuiszitters.mail.delivery import deliver_outbox
from thuiszitters.ops.schedule import JobSpec


def deliver(now: datetime) -> str:
    result = deliver_outbox(now)
    return "" if result.skipped or not (result.sent or result.failed) else \
        f"{result.sent} verzonden, {result.failed} mislukt"


JOBS = [
    JobSpec("outbox_delivery", "thuiszitters.mail.jobs:deliver", {"trigger": "interval", "minutes": 1},
            run_at_start=True),
]
