"""Serialising a read-then-write across gunicorn workers and processes, on PostgreSQL and SQLite alike.

Some writes depend on what was just read: the audit trail's next row chains to the last one, a login attempt may
only be counted while the count is under the limit. Two workers doing both at once would read the same state.
`hold_write_lock` makes the rest of the current transaction exclusive for everyone who asks for the same key.
A scheduled job that must not run twice at once (the reminder sweep) takes a named lock with `take_lock`.
"""
from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from thuiszitters.extensions import db
from thuiszitters.ops.models import SchedulerState

# PostgreSQL advisory lock keys, one per kind of serialised write (any other number is free for a new one).
AUDIT_CHAIN = 7_263_001
LOGIN_THROTTLE = 7_263_002
REMINDER_SWEEP = 7_263_003
LOCK_KEYS = (AUDIT_CHAIN, LOGIN_THROTTLE, REMINDER_SWEEP)


def hold_write_lock(session: Session, key: int) -> None:
    """Hold the lock named by ``key`` until the session's transaction ends (commit or rollback).

    PostgreSQL: a transaction-scoped advisory lock; a second caller waits for the first to end. SQLite has one
    write lock for the whole database: pysqlite opens a transaction only at the first INSERT/UPDATE/DELETE, so a
    transaction that has only read so far would read outside any transaction; it starts with BEGIN IMMEDIATE,
    which takes the write lock first (waiting up to the connection's busy_timeout). A transaction that has
    already written holds that lock until it ends. Either way the reads that follow see the latest committed data.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    elif dialect == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def dialect_insert(model: type) -> Any:
    """The dialect's INSERT construct, which knows ON CONFLICT on SQLite and PostgreSQL alike."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model)


def lock_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def take_lock(name: str, key: int, now: datetime, lease: timedelta) -> None:
    """Serialise a job across processes until the current transaction ends.

    PostgreSQL: an advisory transaction lock (a second caller waits for the first to commit). Both databases:
    a write to the named lock row. On SQLite that write is the lock: it takes the database's write lock before
    anything is read, and a second caller waits for it (busy timeout) just as on PostgreSQL.
    """
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(key)))
    session.execute(dialect_insert(SchedulerState).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
    session.execute(
        update(SchedulerState)
        .where(SchedulerState.name == name)
        .values(holder=lock_holder(), locked_until=now + lease)
    )


def release_lock(name: str) -> None:
    """Mark the named lock free (the transaction's end releases the lock itself)."""
    db.session.execute(update(SchedulerState).where(SchedulerState.name == name).values(locked_until=None))
