"""Reminders fire once per (case, rule, due date); alerts wait for a leerplicht acknowledgement."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Case, Step
from thuiszitters.extensions import UTCDateTime, db


class Reminder(db.Model):
    """The record that a reminder rule fired for a case. Its unique key makes every sweep idempotent."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("case_id", "rule", "due_on", name="uq_reminder_case_rule_due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Alert(db.Model):
    """An overdue (or other) alert that stays open until a leerplicht user acknowledges it with a note."""

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "due_on", name="uq_alert_case_kind_due"),
        Index("ix_alert_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), default="open")
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)

    acknowledged_by: Mapped[User | None] = relationship()
    case: Mapped[Case] = relationship()


class Notification(db.Model):
    """What a user sees in the app for a reminder or alert."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminder.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxMessage(db.Model):
    """A mail written in the same transaction as its reminder; a sender delivers it with retries."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminder.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SchedulerState(db.Model):
    """A named lock row (for SQLite) and the scheduler's heartbeat."""

    __tablename__ = "scheduler_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(100))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# Partial indexes on case_step for the sweep's step rules (defined here, with the rules that need them). They hold
# only undecided aanmeldingen and oordelen without a recorded follow-up, so the sweep probes them per open case
# without reading the step table.
_UNDECIDED_AANMELDING = "kind = 'aanmelding' AND decision IS NULL"
_GPO_WITHOUT_FOLLOW_UP = "kind = 'geschillencommissie' AND follow_up IS NULL"
Index("ix_case_step_undecided_aanmelding", Step.case_id, Step.received_on,
      sqlite_where=text(_UNDECIDED_AANMELDING), postgresql_where=text(_UNDECIDED_AANMELDING))
Index("ix_case_step_gpo_without_follow_up", Step.case_id, Step.verdict_on,
      sqlite_where=text(_GPO_WITHOUT_FOLLOW_UP), postgresql_where=text(_GPO_WITHOUT_FOLLOW_UP))
