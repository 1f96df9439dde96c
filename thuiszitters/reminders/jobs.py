"""The scheduler's reminder jobs: each one reads the clock at the edge and calls one service."""
from __future__ import annotations

from sqlalchemy import update

from thuiszitters.clock import now_utc, today
from thuiszitters.extensions import db
from thuiszitters.reminders.models import SchedulerState


def sweep() -> str:
    from thuiszitters.reminders.services import send_due_reminders

    # A commit after every batch: users keep saving while a long catch-up sweep runs (SQLite's one write lock).
    result = send_due_reminders(today(), now_utc(), commit=db.session.commit)
    return f"{result.total} herinnering(en), {result.mails} mail(s), {result.alerts} signaal/signalen"


def deliver() -> str:
    from thuiszitters.reminders.mailer import deliver_outbox

    result = deliver_outbox(now_utc())
    return "" if result.skipped or not (result.sent or result.failed) else \
        f"{result.sent} verzonden, {result.failed} mislukt"


def heartbeat() -> str:
    """Shown by /healthz: when the scheduler last ran a job."""
    from thuiszitters.reminders.services import dialect_insert

    db.session.execute(dialect_insert(SchedulerState).values(name="scheduler").on_conflict_do_nothing(
        index_elements=["name"]))
    db.session.execute(update(SchedulerState).where(SchedulerState.name == "scheduler")
                       .values(heartbeat_at=now_utc()))
    return ""
