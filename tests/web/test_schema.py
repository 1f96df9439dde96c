"""The schema that `flask db upgrade` builds equals the models: no drift, no unreviewed model change."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from thuiszitters.extensions import db


def test_migrations_build_exactly_the_models(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_lists_and_sweeps_have_indexes(app):
    indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("case_file")}
    assert {"ix_case_file_swv_status_deadline", "ix_case_file_gemeente_status_deadline",
            "ix_case_file_status_deadline"} <= indexes
