"""The scheduler's state: named lock rows (for SQLite) and its heartbeat."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from thuiszitters.extensions import UTCDateTime, db


class SchedulerState(db.Model):
    """A named lock row (for SQLite) and the scheduler's heartbeat."""

    __tablename__ = "scheduler_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(100))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
