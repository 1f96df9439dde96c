"""What makes a new or changed step, or a new case, unacceptable: pure functions returning every violation at
once (a form or request reports them all in one round).

The date fields of a kind come from ``spec``; the messages are the rules' own Dutch sentences.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from thuiszitters.escalation import spec
from thuiszitters.escalation._read import date_value, kind_of, value
from thuiszitters.escalation.terms import DEFAULT_TERMS, Terms, age_on, extension_weeks, gpo_filing_due_on
from thuiszitters.text import format_date_nl


@dataclass(frozen=True)
class Violation:
    """A reason to refuse a step or case as entered.

    ``field`` is the snake_case attribute (the API maps it to ``invalidParams``), or "" for the whole step.
    """

    field: str
    code: str
    message: str


def _date_fields(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in spec.step_fields(kind) if isinstance(f.type, spec.Date))


def _phrase(name: str) -> str:
    """How a message names a step's date field ("de besluitdatum")."""
    return spec.STEP_FIELDS_BY_NAME[name].phrase


def _required(field: str, what: str) -> Violation:
    return Violation(field, "required", f"Vul {what} in.")


def _not_before(step: object, field: str, start_field: str) -> Violation | None:
    """A later date of a step may not precede the date the step (or that phase) started."""
    day, start = date_value(step, field), date_value(step, start_field)
    if day is None or start is None or day >= start:
        return None
    return Violation(
        field,
        "date_order",
        f"{_phrase(field).capitalize()} ({format_date_nl(day)}) ligt vóór "
        f"{_phrase(start_field)} ({format_date_nl(start)}).",
    )


def _choice(step: object, field: str, allowed: Sequence[str], what: str) -> Violation | None:
    found = value(step, field)
    if found is None or found in allowed:
        return None
    return Violation(field, "invalid_choice", f"Onbekende waarde voor {what}: {found!r}.")


def _pair(
    step: object, value_field: str, date_field: str, value_what: str, date_what: str
) -> list[Violation]:
    """A decision-like value and its date belong together: either both are recorded or neither."""
    has_value = value(step, value_field) is not None
    has_date = date_value(step, date_field) is not None
    if has_value and not has_date:
        return [_required(date_field, date_what)]
    if has_date and not has_value:
        return [_required(value_field, value_what)]
    return []


def _validate_aanmelding(step: object, previous: object | None, terms: Terms) -> list[Violation]:
    found: list[Violation | None] = []
    received_on = date_value(step, "received_on")
    if received_on is None:
        found.append(_required("received_on", "de datum waarop de school de aanmelding ontving"))
    found.append(_choice(step, "decision", spec.AANMELDING_DECISIONS, "het besluit"))
    found.extend(_pair(step, "decision", "decided_on", "het besluit van de school", "de besluitdatum"))
    found.append(_not_before(step, "decided_on", "received_on"))

    extended_on = date_value(step, "extended_on")
    weeks = value(step, "extension_weeks")
    if weeks is not None and not (isinstance(weeks, int) and 1 <= weeks <= terms.max_extension_weeks):
        found.append(
            Violation(
                "extension_weeks",
                "extension_out_of_range",
                f"De school mag de beslistermijn één keer verlengen met ten hoogste "
                f"{terms.max_extension_weeks} weken.",
            )
        )
    if weeks is not None and extended_on is None:
        found.append(_required("extended_on", "de datum waarop de school de verlenging aan de ouders meldde"))
    if extended_on is not None and received_on is not None:
        found.append(_not_before(step, "extended_on", "received_on"))
        original_due = received_on + timedelta(weeks=terms.decision_weeks)
        if extended_on > original_due:
            found.append(
                Violation(
                    "extended_on",
                    "extension_too_late",
                    f"Verlengen kan alleen binnen de oorspronkelijke beslistermijn, die liep tot en met "
                    f"{format_date_nl(original_due)}.",
                )
            )
    previous_extended_on = date_value(previous, "extended_on") if previous is not None else None
    if previous_extended_on is not None and extended_on is not None:
        longer = extension_weeks(step, terms) > extension_weeks(previous, terms)
        if extended_on != previous_extended_on or longer:
            found.append(
                Violation(
                    "extended_on",
                    "second_extension",
                    f"De beslistermijn is al op {format_date_nl(previous_extended_on)} verlengd; "
                    f"de school mag maar één keer verlengen.",
                )
            )
    return [v for v in found if v is not None]


def _validate_swv_inzet(step: object) -> list[Violation]:
    found: list[Violation | None] = []
    if date_value(step, "started_on") is None:
        found.append(_required("started_on", "de startdatum van de inzet van het samenwerkingsverband"))
    found.append(_choice(step, "action", spec.SWV_ACTIONS, "de actie van het samenwerkingsverband"))
    found.append(_not_before(step, "ended_on", "started_on"))
    if date_value(step, "ended_on") is not None and not value(step, "action"):
        found.append(
            Violation(
                "action",
                "action_required",
                "Leg vast wat het samenwerkingsverband heeft gedaan (arrangement, TLV, doorzettingsmacht of "
                "overig) voordat u de inzet afsluit.",
            )
        )
    return [v for v in found if v is not None]


