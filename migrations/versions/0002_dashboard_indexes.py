"""dashboard and case-list indexes

Indexes for the dashboards (per swv / gemeente by start and closing date, national aggregates per swv) and for
the unfiltered case list sorted by return deadline. Checked with EXPLAIN at 200,000 cases (see bench/README.md).

Revision ID: 0002_dashboard
Revises: 0001
"""
from alembic import op

revision = "0002_dashboard"
down_revision = "0001"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_case_file_swv_deadline", ["swv_id", "return_deadline", "anonymised_at"]),
    ("ix_case_file_gemeente_deadline", ["gemeente_id", "return_deadline", "anonymised_at"]),
    ("ix_case_file_swv_since", ["swv_id", "out_of_school_since"]),
    ("ix_case_file_gemeente_since", ["gemeente_id", "out_of_school_since"]),
    ("ix_case_file_swv_closed", ["swv_id", "closed_on"]),
    ("ix_case_file_gemeente_closed", ["gemeente_id", "closed_on"]),
    ("ix_case_file_status_swv_deadline", ["status", "swv_id", "return_deadline"]),
    ("ix_case_file_since_swv", ["out_of_school_since", "swv_id"]),
    ("ix_case_file_closed_swv", ["closed_on", "swv_id", "status", "offer_started_on", "return_deadline"]),
]


def upgrade():
    for name, columns in INDEXES:
        op.create_index(name, "case_file", columns, unique=False)


def downgrade():
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="case_file")
