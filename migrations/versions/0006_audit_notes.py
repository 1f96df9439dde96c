"""audit notes: the reasons typed with a change, beside the append-only trail

``audit_note`` holds the free text given as the reason for an audited change (reopen, transfer). The chained
``audit_event`` row now holds only its digest (``sha256:…`` in ``reason``), so retention can delete the text with
the case's other free text while `flask audit verify` still checks the chain and each remaining note. Rows written
before this revision keep their reason text in the trail (changing them would break the chain).

Revision ID: 0006_audit_notes
Revises: 0005_token_expiry
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_audit_notes"
down_revision = "0005_token_expiry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_note",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["audit_event.id"], name="fk_audit_note_event_id_audit_event"),
        sa.PrimaryKeyConstraint("event_id", name="pk_audit_note"),
    )
    op.create_index("ix_audit_note_case_id", "audit_note", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_note_case_id", table_name="audit_note")
    op.drop_table("audit_note")
