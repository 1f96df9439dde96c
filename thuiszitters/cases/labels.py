"""Dutch names for fields, values and audit actions, shared by the case pages, the timeline and the forms."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from thuiszitters.escalation import spec
from thuiszitters.http.templating import format_date

# The case's own fields; the steps' fields follow from the spec, in chain order.
_CASE_FIELD_LABELS: dict[str, str] = {
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
}
# In form order: the presenters list changed fields in this order. A step field named like a case field (the
# school, an outcome) keeps the case's label; the spec test proves the two agree.
FIELD_LABELS: dict[str, str] = _CASE_FIELD_LABELS | {
    name: f.label for name, f in spec.STEP_FIELDS_BY_NAME.items() if name not in _CASE_FIELD_LABELS
}

VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "absence_kind": spec.ABSENCE_LABELS,
    "status": spec.STATUS_LABELS,
    "outcome": spec.OUTCOME_LABELS,
    **spec.STEP_VALUE_LABELS,
    "kind": spec.STEP_LABELS,
}

# DOMAIN.md "Documenten": the kinds of document on a case, in the order the upload form offers them. Here, not in
# documents/, because the case's timeline names them too (documents/rules.py uses this table).
DOCUMENT_KIND_LABELS: dict[str, str] = {
    "aanmelding": "Aanmeldingsbrief",
    "besluit_school": "Besluit van de school",
    "opp": "Ontwikkelingsperspectief (OPP)",
    "tlv": "Toelaatbaarheidsverklaring (TLV)",
    "advies_consulent": "Advies onderwijsconsulent",
    "oordeel_gpo": "Oordeel Geschillencommissie (GPO)",
    "verslag": "Verslag",
    "overig": "Overig",
}

ACTION_LABELS: dict[str, str] = {
    "case.create": "Casus geregistreerd",
    "case.update": "Casusgegevens gewijzigd",
    "case.close": "Casus gesloten",
    "case.reopen": "Casus heropend",
    "case.transfer": "Casus overgedragen aan een ander samenwerkingsverband",
    "case.anonymise": "Casus geanonimiseerd (bewaartermijn verstreken)",
    "case.pdf": "Samenvatting (pdf) gedownload",
    "case.summary.read": "Casusoverzicht bekeken (printweergave)",
    "step.create": "Stap vastgelegd",
    "step.update": "Stap gewijzigd",
    "alert.acknowledge": "Signaal afgehandeld",
    "document.upload": "Document toegevoegd",
    "document.read": "Document gedownload",
    "document.remove": "Document verwijderd",
}

CHAIN_STATE_LABELS = {
    "done": "Afgerond",
    "open": "Loopt",
    "possible": "Mogelijk",
    "blocked": "Nog niet mogelijk",
    "unfinished": "Niet afgerond",
    "skipped": "Niet doorlopen",
}

# Computed terms of a step (facts.StepFacts.terms), from the spec.
TERM_LABELS = {term.name: term.label for kind in spec.KINDS for term in kind.terms}

# What the audit trail writes instead of personal data or free text.
MASKED = "…"
# Fields whose values a timeline never shows, even where an old event kept them: personal data and free text.
# A step's free text named like a case field (the interventieteam's outcome) is masked when it is logged; the
# case's coded outcome stays readable.
CONCEALED_FIELDS = frozenset({"first_name", "last_name", "date_of_birth", "bsn", "note", "reason",
                              *(name for name in spec.FREE_TEXT_FIELDS if name not in _CASE_FIELD_LABELS)})
# Bookkeeping in the trail that is no part of what happened to the pupil.
BOOKKEEPING_FIELDS = frozenset({"version", "kind", "via", "media_type", "size"})


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
        label = f"{label}: {spec.STEP_LABELS.get(kind, kind)}"
    document_kind = next((value for value in kind if value), None) if isinstance(kind, list) else None
    if action.startswith("document.") and document_kind:
        label = f"{label}: {DOCUMENT_KIND_LABELS.get(document_kind, document_kind)}"
    return label


def list_phrase(labels: tuple[str, ...] | list[str]) -> str:
    """Labels as one Dutch phrase: "Besluit van de school en besluitdatum" (the first keeps its capital)."""
    words = [label if i == 0 else label[0].lower() + label[1:] for i, label in enumerate(labels)]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " en " + words[-1]
