"""Checking the audit trail's hash chain: finds edited rows and rows deleted from the middle.

Each row's hash covers its content and the previous row's hash. An edited row no longer matches its own hash; a
deleted row leaves the next row pointing to a hash that is not its predecessor's. Rows cut off at the end cannot
be seen from the chain alone: compare the head hash printed here with one noted earlier (docs/security.md).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from thuiszitters.audit.models import REASON_DIGEST_PREFIX, AuditEvent, AuditEventCase, AuditNote, reason_digest
from thuiszitters.audit.services import LIST_CASE_IDS, LIST_READ_ACTIONS, compute_hash
from thuiszitters.extensions import db

BATCH = 1000


@dataclass(frozen=True)
class Problem:
    event_id: int
    kind: str  # "edited", "chain_broken", "note_edited" or "list_edited"
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


def _events() -> Iterator[tuple[AuditEvent, str | None, list[int]]]:
    """All events in id order with the text of their note and the case ids indexed for them (a list read),
    streamed in batches, as detached objects."""
    table, notes, listed = AuditEvent.__table__, AuditNote.__table__, AuditEventCase.__table__
    last_id = 0
    while True:
        rows = db.session.execute(
            select(table, notes.c.text.label("note_text")).outerjoin(notes, notes.c.event_id == table.c.id)
            .where(table.c.id > last_id).order_by(table.c.id).limit(BATCH)
        ).mappings().all()
        if not rows:
            return
        cases: dict[int, list[int]] = {}
        for event_id, case_id in db.session.execute(
            select(listed.c.event_id, listed.c.case_id)
            .where(listed.c.event_id > last_id, listed.c.event_id <= rows[-1]["id"])
        ):
            cases.setdefault(event_id, []).append(case_id)
        for row in rows:
            values = dict(row)
            note_text = values.pop("note_text")
            yield AuditEvent(**values), note_text, cases.pop(values["id"], [])
        last_id = rows[-1]["id"]


def verify_chain() -> Report:
    report = Report()
    previous: AuditEvent | None = None
    for event, note_text, listed_case_ids in _events():
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
        # A note deleted by retention is fine; a note whose text no longer matches the chained digest is not.
        if note_text is not None and (event.reason or "").startswith(REASON_DIGEST_PREFIX) \
                and reason_digest(note_text) != event.reason:
            report.problems.append(Problem(event.id, "note_edited",
                                           f"de reden bij id {event.id} is gewijzigd (hash klopt niet)"))
        # The index of a list read must name exactly the cases its chained event names.
        is_list = event.action in LIST_READ_ACTIONS and isinstance(event.changes, dict)
        chained = event.changes.get(LIST_CASE_IDS, []) if is_list else []
        if sorted(listed_case_ids) != sorted(chained if isinstance(chained, list) else []):
            report.problems.append(Problem(event.id, "list_edited",
                                           f"de getoonde casussen bij id {event.id} zijn gewijzigd (klopt niet "
                                           f"met de keten)"))
        previous = event
    if previous is not None:
        report.last_id, report.head_hash = previous.id, previous.row_hash
    return report
