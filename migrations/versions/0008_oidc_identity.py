"""sign-in through the organisation: the provider's identity bound to a user

``oidc_identity`` holds, per user, the OpenID provider's ``issuer`` and ``sub`` once that user first signed in
through the provider (matched on a verified e-mail address), with when it was bound and when last used. At most one
per user (unique ``user_id``) and one user per identity (unique ``issuer``, ``subject``). A new table only: nothing
existing changes, so the old release keeps running while this one is migrated in.

Revision ID: 0008_oidc
Revises: 0007_reliability
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_oidc"
down_revision = "0007_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oidc_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("bound_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name="fk_oidc_identity_user_id_user_account",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_oidc_identity"),
        sa.UniqueConstraint("issuer", "subject", name="uq_oidc_identity_issuer_subject"),
        sa.UniqueConstraint("user_id", name="uq_oidc_identity_user_id"),
    )


def downgrade() -> None:
    op.drop_table("oidc_identity")
