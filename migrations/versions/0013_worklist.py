"""werkvoorraad and meldingen: indexes only

The werkvoorraad (thuiszitters/worklist/sources.py) at 200,000 cases, for the busiest swv (6,040 cases, 752 open):
``ix_case_file_swv_status_activity`` finds a scope's active cases by last activity (the stale cases) and covers
what an item shows of the case (reference, pupil), so no case row is read (8 ms became under 1 ms on SQLite in
one measurement on a busy machine).
``ix_case_step_worklist`` lets the chain terms' query skip a case's steps whose term is met in the index
(11 ms became 3 ms).
``ix_alert_case_status_due`` lets it find the open alerts of a scope's active cases from the case side without
reading each case's acknowledged alerts (a case overdue for a year collects one every four weeks).
``ix_notification_user_case`` serves the Meldingen page grouped per case (alerts.services.notification_cases):
one index range per user, already in case order, with the newest moment per case in the index.

The notifications' read state (``notification.read_at``) already existed. Indexes only: the previous release
keeps running while this one migrates.

Revision ID: 0013_worklist
Revises: 0012_plan
"""
from alembic import op

revision = "0013_worklist"
down_revision = "0012_plan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.create_index("ix_case_file_swv_status_activity",
                              ["swv_id", "status", "last_activity_on", "anonymised_at", "pupil_id", "reference"],
                              unique=False)
    with op.batch_alter_table("case_step") as batch_op:
        batch_op.create_index("ix_case_step_worklist", ["case_id", "kind", "decision", "filed_on", "verdict",
                                                        "follow_up"], unique=False)
    with op.batch_alter_table("alert") as batch_op:
        batch_op.create_index("ix_alert_case_status_due", ["case_id", "status", "due_on", "kind"], unique=False)
    with op.batch_alter_table("notification") as batch_op:
        batch_op.create_index("ix_notification_user_case", ["user_id", "case_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notification") as batch_op:
        batch_op.drop_index("ix_notification_user_case")
    with op.batch_alter_table("alert") as batch_op:
        batch_op.drop_index("ix_alert_case_status_due")
    with op.batch_alter_table("case_step") as batch_op:
        batch_op.drop_index("ix_case_step_worklist")
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.drop_index("ix_case_file_swv_status_activity")
