"""Changes to the network and the journal, each with its audit event in the same transaction; and the logged reads.

Services never see the request and never commit: the edge (a view, an API endpoint) commits once. A refusal raises
a thuiszitters.errors exception (every wrong field at once, nothing flushed before the checks pass).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from thuiszitters import versioning
from thuiszitters.accounts.models import User
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import read_activity, record
from thuiszitters.cases import events
from thuiszitters.cases.models import Case
from thuiszitters.casework import rules
from thuiszitters.casework.models import JournalEntry, JournalRevision, Participant
from thuiszitters.clock import now_utc, to_local
from thuiszitters.errors import Forbidden, InvalidParam, NotFound, ValidationFailed
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, can, require, roles_with

MASKED = "…"  # what the trail writes instead of personal data or free text (as cases.labels.MASKED)


# --- stale edits: what others changed since a version -----------------------------------------------------------


def _history(object_type: str) -> versioning.History:
    def history(session: Session, identity: tuple[Any, ...], version: int) -> list[dict[str, Any]]:
        events = session.execute(
            select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == identity[0])
            .order_by(AuditEvent.id)
        ).all()
        result = []
        for event, actor_name in events:
            versions = (event.changes or {}).get("version")
            if isinstance(versions, list) and len(versions) == 2 and isinstance(versions[1], int) \
                    and versions[1] > version:
                result.append({"action": event.action, "actor": actor_name or "systeem", "at": event.occurred_at,
                               "changes": {k: v for k, v in (event.changes or {}).items() if k != "version"}})
        return result

    return history


versioning.explain_changes_with(Participant, _history("participant"), called="deze betrokkene")
versioning.explain_changes_with(JournalEntry, _history("journal_entry"), called="dit journaalbericht")


def _changes(before: dict[str, Any], after: dict[str, Any], masked: frozenset[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in after:
        old, new = before.get(name), after[name]
        if old == new:
            continue
        if name in masked:
            changes[name] = [MASKED if old is not None else None, MASKED if new is not None else None]
        else:
            changes[name] = [old.isoformat() if isinstance(old, date) else old,
                             new.isoformat() if isinstance(new, date) else new]
    return changes


def _raise_if(problems: list[InvalidParam]) -> None:
    if problems:
        raise ValidationFailed(problems)


# --- the network ------------------------------------------------------------------------------------------------


def _require_network_editor(actor: User) -> None:
    require(actor, Capability.EDIT_CASES, "Alleen een coördinator van het samenwerkingsverband kan het netwerk "
                                          "wijzigen.")


def network(case: Case) -> list[Participant]:
    """The case's participants in the network now, by role (in PARTICIPANT_ROLES' order) and name."""
    people = db.session.scalars(
        select(Participant).where(Participant.case_id == case.id, Participant.removed_at.is_(None))
    ).all()
    order = {role: index for index, role in enumerate(rules.PARTICIPANT_ROLES)}
    return sorted(people, key=lambda p: (order.get(p.role, len(order)), p.name.casefold(), p.id))


def get_participant(case: Case, participant_id: int) -> Participant:
    """A participant of this case still in the network; NotFound for another case's (or a removed one)."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.case_id != case.id or participant.removed_at is not None:
        raise NotFound()
    return participant


def _participant_values(participant: Participant) -> dict[str, Any]:
    return {name: getattr(participant, name) for name in rules.PARTICIPANT_FIELDS}


def _audit_participant(action: str, participant: Participant, actor: User, changes: dict[str, Any],
                       old_version: int | None) -> None:
    db.session.flush()  # the version is bumped by the flush
    changes["version"] = [old_version, participant.version]
    record(action, actor_id=actor.id, activity=read_activity(actor.role), case_id=participant.case_id,
           object_type="participant", object_id=participant.id, changes=changes)


def add_participant(case: Case, values: dict[str, Any], *, actor: User) -> Participant:
    _require_network_editor(actor)
    cleaned, problems = rules.check_participant({name: values.get(name) for name in rules.PARTICIPANT_FIELDS})
    _raise_if(problems)
    now = now_utc()
    participant = Participant(case_id=case.id, created_at=now, updated_at=now, **cleaned)
    db.session.add(participant)
    db.session.flush()
    _audit_participant("participant.create", participant, actor,
                       _changes({}, cleaned, rules.PARTICIPANT_PERSONAL_FIELDS), None)
    return participant


