"""Serialising a read-then-write across gunicorn workers and processes, on PostgreSQL and SQLite alike.

Some writes depend on what was just read: the audit trail's next row chains to the last one, a login attempt may
only be counted while the count is under the limit. Two workers doing both at once would read the same state.
`hold_write_lock` makes the rest of the current transaction exclusive for everyone who asks for the same key.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# PostgreSQL advisory lock keys, one per kind of serialised write (any other number is free for a new one).
AUDIT_CHAIN = 7_263_001
LOGIN_THROTTLE = 7_263_002


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
