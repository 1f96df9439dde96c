"""Checking the audit trail's hash chain: finds edited rows and rows deleted from the middle.

Each row's hash covers its content and the previous row's hash. An edited row no longer matches its own hash; a
deleted row leaves the next row pointing to a hash that is not its predecessor's. Rows cut off at the end cannot
be seen from the chain alone: compare the head hash printed here with one noted earlier (docs/security.md).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import compute_hash
from thuiszitters.extensions import db

BATCH = 1000


@dataclass(frozen=True)
class Problem:
    event_id: int
    kind: str  # "edited" or "chain_broken"
    message: str


@dataclass
class Report:
    checked: int = 0
    last_id: int | None = None
    head_hash: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _events() -> Iterator[AuditEvent]:
    """All events in id order, streamed in batches, as detached objects (the identity map stays small)."""
    table = AuditEvent.__table__
    last_id = 0
    while True:
        rows = db.session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(BATCH)
        ).mappings().all()
        if not rows:
            return
        for row in rows:
            yield AuditEvent(**dict(row))
        last_id = rows[-1]["id"]


def verify_chain() -> Report:
    report = Report()
    previous: AuditEvent | None = None
    for event in _events():
        report.checked += 1
        expected_prev = previous.row_hash if previous is not None else None
        if event.prev_hash != expected_prev:
            if previous is None:
                message = f"de keten begint niet bij het begin: rijen vóór id {event.id} zijn verwijderd"
            else:
                gap = f" (ontbrekende id's {previous.id + 1}–{event.id - 1})" if event.id > previous.id + 1 else ""
                message = (f"keten verbroken tussen id {previous.id} en {event.id}: rijen verwijderd of "
                           f"id {previous.id} gewijzigd{gap}")
            report.problems.append(Problem(event.id, "chain_broken", message))
        if compute_hash(event, event.prev_hash) != event.row_hash:
            report.problems.append(Problem(event.id, "edited", f"id {event.id} is gewijzigd (hash klopt niet)"))
        previous = event
    if previous is not None:
        report.last_id, report.head_hash = previous.id, previous.row_hash
    return report
