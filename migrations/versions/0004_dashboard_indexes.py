"""dashboard and case-list indexes

Indexes for the dashboards (per swv / gemeente by start and closing date, national aggregates per swv) and for
the case list in its sort order (return deadline, id), with and without a status filter, and for its filter
choices (the gemeenten and schools of the cases in scope). The two existing
scope + status indexes are widened with id and anonymised_at so a deep page and its count read the index only.
Checked with EXPLAIN QUERY PLAN (SQLite) and EXPLAIN (PostgreSQL) at 200,000 cases: see bench/README.md.

Revision ID: 0004_dashboard
Revises: 0003_reminders
"""
from alembic import op

revision = "0004_dashboard"
down_revision = "0003_reminders"
branch_labels = None
depends_on = None

WIDENED = [
    ("ix_case_file_swv_status_deadline", ["swv_id", "status", "return_deadline"],
     ["swv_id", "status", "return_deadline", "id", "anonymised_at"]),
    ("ix_case_file_gemeente_status_deadline", ["gemeente_id", "status", "return_deadline"],
     ["gemeente_id", "status", "return_deadline", "id", "anonymised_at"]),
]
NEW = [
    ("ix_case_file_swv_gemeente", ["swv_id", "gemeente_id", "anonymised_at"]),
    ("ix_case_file_swv_school", ["swv_id", "school_id", "anonymised_at"]),
    ("ix_case_file_gemeente_school", ["gemeente_id", "school_id", "anonymised_at"]),
    ("ix_case_file_swv_list", ["swv_id", "return_deadline", "id", "anonymised_at"]),
    ("ix_case_file_gemeente_list", ["gemeente_id", "return_deadline", "id", "anonymised_at"]),
    ("ix_case_file_swv_since",
     ["swv_id", "out_of_school_since", "anonymised_at", "stage", "status", "outcome", "offer_started_on"]),
    ("ix_case_file_gemeente_since",
     ["gemeente_id", "out_of_school_since", "anonymised_at", "stage", "status", "outcome", "offer_started_on"]),
    ("ix_case_file_swv_closed", ["swv_id", "closed_on", "anonymised_at", "offer_started_on", "return_deadline"]),
    ("ix_case_file_gemeente_closed",
     ["gemeente_id", "closed_on", "anonymised_at", "offer_started_on", "return_deadline"]),
    ("ix_case_file_status_deadline_swv", ["status", "return_deadline", "swv_id"]),
    ("ix_case_file_since_swv", ["out_of_school_since", "swv_id"]),
    ("ix_case_file_closed_swv", ["closed_on", "swv_id", "offer_started_on", "return_deadline"]),
]


def upgrade():
    for name, _old, new in WIDENED:
        op.drop_index(name, table_name="case_file")
        op.create_index(name, "case_file", new, unique=False)
    for name, columns in NEW:
        op.create_index(name, "case_file", columns, unique=False)


def downgrade():
    for name, _columns in reversed(NEW):
        op.drop_index(name, table_name="case_file")
    for name, old, _new in WIDENED:
        op.drop_index(name, table_name="case_file")
        op.create_index(name, "case_file", old, unique=False)
