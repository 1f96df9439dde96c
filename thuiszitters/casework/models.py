"""The pupil's network (participants), the case's journal (with the earlier versions of corrected entries), the
plan van aanpak (actions) and the meetings (MDO/overleg) whose agreements become actions.

Both are sub-resources of a case with a version of their own (optimistic locking, thuiszitters/versioning.py): an
entry written while someone else edits the case or another entry refuses nobody. They are deleted with the case's
personal data by retention (retention/services.py).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Case
from thuiszitters.extensions import UTCDateTime, db

# Which participants a journal entry names.
journal_entry_participant = Table(
    "journal_entry_participant",
    db.metadata,
    Column("entry_id", Integer, ForeignKey("journal_entry.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", Integer, ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Participant(db.Model):
    """Someone in the pupil's network (a parent, the school, jeugdhulp, ...), with contact details.

    Removing one from the network (``removed_at``) erases the contact details and the note at once; the role and
    the name stay, so the journal entries that named the participant stay readable.
    """

    __tablename__ = "participant"
    __table_args__ = (Index("ix_participant_case_removed", "case_id", "removed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164, identifiers.normalize_phone
    consent_to_share: Mapped[bool | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship()

    @property
    def active(self) -> bool:
        return self.removed_at is None


class JournalEntry(db.Model):
    """A dated contact: who spoke with whom, when, and what was said or agreed. Corrected by its author only;
    the earlier version is kept as a `JournalRevision`."""

    __tablename__ = "journal_entry"
    __table_args__ = (Index("ix_journal_entry_case_occurred", "case_id", "occurred_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    occurred_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    # None: unknown (a case note from before the journal whose writer the trail no longer names).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship()
    author: Mapped[User | None] = relationship()
    participants: Mapped[list[Participant]] = relationship(secondary=journal_entry_participant,
                                                           order_by=Participant.id)
    revisions: Mapped[list[JournalRevision]] = relationship(
        back_populates="entry", order_by="JournalRevision.id", cascade="all, delete-orphan")

    @property
    def participant_ids(self) -> list[int]:
        return [participant.id for participant in self.participants]


class JournalRevision(db.Model):
    """An entry as it read before a correction, and when it was replaced."""

    __tablename__ = "journal_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entry.id", ondelete="CASCADE"), index=True)
    occurred_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    participant_ids: Mapped[list[Any]] = mapped_column(JSON)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime())

    entry: Mapped[JournalEntry] = relationship(back_populates="revisions")


# --- the plan van aanpak and the meetings (MDO/overleg) -----------------------------------------------------------

# Which participants were present at a meeting.
meeting_participant = Table(
    "meeting_participant",
    db.metadata,
    Column("meeting_id", Integer, ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", Integer, ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Meeting(db.Model):
    """An MDO or other meeting about the case: when, what kind, who was there, a summary. Its agreements are
    `Action`s with `meeting_id` set (recorded in the same form)."""

    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_case_held", "case_id", "held_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship()
    author: Mapped[User | None] = relationship()
    participants: Mapped[list[Participant]] = relationship(secondary=meeting_participant, order_by=Participant.id)
    actions: Mapped[list[Action]] = relationship(back_populates="meeting", order_by="Action.id")

    @property
    def participant_ids(self) -> list[int]:
        return [participant.id for participant in self.participants]


# Open actions only (done and lapsed ones, the bulk after a while, are not in them): by owner and due date (a user's
# own, for the werkvoorraad), by case (a coordinator's werkvoorraad probes its cases), and by due date (the daily
# reminder sweep).
_OPEN = "status = 'open'"


class Action(db.Model):
    """One action of the plan van aanpak: what, who (exactly one owner: a user or a participant), by when, and how
    it ended (`gedaan` on `done_on`, or `vervallen`). An agreement of a meeting is an action with `meeting_id`."""

    __tablename__ = "case_action"
    __table_args__ = (
        CheckConstraint("(owner_user_id IS NULL) <> (owner_participant_id IS NULL)", name="one_owner"),
        Index("ix_case_action_case_due", "case_id", "due_on", "id"),
        Index("ix_case_action_open_owner", "owner_user_id", "due_on",
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
        Index("ix_case_action_open_case", "case_id", "due_on", "owner_user_id",
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
        Index("ix_case_action_open_due", "due_on", "case_id",
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    owner_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"),
                                                             index=True)
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="open")
    done_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship()
    meeting: Mapped[Meeting | None] = relationship(back_populates="actions")
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])
    owner_participant: Mapped[Participant | None] = relationship()