def update_participant(participant: Participant, values: dict[str, Any], *, expected_version: int | None,
                       actor: User) -> Participant:
    """Change the fields in `values` (a PATCH leaves the others as they are)."""
    _require_network_editor(actor)
    versioning.check_version(participant, expected_version)
    before = _participant_values(participant)
    cleaned, problems = rules.check_participant(before | {k: v for k, v in values.items()
                                                          if k in rules.PARTICIPANT_FIELDS})
    _raise_if(problems)
    changes = _changes(before, cleaned, rules.PARTICIPANT_PERSONAL_FIELDS)
    if not changes:
        return participant
    old_version = participant.version
    for name, value in cleaned.items():
        setattr(participant, name, value)
    participant.updated_at = now_utc()
    _audit_participant("participant.update", participant, actor, changes, old_version)
    return participant


def remove_participant(participant: Participant, *, expected_version: int | None, actor: User) -> None:
    """Take a participant out of the network: the contact details and the note go at once; the role and the name
    stay, so that the journal entries naming the participant stay readable."""
    _require_network_editor(actor)
    versioning.check_version(participant, expected_version)
    old_version = participant.version
    removed = {name: getattr(participant, name) for name in rules.CONTACT_FIELDS}
    for name in (*rules.CONTACT_FIELDS, "organisation"):
        setattr(participant, name, None)
    participant.removed_at = participant.updated_at = now_utc()
    _audit_participant("participant.remove", participant, actor,
                       _changes(removed, {name: None for name in removed}, rules.PARTICIPANT_PERSONAL_FIELDS),
                       old_version)


def suggestions(case: Case, present: list[Participant]) -> list[dict[str, Any]]:
    """Who could join the network and is not in it yet: the school and the leerplicht of the pupil's gemeente.
    Each as the values of a new participant, with a `key` the add form is prefilled by (no name in a URL)."""
    found: list[dict[str, Any]] = []
    if case.school is not None:
        found.append({"key": "school", "role": "school", "name": case.school.name,
                      "organisation": case.school.name, "email": None})
    officers = db.session.scalars(
        select(User).where(User.role.in_(roles_with(Capability.REVIEW_ALERTS)), User.active.is_(True),
                           User.gemeenten.any(id=case.gemeente_id)).order_by(User.name)
    ).all()
    for officer in officers:
        found.append({"key": f"leerplicht-{officer.id}", "role": "leerplicht", "name": officer.name,
                      "organisation": f"Leerplicht {case.gemeente.name}", "email": officer.email})
    people = [rules.Person(p.role, p.name, p.email) for p in present]
    return [s for s in found if not rules.already_in_network(rules.Person(s["role"], s["name"], s["email"]), people)]


def record_network_read(case: Case, reader: User) -> None:
    """The network's contact details were shown (a read of personal data)."""
    record("network.read", actor_id=reader.id, activity=read_activity(reader.role), case_id=case.id,
           object_type="network", object_id=case.id)


# --- the journal ------------------------------------------------------------------------------------------------


def _require_writer(actor: User) -> None:
    require(actor, Capability.WRITE_JOURNAL, "Uw rol kan geen journaalberichten schrijven.")


def journal(case: Case, kind: str | None = None) -> list[JournalEntry]:
    """The case's entries, newest first (by the day of the contact, then by when they were written)."""
    query = (select(JournalEntry).where(JournalEntry.case_id == case.id)
             .options(selectinload(JournalEntry.participants), selectinload(JournalEntry.revisions),
                      selectinload(JournalEntry.author))
             .order_by(JournalEntry.occurred_on.desc(), JournalEntry.id.desc()))
    if kind is not None:
        query = query.where(JournalEntry.kind == kind)
    return list(db.session.scalars(query))


def get_entry(case: Case, entry_id: int) -> JournalEntry:
    entry = db.session.get(JournalEntry, entry_id)
    if entry is None or entry.case_id != case.id:
        raise NotFound()
    return entry


def record_journal_read(case: Case, reader: User) -> None:
    record("journal.read", actor_id=reader.id, activity=read_activity(reader.role), case_id=case.id,
           object_type="journal", object_id=case.id)


def earliest_day(case: Case) -> date:
    """The day the case began (rules.earliest_entry_date): nothing on it is dated before."""
    return rules.earliest_entry_date(case.out_of_school_since, to_local(case.created_at).date())