def _validate_consulent(step: object) -> list[Violation]:
    found: list[Violation | None] = []
    if date_value(step, "requested_on") is None:
        found.append(_required("requested_on", "de datum waarop de consulent is gevraagd"))
    if value(step, "consulent_type") is None:
        found.append(_required("consulent_type", "het soort consulent"))
    found.append(_choice(step, "consulent_type", spec.CONSULENT_TYPES, "het soort consulent"))
    if value(step, "parental_consent") is not True:
        found.append(
            Violation(
                "parental_consent",
                "consent_required",
                "Een onderwijs(zorg)consulent kan alleen met toestemming van de ouders worden ingeschakeld.",
            )
        )
    found.append(_not_before(step, "advice_on", "requested_on"))
    found.append(_not_before(step, "closed_on", "requested_on"))
    return [v for v in found if v is not None]


def _validate_geschillencommissie(step: object, terms: Terms) -> list[Violation]:
    found: list[Violation | None] = []
    subject = value(step, "subject")
    if subject is None:
        found.append(_required("subject", "waarover het geschil gaat (toelating, verwijdering of OPP)"))
    elif subject == "tlv":
        found.append(
            Violation(
                "subject",
                "tlv_not_gpo",
                "Een geschil over een toelaatbaarheidsverklaring (TLV) gaat niet naar de Geschillencommissie "
                "passend onderwijs, maar naar de bezwaarprocedure van het samenwerkingsverband.",
            )
        )
    else:
        found.append(_choice(step, "subject", spec.GPO_SUBJECTS, "het onderwerp van het geschil"))
    filed_on = date_value(step, "filed_on")
    if filed_on is None:
        found.append(_required("filed_on", "de datum waarop de ouders het verzoek indienden"))
    found.append(_not_before(step, "filed_on", "school_decision_on"))

    filing_due = gpo_filing_due_on(step, terms)
    reason = value(step, "late_filing_reason")
    filed_late = filed_on is not None and filing_due is not None and filed_on > filing_due
    if filed_late and not (isinstance(reason, str) and reason.strip()):
        found.append(
            Violation(
                "late_filing_reason",
                "late_filing_reason_required",
                f"Het verzoek is na de termijn van {terms.gpo_filing_weeks} weken ingediend "
                f"(uiterlijk {format_date_nl(filing_due)}); geef de reden van de late indiening.",
            )
        )

    found.append(_choice(step, "verdict", spec.GPO_VERDICTS, "het oordeel"))
    found.extend(_pair(step, "verdict", "verdict_on", "het oordeel", "de datum van het oordeel"))
    found.append(_not_before(step, "verdict_on", "filed_on"))

    found.append(_choice(step, "follow_up", spec.FOLLOW_UPS, "de reactie van het schoolbestuur"))
    found.extend(
        _pair(step, "follow_up", "follow_up_on", "de reactie van het schoolbestuur", "de reactiedatum")
    )
    found.append(_not_before(step, "follow_up_on", "verdict_on"))
    if value(step, "follow_up") is not None and value(step, "verdict") not in spec.GPO_OORDEEL_VERDICTS:
        found.append(
            Violation(
                "follow_up",
                "follow_up_without_verdict",
                "Een reactie van het schoolbestuur hoort bij een oordeel van de commissie; "
                "er is (nog) geen oordeel.",
            )
        )
    return [v for v in found if v is not None]


def _validate_interventieteam(step: object, out_of_school_since: date | None) -> list[Violation]:
    found: list[Violation | None] = []
    reported_on = date_value(step, "reported_on")
    if reported_on is None:
        found.append(_required("reported_on", "de datum van melding bij het interventieteam"))
    found.append(_not_before(step, "closed_on", "reported_on"))
    # The interventieteam acts for pupils who are out of school; a report before that is a typing error.
    if reported_on is not None and out_of_school_since is not None and reported_on < out_of_school_since:
        found.append(
            Violation(
                "reported_on",
                "before_out_of_school",
                f"De melding bij het interventieteam ligt vóór de eerste dag thuis "
                f"({format_date_nl(out_of_school_since)}).",
            )
        )
    return [v for v in found if v is not None]


def _outside_chain(kind: str, step_school_type: str | None, case_school_type: str | None) -> Violation | None:
    """mbo is no part of a samenwerkingsverband: an aanmelding at an mbo school, or a GPO procedure while the pupil's
    school is an mbo school, does not belong in the chain."""
    if kind == "aanmelding" and step_school_type in spec.SCHOOL_TYPES_OUTSIDE_CHAIN:
        return Violation(
            "school_brin",
            "mbo_outside_chain",
            "Een mbo-school valt buiten het samenwerkingsverband: de zorgplicht bij aanmelding (WPO/WVO) geldt daar "
            "niet. Kies een school voor primair, speciaal of voortgezet onderwijs, of begeleid de aanmelding bij "
            "het mbo buiten de keten.",
        )
    if kind == "geschillencommissie" and case_school_type in spec.SCHOOL_TYPES_OUTSIDE_CHAIN:
        return Violation(
            "",
            "mbo_outside_chain",
            "De leerling staat ingeschreven op een mbo-school. De Geschillencommissie passend onderwijs behandelt "
            "geen geschillen met het mbo; daarvoor heeft de mbo-instelling een eigen klachten- en "
            "geschillenregeling.",
        )
    return None


