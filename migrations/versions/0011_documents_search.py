"""documents on a case, and search by name and BSN

Search (cases/search.py): ``pupil.search_key`` holds the pupil's first and last name folded by
``identifiers.search_key`` (lower case, no accents), kept up to date by the model whenever a name is set; this
migration fills it for the pupils already there, in batches. ``ix_pupil_search_key`` and ``ix_pupil_bsn`` let a
search read indexes rather than the pupil table.

Documents (thuiszitters/documents): ``case_document`` describes a file on a case, ``case_document_chunk`` holds its
bytes in pieces (so neither an upload nor a download holds a whole file in memory). Both go with their case
(ON DELETE CASCADE). New tables and a new column only: the previous release keeps running while this one migrates.

Revision ID: 0011_documents_search
Revises: 0008_oidc (until 0010_casework lands; then 0010_casework)
"""
import sqlalchemy as sa
from alembic import op

from thuiszitters.identifiers import search_key

revision = "0011_documents_search"
down_revision = "0008_oidc"
branch_labels = None
depends_on = None

BATCH = 2000


def _fill_search_keys() -> None:
    conn = op.get_bind()
    pupil = sa.table("pupil", sa.column("id", sa.Integer), sa.column("first_name", sa.String),
                     sa.column("last_name", sa.String), sa.column("search_key", sa.String))
    last_id = 0
    while True:
        rows = conn.execute(sa.select(pupil.c.id, pupil.c.first_name, pupil.c.last_name)
                            .where(pupil.c.id > last_id).order_by(pupil.c.id).limit(BATCH)).all()
        if not rows:
            return
        conn.execute(pupil.update().where(pupil.c.id == sa.bindparam("pid"))
                     .values(search_key=sa.bindparam("key")),
                     [{"pid": row.id, "key": search_key(f"{row.first_name} {row.last_name}")} for row in rows])
        last_id = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("pupil") as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.String(length=260), nullable=False, server_default=""))
    _fill_search_keys()
    with op.batch_alter_table("pupil") as batch_op:
        batch_op.alter_column("search_key", server_default=None, existing_type=sa.String(length=260),
                              existing_nullable=False)
        batch_op.create_index("ix_pupil_search_key", ["search_key"], unique=False)
        batch_op.create_index("ix_pupil_bsn", ["bsn"], unique=False)

    op.create_table(
        "case_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"], name="fk_case_document_case_id_case_file",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user_account.id"],
                                name="fk_case_document_uploaded_by_id_user_account"),
        sa.PrimaryKeyConstraint("id", name="pk_case_document"),
    )
    with op.batch_alter_table("case_document") as batch_op:
        batch_op.create_index("ix_case_document_case_date", ["case_id", "document_date", "id"], unique=False)
        batch_op.create_index("ix_case_document_uploaded_by_id", ["uploaded_by_id"], unique=False)
    op.create_table(
        "case_document_chunk",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["case_document.id"],
                                name="fk_case_document_chunk_document_id_case_document", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "seq", name="pk_case_document_chunk"),
    )


def downgrade() -> None:
    op.drop_table("case_document_chunk")
    op.drop_table("case_document")
    with op.batch_alter_table("pupil") as batch_op:
        batch_op.drop_index("ix_pupil_bsn")
        batch_op.drop_index("ix_pupil_search_key")
        batch_op.drop_column("search_key")
