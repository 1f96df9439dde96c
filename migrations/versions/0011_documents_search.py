"""documents on a case, and search by reference, name and BSN

Search (cases/search.py): ``case_file.search_key`` holds the case's reference and its pupil's first and last name
folded by ``identifiers.search_key`` (lower case, no accents), kept up to date by the model whenever one of them is
set; this migration fills it for the cases already there, in batches. ``ix_case_file_swv_search`` and
``ix_case_file_gemeente_search`` put it beside the scope, so a search in a scope reads one index range;
``ix_pupil_bsn`` finds a BSN.

Documents (thuiszitters/documents): ``case_document`` describes a file on a case, ``case_document_chunk`` holds its
bytes in pieces (so neither an upload nor a download holds a whole file in memory). Both go with their case
(ON DELETE CASCADE). New tables, a new column and indexes only: the previous release keeps running while this one
migrates.

Revision ID: 0011_documents_search
Revises: 0010_casework (until 0010_casework lands; then 0010_casework)
"""
import sqlalchemy as sa
from alembic import op

from thuiszitters.identifiers import search_key

revision = "0011_documents_search"
down_revision = "0010_casework"
branch_labels = None
depends_on = None

BATCH = 2000


def _fill_search_keys() -> None:
    conn = op.get_bind()
    case = sa.table("case_file", sa.column("id", sa.Integer), sa.column("reference", sa.String),
                    sa.column("pupil_id", sa.Integer), sa.column("search_key", sa.String))
    pupil = sa.table("pupil", sa.column("id", sa.Integer), sa.column("first_name", sa.String),
                     sa.column("last_name", sa.String))
    last_id = 0
    while True:
        rows = conn.execute(sa.select(case.c.id, case.c.reference, pupil.c.first_name, pupil.c.last_name)
                            .join(pupil, pupil.c.id == case.c.pupil_id)
                            .where(case.c.id > last_id).order_by(case.c.id).limit(BATCH)).all()
        if not rows:
            return
        conn.execute(case.update().where(case.c.id == sa.bindparam("cid")).values(search_key=sa.bindparam("key")),
                     [{"cid": row.id, "key": search_key(f"{row.reference} {row.first_name} {row.last_name}")}
                      for row in rows])
        last_id = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.String(length=300), nullable=False, server_default=""))
    _fill_search_keys()
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.alter_column("search_key", server_default=None, existing_type=sa.String(length=300),
                              existing_nullable=False)
        batch_op.create_index("ix_case_file_swv_search", ["swv_id", "search_key", "anonymised_at", "id"],
                              unique=False)
        batch_op.create_index("ix_case_file_gemeente_search", ["gemeente_id", "search_key", "anonymised_at", "id"],
                              unique=False)
    with op.batch_alter_table("pupil") as batch_op:
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
    with op.batch_alter_table("case_file") as batch_op:
        batch_op.drop_index("ix_case_file_gemeente_search")
        batch_op.drop_index("ix_case_file_swv_search")
        batch_op.drop_column("search_key")
