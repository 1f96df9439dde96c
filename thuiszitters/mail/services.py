"""The admin's view of the outbox: what waits, what went out, what failed; and sending failed mail again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from thuiszitters.audit.services import ACTIVITY_ADMIN, record
from thuiszitters.extensions import db
from thuiszitters.mail.models import OutboxMessage

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


@dataclass(frozen=True)
class OutboxOverview:
    counts: dict[str, int]
    failed: list[OutboxMessage]  # newest first, at most ``limit``
    delayed: list[OutboxMessage]  # still being retried after at least one failed attempt


def outbox_overview(*, limit: int = 100) -> OutboxOverview:
    """Counts per status and the messages that need a beheerder's eye (failed, or retried after an error)."""
    counts = dict.fromkeys(OUTBOX_STATUSES, 0)
    for status, count in db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)):
        counts[status] = count
    failed = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)))
    delayed = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == "pending", OutboxMessage.last_error.is_not(None))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))
    return OutboxOverview(counts, failed, delayed)


def held_messages(*, limit: int = 20) -> list[OutboxMessage]:
    """The newest mails still waiting in the outbox: what a developer without an SMTP server reads instead."""
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == "pending")
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)))


def retry_failed(now: datetime, *, actor_id: int, message_id: int | None = None) -> int:
    """Put failed mails (all, or one) back in the queue with a fresh count of attempts; returns how many.

    A conditional update: a message that is no longer ``failed`` (retried by someone else meanwhile) is left as it
    is. The last error stays until the next attempt replaces it. Writes an audit event; does not commit.
    """
    query = update(OutboxMessage).where(OutboxMessage.status == "failed")
    if message_id is not None:
        query = query.where(OutboxMessage.id == message_id)
    count = db.session.execute(
        query.values(status="pending", attempts=0, next_attempt_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if count:
        record("mail.retry", actor_id=actor_id, activity=ACTIVITY_ADMIN, object_type="outbox_message",
               object_id=message_id, changes={"status": ["failed", "pending"], "count": [None, count]})
    return count
