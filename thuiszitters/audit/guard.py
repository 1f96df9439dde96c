"""The application never changes or deletes an audit event: the ORM refuses it before it reaches the database.

PostgreSQL also refuses it with a trigger (migration 0002_security); `flask audit verify` finds what slipped past
both (a DBA with table rights, a restored backup).
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from thuiszitters.audit.models import AuditEvent, AuditEventCase

_APPEND_ONLY = (AuditEvent, AuditEventCase)


class AuditTrailIsAppendOnly(RuntimeError):
    """Someone tried to change or delete a row of the audit trail."""


@event.listens_for(Session, "before_flush")
def _refuse_changed_events(session: Session, flush_context, instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, _APPEND_ONLY):
            raise AuditTrailIsAppendOnly("audit events cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, _APPEND_ONLY) and session.is_modified(obj):
            raise AuditTrailIsAppendOnly("audit events cannot be changed")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(m.class_ in _APPEND_ONLY for m in state.all_mappers):
        raise AuditTrailIsAppendOnly("audit events cannot be changed or deleted")
