"""API tokens expire

A nullable ``expires_at`` on ``api_token``: new tokens always get one (config API_TOKEN_DAYS, default 365 days);
tokens issued before this revision keep working until they are revoked (no date is invented for them).

Revision ID: 0005_token_expiry
Revises: 0004_dashboard
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_token_expiry"
down_revision = "0004_dashboard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("expires_at")
