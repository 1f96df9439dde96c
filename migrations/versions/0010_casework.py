"""casework: the pupil's network (participants) and the case's journal; the old case note becomes its first entry

New tables only, plus one data step: ``participant`` (someone in the pupil's network, with contact details and a
version of its own), ``journal_entry`` (a dated contact with its author and a version), ``journal_entry_participant``
(whom an entry names) and ``journal_revision`` (an entry as it read before its author corrected it). Everything
hangs off ``case_file`` with ON DELETE CASCADE.

The data step moves each case's single note (``case_file.note``) into the journal as its first entry: kind
``notitie``, dated the day the case was registered (Europe/Amsterdam), without an author (the trail does not say who
last wrote the note), and empties the note, so the text is in one place. The downgrade puts such an entry's text
back into an empty note. Done in Python in batches so it reads the same on SQLite and PostgreSQL.

Revision ID: 0010_casework
Revises: 0009_outcomes_signals
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0010_casework"
down_revision = "0009_outcomes_signals"
branch_labels = None
depends_on = None

LOCAL = ZoneInfo("Europe/Amsterdam")
NOTE_KIND = "notitie"  # casework.rules.NOTE_KIND at the time of writing; a migration does not import the app
BATCH = 1000

case_file = sa.table("case_file", sa.column("id", sa.Integer), sa.column("note", sa.Text),
                     sa.column("created_at", sa.DateTime(timezone=True)))
journal_entry = sa.table(
    "journal_entry", sa.column("id", sa.Integer), sa.column("case_id", sa.Integer),
    sa.column("occurred_on", sa.Date), sa.column("kind", sa.String), sa.column("summary", sa.Text),
    sa.column("author_id", sa.Integer), sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)), sa.column("version", sa.Integer),
)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def upgrade() -> None:
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("consent_to_share", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name="fk_participant_case_id_case_file",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_participant"),
    )
    op.create_index("ix_participant_case_removed", "participant", ["case_id", "removed_at"])

    op.create_table(
        "journal_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"], name="fk_journal_entry_author_id_user_account"),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name="fk_journal_entry_case_id_case_file",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_journal_entry"),
    )
    op.create_index("ix_journal_entry_author_id", "journal_entry", ["author_id"])
    op.create_index("ix_journal_entry_case_occurred", "journal_entry", ["case_id", "occurred_on", "id"])

    op.create_table(
        "journal_entry_participant",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["journal_entry.id"],
                                name="fk_journal_entry_participant_entry_id_journal_entry", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"],
                                name="fk_journal_entry_participant_participant_id_participant", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "participant_id", name="pk_journal_entry_participant"),
    )
    op.create_index("ix_journal_entry_participant_participant_id", "journal_entry_participant", ["participant_id"])

    op.create_table(
        "journal_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("participant_ids", sa.JSON(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["journal_entry.id"], name="fk_journal_revision_entry_id_journal_entry",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_journal_revision"),
    )
    op.create_index("ix_journal_revision_entry_id", "journal_revision", ["entry_id"])

    _move_notes_into_the_journal()


def _move_notes_into_the_journal() -> None:
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(case_file.c.id, case_file.c.note, case_file.c.created_at)
            .where(case_file.c.id > last_id, case_file.c.note.is_not(None))
            .order_by(case_file.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        entries = []
        for row in rows:
            text = (row.note or "").strip()
            if not text:
                continue
            created = _aware(row.created_at)
            entries.append({"case_id": row.id, "occurred_on": created.astimezone(LOCAL).date(), "kind": NOTE_KIND,
                            "summary": text, "author_id": None, "created_at": created, "updated_at": created,
                            "version": 1})
        if entries:
            connection.execute(sa.insert(journal_entry), entries)
        connection.execute(sa.update(case_file).where(case_file.c.id.in_([row.id for row in rows]))
                           .values(note=None))


def downgrade() -> None:
    connection = op.get_bind()
    first_notes = connection.execute(
        sa.select(journal_entry.c.case_id, journal_entry.c.summary)
        .where(journal_entry.c.kind == NOTE_KIND, journal_entry.c.author_id.is_(None))
        .order_by(journal_entry.c.case_id, journal_entry.c.id)
    ).all()
    restored: set[int] = set()
    for case_id, summary in first_notes:
        if case_id in restored:
            continue
        restored.add(case_id)
        connection.execute(sa.update(case_file).where(case_file.c.id == case_id, case_file.c.note.is_(None))
                           .values(note=summary))
    op.drop_index("ix_journal_revision_entry_id", table_name="journal_revision")
    op.drop_table("journal_revision")
    op.drop_index("ix_journal_entry_participant_participant_id", table_name="journal_entry_participant")
    op.drop_table("journal_entry_participant")
    op.drop_index("ix_journal_entry_case_occurred", table_name="journal_entry")
    op.drop_index("ix_journal_entry_author_id", table_name="journal_entry")
    op.drop_table("journal_entry")
    op.drop_index("ix_participant_case_removed", table_name="participant")
    op.drop_table("participant")
