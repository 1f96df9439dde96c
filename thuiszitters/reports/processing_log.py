"""Reading the processing log: "who looked at this pupil's file?" (admin only).

These queries resolve a case reference (or a BSN, posted, never in a URL) to case ids only; they show no case
content, so an admin without a case scope can answer the question without seeing the file itself.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, or_, select

from thuiszitters.accounts.models import User
from thuiszitters.audit.models import AuditEvent, AuditEventCase
from thuiszitters.cases.models import Case, Pupil
from thuiszitters.escalation import spec
from thuiszitters.extensions import db

ACTION_LABELS = {
    "case.read": "Casus ingezien",
    "case.events.read": "Geschiedenis van de casus ingezien (API)",
    "case.pdf": "PDF-samenvatting gedownload",
    "case.summary.read": "Casusoverzicht bekeken (printweergave)",
    "pdf.download": "PDF-samenvatting gedownload",
    "export.download": "Export gedownload",
    "case.create": "Casus aangemaakt",
    "case.update": "Casus gewijzigd",
    "case.close": "Casus gesloten",
    "case.reopen": "Casus heropend",
    "case.transfer": "Casus overgedragen",
    "case.anonymise": "Casus geanonimiseerd (bewaartermijn)",
    "processing_log.read": "Verwerkingenlogboek van deze casus bekeken",
    "case.list": "Getoond in een lijst",
    "case.search": "Gevonden bij zoeken",
    "step.create": "Stap vastgelegd",
    "step.update": "Stap gewijzigd",
    "alert.acknowledge": "Signaal afgehandeld",
    "network.read": "Netwerk met contactgegevens ingezien",
    "journal.read": "Journaal ingezien",
    "participant.create": "Betrokkene toegevoegd aan het netwerk",
    "participant.update": "Betrokkene gewijzigd",
    "participant.remove": "Betrokkene uit het netwerk verwijderd",
    "journal.create": "Journaalbericht geschreven",
    "journal.correct": "Journaalbericht gecorrigeerd",
    "document.read": "Document gedownload",
    "document.list": "Documentenlijst opgevraagd",
    "document.upload": "Document toegevoegd",
    "document.remove": "Document verwijderd",
    "plan.read": "Plan van aanpak ingezien",
    "meetings.read": "Overleggen ingezien",
    "action.create": "Actie toegevoegd aan het plan van aanpak",
    "action.update": "Actie gewijzigd",
    "meeting.create": "Overleg vastgelegd",
}
# Actions that only read personal data (the rest change it).
READ_ACTIONS = frozenset({"case.read", "case.events.read", "case.pdf", "case.summary.read", "pdf.download",
                          "export.download", "processing_log.read", "case.list", "case.search", "network.read",
                          "journal.read", "document.read", "document.list", "plan.read", "meetings.read"})


def action_label(action: str, changes: dict[str, Any] | None = None) -> str:
    """The Dutch name of a logged action; a step's names its kind ("Stap vastgelegd: Schriftelijke aanmelding")."""
    label = ACTION_LABELS.get(action, f"Andere verwerking ({action})")
    kind = (changes or {}).get("kind")
    if action.startswith("step.") and isinstance(kind, str):
        label = f"{label}: {spec.STEP_LABELS.get(kind, kind)}"
    return label


def case_id_for_reference(reference: str) -> int | None:
    return db.session.scalar(select(Case.id).where(Case.reference == reference.strip().upper()))


def cases_for_bsn(bsn: str) -> list[tuple[int, str]]:
    """(id, reference) of every case of the pupil with this BSN."""
    return [(case_id, reference) for case_id, reference in db.session.execute(
        select(Case.id, Case.reference).join(Pupil, Case.pupil_id == Pupil.id).where(Pupil.bsn == bsn)
        .order_by(Case.id)
    )]


def events_for_case(case_id: int, *, reads_only: bool = False) -> Select[tuple[AuditEvent]]:
    """The case's entries, newest first: its own events and the lists and searches that showed it."""
    listed = select(AuditEventCase.event_id).where(AuditEventCase.case_id == case_id)
    query = select(AuditEvent).where(or_(AuditEvent.case_id == case_id, AuditEvent.id.in_(listed)))
    if reads_only:
        query = query.where(AuditEvent.action.in_(READ_ACTIONS))
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def actors_of(events: Iterable[AuditEvent]) -> dict[int, User]:
    """The users who did these events, by id, in one query (the trail names them by id only)."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
