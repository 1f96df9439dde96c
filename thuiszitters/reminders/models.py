"""Reminders fire once per (case, rule, due date); the sweep probes the steps through two partial indexes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from thuiszitters.cases.models import Step
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
    # Found more than the catch-up window after its due date: recorded and shown on the case, never mailed.
    missed: Mapped[bool] = mapped_column(default=False, server_default=false())


# Partial indexes on case_step for the sweep's step rules (defined here, with the rules that need them). They hold
# only undecided aanmeldingen and oordelen without a recorded follow-up, so the sweep probes them per open case
# without reading the step table.
_UNDECIDED_AANMELDING = "kind = 'aanmelding' AND decision IS NULL"
_GPO_WITHOUT_FOLLOW_UP = "kind = 'geschillencommissie' AND follow_up IS NULL"
Index("ix_case_step_undecided_aanmelding", Step.case_id, Step.received_on,
      sqlite_where=text(_UNDECIDED_AANMELDING), postgresql_where=text(_UNDECIDED_AANMELDING))
Index("ix_case_step_gpo_without_follow_up", Step.case_id, Step.verdict_on,
      sqlite_where=text(_GPO_WITHOUT_FOLLOW_UP), postgresql_where=text(_GPO_WITHOUT_FOLLOW_UP))
