"""The scheduler's heartbeat: written by its job every minute, read by /healthz."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from thuiszitters.extensions import db
from thuiszitters.ops.locks import dialect_insert
from thuiszitters.ops.models import SchedulerState

HEARTBEAT = "scheduler"


def beat(now: datetime) -> None:
    """Record that the scheduler ran a job at `now`. Does not commit."""
    db.session.execute(dialect_insert(SchedulerState).values(name=HEARTBEAT).on_conflict_do_nothing(
        index_elements=["name"]))
    db.session.execute(update(SchedulerState).where(SchedulerState.name == HEARTBEAT).values(heartbeat_at=now))


def last_heartbeat() -> datetime | None:
    return db.session.scalar(select(SchedulerState.heartbeat_at).where(SchedulerState.name == HEARTBEAT))


def refresh_planner_statistics() -> str:
    """SQLite: ANALYZE, so its query planner knows how the indexes divide the rows. Without statistics it picked
    the wrong index for the search box (76 ms instead of 40 ms at 200,000 cases) and for some dashboard counts.
    PostgreSQL's autovacuum keeps its own statistics, so there this does nothing. Safe to run at any time and as
    often as wanted: it only rewrites the statistics tables."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return ""
    connection.exec_driver_sql("ANALYZE")
    return "planner statistics refreshed"

