"""Dutch names for fields, values and audit actions, shared by the case pages, the timeline and the forms."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from thuiszitters.cases import rules
from thuiszitters.formatting import format_date

FIELD_LABELS: dict[str, str] = {
    # case and pupil
    "first_name": "Voornaam",
    "last_name": "Achternaam",
    "date_of_birth": "Geboortedatum",
    "bsn": "BSN",
    "swv": "Samenwerkingsverband",
    "swv_code": "Samenwerkingsverband",
    "gemeente": "Gemeente",
    "gemeente_code": "Gemeente",
    "school": "School",
    "school_brin": "School",
    "absence_kind": "Soort verzuim",
    "out_of_school_since": "Eerste dag thuis",
    "note": "Notitie",
    "status": "Status",
    "outcome": "Uitkomst",
    "offer_started_on": "Start passend aanbod",
    "reason": "Reden",
    "kind": "Soort stap",
    # steps
    "out_of_order_reason": "Reden voor de afwijkende volgorde",
    "received_on": "Datum ontvangst aanmelding",
    "extended_on": "Datum verlenging beslistermijn",
    "extension_weeks": "Verlenging (weken)",
    "decision": "Besluit van de school",
    "decided_on": "Besluitdatum",
    "started_on": "Startdatum",
    "action": "Actie van het samenwerkingsverband",
    "description": "Toelichting",
    "ended_on": "Einddatum",
    "consulent_type": "Soort consulent",
    "parental_consent": "Toestemming van de ouders",
    "requested_on": "Aanvraagdatum",
    "advice_on": "Adviesdatum",
    "closed_on": "Datum afsluiting",
    "subject": "Onderwerp van het geschil",
    "school_decision_on": "Datum besluit van de school",
    "filed_on": "Datum indienen verzoek",
    "late_filing_reason": "Reden late indiening",
    "verdict": "Oordeel",
    "verdict_on": "Datum oordeel",
    "follow_up": "Reactie schoolbestuur",
    "follow_up_on": "Datum reactie schoolbestuur",
    "reported_on": "Datum melding",
}

VALUE_LABELS: dict[str, dict[str, str]] = {
    "absence_kind": rules.ABSENCE_LABELS,
    "status": rules.STATUS_LABELS,
    "outcome": rules.OUTCOME_LABELS,
    "decision": rules.AANMELDING_DECISION_LABELS,
    "action": rules.SWV_ACTION_LABELS,
    "consulent_type": rules.CONSULENT_TYPE_LABELS,
    "subject": rules.GPO_SUBJECT_LABELS,
    "verdict": rules.GPO_VERDICT_LABELS,
    "follow_up": rules.FOLLOW_UP_LABELS,
    "kind": rules.STEP_LABELS,
}

ACTION_LABELS: dict[str, str] = {
    "case.create": "Casus geregistreerd",
    "case.update": "Casusgegevens gewijzigd",
    "case.close": "Casus gesloten",
    "case.reopen": "Casus heropend",
    "case.transfer": "Casus overgedragen aan een ander samenwerkingsverband",
    "case.anonymise": "Casus geanonimiseerd (bewaartermijn verstreken)",
    "case.pdf": "Samenvatting (pdf) gedownload",
    "step.create": "Stap vastgelegd",
    "step.update": "Stap gewijzigd",
    "alert.acknowledge": "Signaal afgehandeld",
}

CHAIN_STATE_LABELS = {
    "done": "Afgerond",
    "open": "Loopt",
    "possible": "Mogelijk",
    "blocked": "Nog niet mogelijk",
}

# Computed terms of a step (attributes of facts.StepFacts).
TERM_LABELS = {
    "decision_due_on": "Beslistermijn school tot en met",
    "temporary_enrolment_from": "Recht op tijdelijke inschrijving vanaf",
    "filing_due_on": "Indienen uiterlijk",
    "verdict_due_on": "Oordeel verwacht uiterlijk",
    "follow_up_due_on": "Reactie schoolbestuur uiterlijk",
}

# What the audit trail writes instead of personal data or free text.
MASKED = "…"
# Fields whose values a timeline never shows, even where an old event kept them: personal data and free text.
CONCEALED_FIELDS = frozenset({"first_name", "last_name", "date_of_birth", "bsn", "note", "description",
                              "late_filing_reason", "out_of_order_reason", "reason"})
# Bookkeeping in the trail that is no part of what happened to the pupil.
BOOKKEEPING_FIELDS = frozenset({"version", "kind", "via"})


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def display_value(name: str, value: Any) -> str:
    """A stored or logged value as a Dutch reader expects it (labels for codes, dd-mm-jjjj for dates)."""
    if value is None or value == "":
        return "—"
    if value == MASKED:
        return "gewijzigd (inhoud niet getoond)"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime | date):
        return format_date(value)
    if isinstance(value, str):
        if name in VALUE_LABELS:
            return VALUE_LABELS[name].get(value, value)
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return format_date(date.fromisoformat(value))
            except ValueError:
                return value
    return str(value)


def action_label(action: str, changes: dict[str, Any] | None) -> str:
    label = ACTION_LABELS.get(action, f"Actie: {action}")
    kind = (changes or {}).get("kind")
    if action.startswith("step.") and isinstance(kind, str):
        label = f"{label}: {rules.STEP_LABELS.get(kind, kind)}"
    return label