def validate_step(
    step: object,
    *,
    today: date,
    previous: object | None = None,
    case_closed: bool = False,
    out_of_school_since: date | None = None,
    terms: Terms = DEFAULT_TERMS,
    step_school_type: str | None = None,
    case_school_type: str | None = None,
) -> list[Violation]:
    """Everything that makes a new or changed step unacceptable; empty means it may be saved.

    ``previous`` is the stored version of the step when it is being changed (to refuse a second extension of
    the aanmelding term). ``step_school_type`` is the type of the step's own school (an aanmelding's), and
    ``case_school_type`` that of the school the pupil is enrolled at: an mbo school is outside the chain. The
    interventieteam gate is not checked here, it needs the other steps: see
    :func:`escalation.gate.interventieteam_missing_steps`. Out-of-order recording is not refused either, only flagged.
    """
    if case_closed:
        return [
            Violation(
                "",
                "case_closed",
                "Dit dossier is gesloten; heropen het dossier (met een reden) om stappen vast te leggen "
                "of te wijzigen.",
            )
        ]
    kind = kind_of(step)
    if kind not in spec.STEP_KINDS:
        return [Violation("kind", "invalid_choice", f"Onbekende soort stap: {kind!r}.")]

    violations: list[Violation] = []
    for field in _date_fields(kind):
        day = date_value(step, field)
        if day is not None and day > today:
            violations.append(
                Violation(
                    field,
                    "future_date",
                    f"{_phrase(field).capitalize()} ({format_date_nl(day)}) ligt in de toekomst.",
                )
            )
    if kind == "aanmelding":
        violations += _validate_aanmelding(step, previous, terms)
    elif kind == "swv_inzet":
        violations += _validate_swv_inzet(step)
    elif kind == "consulent":
        violations += _validate_consulent(step)
    elif kind == "geschillencommissie":
        violations += _validate_geschillencommissie(step, terms)
    elif kind == "interventieteam":
        violations += _validate_interventieteam(step, out_of_school_since)
    outside = _outside_chain(kind, step_school_type, case_school_type)
    if outside is not None:
        violations.append(outside)
    return violations


def validate_case_dates(
    out_of_school_since: date | None, date_of_birth: date | None, today: date, terms: Terms = DEFAULT_TERMS
) -> list[Violation]:
    """The case dates that cannot be right, so a typing error is caught when the case is registered.

    Refused: a first day out of school in the future or before birth, a birth date in the future, and a pupil
    younger than ``min_age`` (5: leerplicht) or older than ``max_age`` (17: kwalificatieplicht ends at 18) on the
    first day out of school. The age is measured on that day, not today: a pupil who turns 18 while out of school
    keeps the case until it is closed. A signal has no first day out of school yet; its age is measured today.
    Without a birth date (a form could not read the one typed) only the first day is checked, so its problem is
    reported in the same round.
    """
    violations: list[Violation] = []
    if out_of_school_since is not None and out_of_school_since > today:
        violations.append(
            Violation(
                "out_of_school_since",
                "future_date",
                f"De eerste dag thuis ({format_date_nl(out_of_school_since)}) ligt in de toekomst.",
            )
        )
    if date_of_birth is None:
        return violations
    if date_of_birth > today:
        violations.append(
            Violation(
                "date_of_birth",
                "future_date",
                f"De geboortedatum ({format_date_nl(date_of_birth)}) ligt in de toekomst.",
            )
        )
        return violations
    if out_of_school_since is not None and out_of_school_since < date_of_birth:
        violations.append(
            Violation(
                "out_of_school_since", "before_birth", "De eerste dag thuis ligt vóór de geboortedatum."
            )
        )
        return violations
    on = out_of_school_since if out_of_school_since is not None else today
    when = f"op de eerste dag thuis ({format_date_nl(on)})" if out_of_school_since is not None else "vandaag"
    age = age_on(date_of_birth, on)
    if age < terms.min_age:
        violations.append(
            Violation(
                "date_of_birth",
                "too_young",
                f"De leerling is {age} jaar {when}; een thuiszitter is ten minste {terms.min_age} jaar "
                f"(leerplichtig).",
            )
        )
    elif age > terms.max_age:
        violations.append(
            Violation(
                "date_of_birth",
                "too_old",
                f"De leerling is {age} jaar {when}; een thuiszitter is jonger dan {terms.max_age + 1} jaar "
                f"(de kwalificatieplicht loopt tot 18 jaar).",
            )
        )
    return violations
