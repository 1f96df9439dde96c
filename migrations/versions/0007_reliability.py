"""reliability: the cases a list or search showed, indexed beside the audit trail

A list or search read (case list, alerts, the leerplicht dashboard, the API lists, the BSN search) is logged as
one ``audit_event`` per request whose chained ``changes["case_ids"]`` names the cases shown. ``audit_event_case``
indexes those ids (one row per case) so the processing log finds the event from any case it showed. Ids only,
no foreign key to the case (the log outlives anonymisation), and append-only like the trail: on PostgreSQL the
trigger function of 0002_security refuses updates and deletes here too.

Revision ID: 0007_reliability
Revises: 0006_audit_notes
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_reliability"
down_revision = "0006_audit_notes"
branch_labels = None
depends_on = None

_APPEND_ONLY_TRIGGER = """
CREATE TRIGGER audit_event_case_append_only BEFORE UPDATE OR DELETE ON audit_event_case
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
"""


def upgrade() -> None:
    op.create_table(
        "audit_event_case",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["audit_event.id"], name="fk_audit_event_case_event_id_audit_event"),
        sa.PrimaryKeyConstraint("event_id", "case_id", name="pk_audit_event_case"),
    )
    op.create_index("ix_audit_event_case_case_id", "audit_event_case", ["case_id", "event_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_APPEND_ONLY_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_case_append_only ON audit_event_case")
    op.drop_index("ix_audit_event_case_case_id", table_name="audit_event_case")
    op.drop_table("audit_event_case")
