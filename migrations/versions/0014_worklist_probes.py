"""werkvoorraad on PostgreSQL: covering and partial indexes

The werkvoorraad (thuiszitters/worklist/sources.py) probes the chain terms and the open alerts of a scope's active
cases. At 200,000 cases, for the busiest swv (752 active cases), on PostgreSQL:
``ix_case_file_swv_status_activity`` now ends in the reference and the id (it held the pupil, which the page now
looks up for the shown items only), so the active cases come from an index-only scan instead of reading 486 table
pages.
``ix_case_step_open_term`` holds only the steps whose chain term is unmet, so a probe per case reads a step row
only when it is work (the terms' query went from 5.9 to 2.7 ms).
``ix_alert_open`` holds only the open alerts with what the werkvoorraad reads of them; with the status written
into the query, the planner probes it per case instead of hashing the country's 20,000 open alerts (12.6 ms
became 2.4 ms).

The partial indexes' conditions are those of worklist.sources.OPEN_TERM and the alert query, written out here as
they stood when this migration was made. Indexes only: the previous release keeps running while this one migrates.

Revision ID: 0014_worklist_probes
Revises: 0013_worklist
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_worklist_probes"
down_revision = "0013_worklist"
branch_labels = None
depends_on = None

OPEN_TERM = ("kind = 'aanmelding' AND decision IS NULL"
             " OR kind = 'geschillencommissie' AND filed_on IS NULL"
             " OR kind = 'geschillencommissie' AND verdict IS NULL"
             " OR kind = 'geschillencommissie' AND follow_up IS NULL")
OPEN_ALERT = "status = 'open'"


def upgrade() -> None:
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.drop_index("ix_case_file_swv_status_activity")
        batch_op.create_index("ix_case_file_swv_status_activity",
                              ["swv_id", "status", "last_activity_on", "anonymised_at", "reference", "id"],
                              unique=False)
    op.create_index("ix_case_step_open_term", "case_step", ["case_id"], unique=False,
                    postgresql_where=sa.text(OPEN_TERM), sqlite_where=sa.text(OPEN_TERM))
    op.create_index("ix_alert_open", "alert", ["case_id", "due_on", "kind", "id"], unique=False,
                    postgresql_where=sa.text(OPEN_ALERT), sqlite_where=sa.text(OPEN_ALERT))


def downgrade() -> None:
    op.drop_index("ix_alert_open", table_name="alert")
    op.drop_index("ix_case_step_open_term", table_name="case_step")
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.drop_index("ix_case_file_swv_status_activity")
        batch_op.create_index("ix_case_file_swv_status_activity",
                              ["swv_id", "status", "last_activity_on", "anonymised_at", "pupil_id", "reference"],
                              unique=False)
