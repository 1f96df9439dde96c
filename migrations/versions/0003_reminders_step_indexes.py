"""reminders: partial indexes on case_step for the sweep's aanmelding and GPO rules

Revision ID: 0003_reminders
Revises: 0002_security
Create Date: 2026-11-23 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_reminders'
down_revision = '0002_security'
branch_labels = None
depends_on = None

UNDECIDED_AANMELDING = "kind = 'aanmelding' AND decision IS NULL"
GPO_WITHOUT_FOLLOW_UP = "kind = 'geschillencommissie' AND follow_up IS NULL"


def upgrade():
    op.create_index('ix_case_step_undecided_aanmelding', 'case_step', ['case_id', 'received_on'], unique=False,
                    sqlite_where=sa.text(UNDECIDED_AANMELDING), postgresql_where=sa.text(UNDECIDED_AANMELDING))
    op.create_index('ix_case_step_gpo_without_follow_up', 'case_step', ['case_id', 'verdict_on'], unique=False,
                    sqlite_where=sa.text(GPO_WITHOUT_FOLLOW_UP), postgresql_where=sa.text(GPO_WITHOUT_FOLLOW_UP))


def downgrade():
    op.drop_index('ix_case_step_gpo_without_follow_up', table_name='case_step')
    op.drop_index('ix_case_step_undecided_aanmelding', table_name='case_step')