def _participants(ids: list[int]) -> list[Participant]:
    if not ids:
        return []
    return list(db.session.scalars(select(Participant).where(Participant.id.in_(ids)).order_by(Participant.id)))


def _active_ids(case: Case) -> set[int]:
    return set(db.session.scalars(select(Participant.id).where(Participant.case_id == case.id,
                                                               Participant.removed_at.is_(None))))


def _entry_values(entry: JournalEntry) -> dict[str, Any]:
    return {"occurred_on": entry.occurred_on, "kind": entry.kind, "participant_ids": entry.participant_ids,
            "summary": entry.summary}


def _audit_entry(action: str, entry: JournalEntry, actor: User, changes: dict[str, Any],
                 old_version: int | None) -> None:
    db.session.flush()
    changes["version"] = [old_version, entry.version]
    record(action, actor_id=actor.id, activity=read_activity(actor.role), case_id=entry.case_id,
           object_type="journal_entry", object_id=entry.id, changes=changes)


def check_entry(case: Case, values: dict[str, Any], today: date, entry: JournalEntry | None = None
                ) -> tuple[dict[str, Any], list[InvalidParam]]:
    """A new entry's values (or a correction's, merged with `entry`) cleaned, and every problem with them."""
    allowed = _active_ids(case)
    merged = {name: values.get(name) for name in rules.JOURNAL_FIELDS}
    if entry is not None:
        # Participants it named before may stay named, also after they left the network.
        allowed |= set(entry.participant_ids)
        merged = _entry_values(entry) | {k: v for k, v in values.items() if k in rules.JOURNAL_FIELDS}
    return rules.check_journal_entry(merged, today=today, earliest=earliest_day(case), allowed_participants=allowed)


def add_entry(case: Case, values: dict[str, Any], *, actor: User, today: date) -> JournalEntry:
    """A new entry by `actor`. A closed case still takes entries (what happened after closing is worth writing)."""
    _require_writer(actor)
    cleaned, problems = check_entry(case, values, today)
    _raise_if(problems)
    now = now_utc()
    entry = JournalEntry(case_id=case.id, occurred_on=cleaned["occurred_on"], kind=cleaned["kind"],
                         summary=cleaned["summary"], author_id=actor.id, created_at=now, updated_at=now,
                         participants=_participants(cleaned["participant_ids"]))
    db.session.add(entry)
    db.session.flush()
    _audit_entry("journal.create", entry, actor, _changes({}, cleaned, rules.JOURNAL_FREE_TEXT_FIELDS), None)
    return entry


@events.note_written.connect
def _case_note_into_the_journal(case: Case, *, text: str, actor: User, today: date) -> None:
    """The note sent with a new case or a case edit: a journal entry of the kind notitie, dated today."""
    add_entry(case, {"kind": rules.NOTE_KIND, "summary": text, "occurred_on": today, "participant_ids": []},
              actor=actor, today=today)


def may_correct(entry: JournalEntry, user: User) -> bool:
    """Only an entry's author corrects it (and only while the role may write entries)."""
    return entry.author_id is not None and entry.author_id == user.id and can(user, Capability.WRITE_JOURNAL)


def correct_entry(entry: JournalEntry, values: dict[str, Any], *, expected_version: int | None, actor: User,
                  today: date) -> JournalEntry:
    """The author's correction: the earlier version is kept as a revision, readable on the entry."""
    _require_writer(actor)
    if not may_correct(entry, actor):
        raise Forbidden("Alleen wie het journaalbericht schreef, kan het corrigeren.")
    versioning.check_version(entry, expected_version)
    before = _entry_values(entry)
    cleaned, problems = check_entry(entry.case, values, today, entry)
    _raise_if(problems)
    changes = _changes(before, cleaned, rules.JOURNAL_FREE_TEXT_FIELDS)
    if not changes:
        return entry
    old_version = entry.version
    now = now_utc()
    named = _participants(cleaned["participant_ids"])  # read before the entry changes: one flush, one version
    entry.revisions.append(JournalRevision(occurred_on=entry.occurred_on, kind=entry.kind, summary=entry.summary,
                                           participant_ids=before["participant_ids"], replaced_at=now))
    entry.occurred_on, entry.kind, entry.summary = cleaned["occurred_on"], cleaned["kind"], cleaned["summary"]
    entry.participants = named
    entry.updated_at = now
    _audit_entry("journal.correct", entry, actor, changes, old_version)
    return entry
