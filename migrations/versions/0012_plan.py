"""plan: the plan van aanpak (case_action) and the meetings (meeting, meeting_participant)

New tables only, nothing existing changes, so SQLite needs no batch copy of an existing table:

* ``meeting``: an MDO or other meeting on a case (day, kind, summary, author, version of its own);
* ``meeting_participant``: who of the network was present;
* ``case_action``: an action of the plan with exactly one owner (a user or a participant; a check constraint),
  a due date, a status, the day it was done, the meeting it was agreed in (SET NULL), a version of its own.

Everything hangs off ``case_file`` with ON DELETE CASCADE (retention deletes it with the case's other casework).
Three partial indexes hold only the open actions: by owner and due date (a user's own, for the werkvoorraad), by
case (a coordinator's werkvoorraad probes the cases of its swv's) and by due date (the daily reminder sweep); the
plain (case, due date) index serves the case page.

Revision ID: 0012_plan
Revises: 0011_documents_search
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_plan"
down_revision = "0011_documents_search"
branch_labels = None
depends_on = None

OPEN = "status = 'open'"


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"], name="fk_meeting_author_id_user_account"),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name="fk_meeting_case_id_case_file",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_meeting"),
    )
    op.create_index("ix_meeting_author_id", "meeting", ["author_id"])
    op.create_index("ix_meeting_case_held", "meeting", ["case_id", "held_on", "id"])

    op.create_table(
        "meeting_participant",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name="fk_meeting_participant_meeting_id_meeting",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"],
                                name="fk_meeting_participant_participant_id_participant", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id", "participant_id", name="pk_meeting_participant"),
    )
    op.create_index("ix_meeting_participant_participant_id", "meeting_participant", ["participant_id"])

    op.create_table(
        "case_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("owner_participant_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("(owner_user_id IS NULL) <> (owner_participant_id IS NULL)",
                           name=op.f("ck_case_action_one_owner")),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name="fk_case_action_case_id_case_file",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name="fk_case_action_meeting_id_meeting",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_user_id"], ["user_account.id"],
                                name="fk_case_action_owner_user_id_user_account"),
        sa.ForeignKeyConstraint(["owner_participant_id"], ["participant.id"],
                                name="fk_case_action_owner_participant_id_participant", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name="fk_case_action_created_by_id_user_account"),
        sa.PrimaryKeyConstraint("id", name="pk_case_action"),
    )
    op.create_index("ix_case_action_case_due", "case_action", ["case_id", "due_on", "id"])
    op.create_index("ix_case_action_meeting_id", "case_action", ["meeting_id"])
    op.create_index("ix_case_action_owner_participant_id", "case_action", ["owner_participant_id"])
    op.create_index("ix_case_action_created_by_id", "case_action", ["created_by_id"])
    op.create_index("ix_case_action_open_owner", "case_action", ["owner_user_id", "due_on"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_case_action_open_case", "case_action", ["case_id", "due_on", "owner_user_id"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_case_action_open_due", "case_action", ["due_on", "case_id"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_table("case_action")
    op.drop_table("meeting_participant")
    op.drop_table("meeting")
