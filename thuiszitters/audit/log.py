"""Reading the processing log: "who looked at this pupil's file?" (admin only).

These queries resolve a case reference (or a BSN, posted, never in a URL) to case ids only; they show no case
content, so an admin without a case scope can answer the question without seeing the file itself.
"""
from __future__ import annotations

from sqlalchemy import Select, select

from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.models import Case, Pupil
from thuiszitters.extensions import db

ACTION_LABELS = {
    "case.read": "Casus ingezien",
    "case.events.read": "Geschiedenis van de casus ingezien (API)",
    "case.pdf": "PDF-samenvatting gedownload",
    "pdf.download": "PDF-samenvatting gedownload",
    "export.download": "Export gedownload",
    "case.create": "Casus aangemaakt",
    "case.update": "Casus gewijzigd",
    "case.close": "Casus gesloten",
    "case.reopen": "Casus heropend",
    "case.transfer": "Casus overgedragen",
    "case.anonymise": "Casus geanonimiseerd (bewaartermijn)",
    "processing_log.read": "Verwerkingenlogboek van deze casus bekeken",
}
# Actions that only read personal data (the rest change it).
READ_ACTIONS = frozenset({"case.read", "case.events.read", "case.pdf", "pdf.download", "export.download",
                          "processing_log.read"})


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    if action.startswith("step."):
        return f"Stap: {action.partition('.')[2]}"
    if action.startswith("alert."):
        return f"Signaal: {action.partition('.')[2]}"
    return action


def case_id_for_reference(reference: str) -> int | None:
    return db.session.scalar(select(Case.id).where(Case.reference == reference.strip().upper()))


def case_references_for_bsn(bsn: str) -> list[str]:
    return list(db.session.scalars(
        select(Case.reference).join(Pupil, Case.pupil_id == Pupil.id).where(Pupil.bsn == bsn).order_by(Case.id)
    ))


def events_for_case(case_id: int, *, reads_only: bool = False) -> Select[tuple[AuditEvent]]:
    """The case's entries, newest first."""
    query = select(AuditEvent).where(AuditEvent.case_id == case_id)
    if reads_only:
        query = query.where(AuditEvent.action.in_(READ_ACTIONS))
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
