"""Alerts wait for a leerplicht acknowledgement; notifications are what a user sees of a reminder in the app."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Case
from thuiszitters.extensions import UTCDateTime, db


class Alert(db.Model):
    """An overdue (or other) alert that stays open until a leerplicht user acknowledges it with a note."""

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "due_on", name="uq_alert_case_kind_due"),
        Index("ix_alert_status_due", "status", "due_on"),
        # The open alerts of a scope's cases (the werkvoorraad): each case's open ones without reading its
        # acknowledged ones (a case overdue for a year has a dozen).
        Index("ix_alert_case_status_due", "case_id", "status", "due_on", "kind"),
        # The same for the werkvoorraad on PostgreSQL: only the open alerts, with all it reads of them, so a probe
        # per case reads no table row; its query writes the status into the SQL (worklist.sources._fixed).
        Index("ix_alert_open", "case_id", "due_on", "kind", "id",
              postgresql_where=text("status = 'open'"), sqlite_where=text("status = 'open'")),
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
    __table_args__ = (
        Index("ix_notification_user_read", "user_id", "read_at"),
        # Meldingen grouped per case, the case with the newest first (alerts.services.notification_cases).
        Index("ix_notification_user_case", "user_id", "case_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminder.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
