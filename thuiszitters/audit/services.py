"""Writing the audit trail. Callers add the event in the same transaction as the change it describes."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select

from thuiszitters.audit.models import AuditEvent, AuditEventCase, AuditNote, reason_digest
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.ops.locks import AUDIT_CHAIN, hold_write_lock
from thuiszitters.permissions import Role

# Processing activities (verwerkingsactiviteiten) of the register of processing activities.
ACTIVITY_CASE_MANAGEMENT = "thuiszitterszorg: casusregie"
ACTIVITY_LEERPLICHT = "leerplicht: toezicht op verzuim"
ACTIVITY_INSPECTIE = "inspectie: thuiszittersregistratie"
ACTIVITY_ADMIN = "beheer: gebruikers en referentiegegevens"
ACTIVITY_RETENTION = "bewaartermijn: anonimisering"
# A role that reads case data under another activity than case management.
READ_ACTIVITIES = {Role.LEERPLICHT: ACTIVITY_LEERPLICHT}

# A list or search page that showed cases: one event per request, naming the cases shown (never the search terms).
LIST_READ_ACTIONS = frozenset({"case.list", "case.search"})
LIST_CASE_IDS = "case_ids"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed, as {field: [old, new]}, with dates as ISO strings."""
    changes = {}
    for key in sorted(set(old) | set(new)):
        before, after = _jsonable(old.get(key)), _jsonable(new.get(key))
        if before != after:
            changes[key] = [before, after]
    return changes


def compute_hash(event: AuditEvent, prev_hash: str | None) -> str:
    payload = json.dumps(
        {
            "prev": prev_hash,
            "occurred_at": event.occurred_at.isoformat(),
            "actor_id": event.actor_id,
            "action": event.action,
            "activity": event.processing_activity,
            "case_id": event.case_id,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "changes": event.changes,
            "reason": event.reason,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    action: str,
    *,
    actor_id: int | None,
    activity: str,
    case_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Append one event to the trail, chained to the previous one. Does not commit.

    A ``reason`` is free text: the trail keeps its digest, the text goes to an AuditNote (see the model).
    """
    session = db.session
    reason = (reason or "")[:500] or None
    # Reading the last hash and appending the next row are one step, or two writers chain to the same row.
    hold_write_lock(session, AUDIT_CHAIN)
    prev_hash = session.scalar(select(AuditEvent.row_hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        occurred_at=now_utc(),
        actor_id=actor_id,
        action=action,
        processing_activity=activity,
        case_id=case_id,
        object_type=object_type,
        object_id=object_id,
        changes=changes or None,
        reason=reason_digest(reason) if reason else None,
        prev_hash=prev_hash,
    )
    event.row_hash = compute_hash(event, prev_hash)
    session.add(event)
    session.flush()
    if reason:
        session.add(AuditNote(event_id=event.id, case_id=case_id, text=reason))
        session.flush()
    return event


def read_activity(role: str) -> str:
    """The processing activity under which a user of this role reads case data."""
    return READ_ACTIVITIES.get(role, ACTIVITY_CASE_MANAGEMENT)


def record_list_read(
    action: str,
    *,
    actor_id: int | None,
    activity: str,
    case_ids: Iterable[int],
    listed_on: str,
    searched_by: str | None = None,
) -> AuditEvent | None:
    """Log that a list or search (``listed_on``: the page or endpoint path, no query string) showed these cases.

    One event for the whole request, with the ids in the order shown; a list that showed no case processed no
    personal data and is not logged. The ids are also written to `AuditEventCase` so the processing log finds
    the event from any of its cases. Search terms and filters are never written: they may be a pupil's name.
    A search (``searched_by``: what kind of query it was, e.g. ``bsn``, never the query) is logged even when it
    found nothing: looking someone up is a processing of its own. Does not commit.
    """
    if action not in LIST_READ_ACTIONS:
        raise ValueError(f"not a list read: {action!r}")
    shown = list(dict.fromkeys(int(case_id) for case_id in case_ids))
    if not shown and searched_by is None:
        return None
    changes: dict[str, Any] = {"listed_on": listed_on[:200], LIST_CASE_IDS: shown}
    if searched_by is not None:
        changes["searched_by"] = searched_by
    event = record(action, actor_id=actor_id, activity=activity, object_type="case_list", changes=changes)
    if not shown:
        return event
    # The table's insert, not the model's: a plain executemany (a werkvoorraad names 500 cases; the ORM's bulk
    # path took longer than the rest of the logging).
    db.session.execute(insert(AuditEventCase.__table__), [{"event_id": event.id, "case_id": case_id}
                                                          for case_id in shown])
    return event
