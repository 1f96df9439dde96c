"""Audit events: every read and change of personal data, shaped after the Logboek Dataverwerkingen."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thuiszitters.extensions import UTCDateTime, db


class AuditEvent(db.Model):
    """One entry of the append-only log. Rows are never updated or deleted by the application."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_case_occurred", "case_id", "occurred_at"),
        Index("ix_audit_event_actor_occurred", "actor_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Who did it, by id: the trail sits below the accounts area and does not import it. A page that shows the
    # actor's name joins the user itself (cases.presenters.case_timeline).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # e.g. "case.create", "case.read", "step.update", "export.download"
    action: Mapped[str] = mapped_column(String(40))
    # Logboek Dataverwerkingen: the processing activity (verwerkingsactiviteit) this falls under.
    processing_activity: Mapped[str] = mapped_column(String(60))
    # No foreign key: the log outlives anonymisation and must never cascade.
    case_id: Mapped[int | None] = mapped_column()
    object_type: Mapped[str | None] = mapped_column(String(30))
    object_id: Mapped[int | None] = mapped_column()
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The digest of the reason typed with the change ("sha256:…"); the text itself is an AuditNote beside the
    # trail, so retention can delete it without breaking the chain. Rows from before notes existed hold the text.
    reason: Mapped[str | None] = mapped_column(String(500))
    # Hash chain: each row's hash covers its content and the previous row's hash.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))

    note: Mapped[AuditNote | None] = relationship(viewonly=True, uselist=False)

    @property
    def reason_text(self) -> str | None:
        """The reason as typed; None once retention deleted it (or when none was given)."""
        if self.reason is None or not self.reason.startswith(REASON_DIGEST_PREFIX):
            return self.reason
        return self.note.text if self.note is not None else None


REASON_DIGEST_PREFIX = "sha256:"


def reason_digest(text: str) -> str:
    return REASON_DIGEST_PREFIX + hashlib.sha256(text.encode()).hexdigest()


class AuditNote(db.Model):
    """The free text given as the reason for an audited change (reopen, transfer, ...).

    It may hold personal data, so it is kept beside the append-only trail rather than in it: the chained row holds
    its digest (``AuditEvent.reason``), `flask audit verify` checks the text against it, and retention deletes the
    notes of a case together with the case's other free text.
    """

    __tablename__ = "audit_note"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"), primary_key=True)
    case_id: Mapped[int | None] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(String(500))


class AuditEventCase(db.Model):
    """One case that a list or search showed, beside the one chained event that names them all.

    A list read is a single `audit_event` (one per request, not per case) whose ``changes["case_ids"]`` holds the
    ids shown, covered by the hash chain. These rows index that list, so the processing log answers "who saw this
    pupil in a list?" with an index look-up; `flask audit verify` checks that the two agree. Ids only: no
    foreign key to the case, for the same reason as `AuditEvent.case_id`.
    """

    __tablename__ = "audit_event_case"
    __table_args__ = (Index("ix_audit_event_case_case_id", "case_id", "event_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(primary_key=True)
