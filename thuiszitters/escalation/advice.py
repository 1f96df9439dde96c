"""What a case page and the API tell the coordinator: warnings on an accepted case and the next action.

Pure functions of the steps, the case's status and return deadline, and ``today``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from thuiszitters.escalation import lifecycle, spec
from thuiszitters.escalation._read import date_value, kind_of, value
from thuiszitters.escalation.gate import interventieteam_missing_steps, missing_predecessors, step_done
from thuiszitters.escalation.terms import (
    DEFAULT_TERMS,
    Terms,
    aanmelding_decision_due_on,
    aanmelding_temporary_enrolment_from,
    gpo_follow_up_due_on,
    gpo_verdict_due_on,
    is_overdue,
)
from thuiszitters.text import format_date_nl


@dataclass(frozen=True)
class Warning:
    """Something the coordinator should notice on an accepted case; shown, never refused."""

    code: str
    message: str


def _labels(kinds: Iterable[str]) -> str:
    names = [spec.STEP_LABELS[k].lower() for k in kinds]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def case_warnings(
    steps: Iterable[object],
    *,
    status: str,
    return_deadline: date | None,
    today: date,
    terms: Terms = DEFAULT_TERMS,
    absence_kind: str | None = None,
    out_of_school_since: date | None = None,
    enrolled: bool = False,
) -> list[Warning]:
    """What the case page and the API show as warnings, in a stable order.

    Out-of-order steps and an oordeel the school board did not follow are flagged on open and closed cases (they
    describe the record); the term warnings only while the case is open (or a signal), because afterwards nobody
    can act on them. ``enrolled``: the pupil is enrolled at a school (``lifecycle.enrolled``), so an undecided
    aanmelding gives no right to temporary enrolment.
    """
    steps = list(steps)
    warnings: list[Warning] = []
    if is_overdue(status, return_deadline, today):
        assert return_deadline is not None
        warnings.append(
            Warning(
                "overdue",
                f"Het terugkeerdoel is niet gehaald: de leerling had uiterlijk "
                f"{format_date_nl(return_deadline)} een passend aanbod moeten hebben.",
            )
        )
    if absence_kind is not None and lifecycle.under_four_weeks(
        status=status, absence_kind=absence_kind, out_of_school_since=out_of_school_since, today=today, terms=terms
    ):
        counts_from = lifecycle.thuiszitter_from(absence_kind, out_of_school_since, terms)
        assert counts_from is not None
        warnings.append(
            Warning(
                lifecycle.UNDER_FOUR_WEEKS,
                f"Relatief verzuim maakt een leerling pas thuiszitter na meer dan "
                f"{terms.relatief_verzuim_weeks} weken afwezigheid. Deze leerling telt mee vanaf "
                f"{format_date_nl(counts_from)}; tot dan staat de casus niet in de thuiszittercijfers "
                f"(dashboards en inspectie-export). De termijn van drie maanden loopt wel al.",
            )
        )
    for step in steps:
        kind = kind_of(step)
        if kind not in spec.STEP_KINDS:
            continue
        missing = missing_predecessors(kind, steps)
        if missing:
            reason = value(step, "out_of_order_reason")
            explained = (
                f"Reden: {reason.strip()}"
                if isinstance(reason, str) and reason.strip()
                else "Er is geen reden vastgelegd."
            )
            warnings.append(
                Warning(
                    "out_of_order",
                    f"Stap '{spec.STEP_LABELS[kind]}' is vastgelegd zonder {_labels(missing)}. {explained}",
                )
            )
    for step in steps:
        if kind_of(step) == "geschillencommissie" and value(step, "follow_up") == spec.NOT_FOLLOWED:
            verdict_on = date_value(step, "verdict_on")
            of = f" van {format_date_nl(verdict_on)}" if verdict_on is not None else ""
            warnings.append(
                Warning(
                    "gpo_not_followed",
                    f"Het schoolbestuur heeft het oordeel{of} van de Geschillencommissie passend onderwijs niet "
                    f"opgevolgd. De inspectie vraagt het bestuur waarom; het telt mee in de inspectie-export.",
                )
            )
    if status not in (lifecycle.OPEN, lifecycle.SIGNAAL):
        return warnings
    for step in steps:
        kind = kind_of(step)
        if kind == "aanmelding" and value(step, "decision") is None and date_value(step, "received_on") is not None:
            due = aanmelding_decision_due_on(step, terms)
            if today > due:
                enrolment_from = aanmelding_temporary_enrolment_from(step, terms)
                message = (
                    f"De school heeft niet binnen de beslistermijn (tot en met {format_date_nl(due)}) "
                    f"op de aanmelding besloten."
                )
                # Only a pupil who is enrolled nowhere may claim temporary enrolment (DOMAIN.md, terms).
                if enrolment_from is not None and not enrolled:
                    message += (
                        f" De leerling heeft vanaf {format_date_nl(enrolment_from)} recht op tijdelijke "
                        f"inschrijving op die school."
                    )
                warnings.append(Warning("aanmelding_decision_overdue", message))
        elif kind == "geschillencommissie":
            verdict_due = gpo_verdict_due_on(step, terms)
            if value(step, "verdict") is None and verdict_due is not None and today > verdict_due:
                warnings.append(
                    Warning(
                        "gpo_verdict_overdue",
                        f"Het oordeel van de Geschillencommissie passend onderwijs werd uiterlijk "
                        f"{format_date_nl(verdict_due)} verwacht en is nog niet vastgelegd.",
                    )
                )
            follow_up_due = gpo_follow_up_due_on(step, terms)
            if value(step, "follow_up") is None and follow_up_due is not None and today > follow_up_due:
                warnings.append(
                    Warning(
                        "gpo_follow_up_overdue",
                        f"Het schoolbestuur had uiterlijk {format_date_nl(follow_up_due)} moeten laten "
                        f"weten wat het met het oordeel van de commissie doet; leg de reactie vast.",
                    )
                )
    return warnings


# What the next action asks the coordinator to do on the case page (its primary button).
RECORD_FIRST_DAY = "record_first_day"  # a signal: record the first day out of school
RECORD_STEP = "record_step"  # record a new step of ``kind``
COMPLETE_STEP = "complete_step"  # complete the unfinished step of ``kind``
CLOSE = "close"  # close the case with an outcome
REOPEN = "reopen"  # a closed case: reopen it (with a reason) if the pupil is out of school again


@dataclass(frozen=True)
class Advice:
    """The next action: one Dutch sentence, and what it asks for (``do``, with the step ``kind`` it is about)."""

    text: str
    do: str
    kind: str | None = None


def next_action(
    steps: Iterable[object],
    *,
    status: str,
    return_deadline: date | None,
    today: date,
    terms: Terms = DEFAULT_TERMS,
) -> str:
    """One Dutch sentence telling the coordinator what to do next (``advise``'s text)."""
    return advise(steps, status=status, return_deadline=return_deadline, today=today, terms=terms).text


def advise(
    steps: Iterable[object],
    *,
    status: str,
    return_deadline: date | None,
    today: date,
    terms: Terms = DEFAULT_TERMS,
) -> Advice:
    """What the coordinator should do next, walking the chain in order: a Dutch sentence and the action.

    The first unfinished link of the chain wins, because a later step cannot help while an earlier one is
    open; the interventieteam is suggested only when its gate is open and the return goal has passed (last
    resort). A signal is asked for its first day out of school, or to be closed.
    """
    if status == lifecycle.SIGNAAL:
        return Advice(
            "Dit is een signaal (dreigend thuiszitter). Leg de eerste dag thuis vast zodra de leerling niet meer "
            "naar school gaat, of sluit het signaal als de leerling niet thuis is komen te zitten.",
            RECORD_FIRST_DAY,
        )
    if status != lifecycle.OPEN or return_deadline is None:
        return Advice("Het dossier is gesloten; heropen het met een reden als de leerling opnieuw thuiszit.", REOPEN)
    steps = list(steps)

    def ofkind_of(kind: str) -> list[object]:
        return [s for s in steps if kind_of(s) == kind]

    def record_or_complete(kind: str, record: str, complete: str) -> Advice:
        if not ofkind_of(kind):
            return Advice(record, RECORD_STEP, kind)
        return Advice(complete, COMPLETE_STEP, kind)

    interventions = ofkind_of("interventieteam")
    if interventions:
        if any(date_value(s, "closed_on") is None for s in interventions):
            return Advice(
                "Volg de inzet van het Interventieteam Onderwijs en Zorg en leg de uitkomst en de "
                "afsluiting vast zodra die bekend zijn.",
                COMPLETE_STEP, "interventieteam",
            )
        return Advice("Sluit het dossier af met een uitkomst en de startdatum van het passend aanbod.", CLOSE)

    missing = interventieteam_missing_steps(steps, today, terms)
    if "aanmelding" in missing:
        pending = [s for s in ofkind_of("aanmelding") if date_value(s, "received_on") is not None]
        if not pending:
            return Advice(
                "Zorg dat de ouders hun kind schriftelijk aanmelden bij een school en leg de aanmelding vast.",
                RECORD_STEP, "aanmelding",
            )
        due = min(aanmelding_decision_due_on(s, terms) for s in pending)
        return Advice(
            f"Wacht op het besluit van de school over de aanmelding; dat moet er uiterlijk "
            f"{format_date_nl(due)} zijn.",
            COMPLETE_STEP, "aanmelding",
        )

    later_kinds = ("swv_inzet", "consulent", "geschillencommissie")
    admitted = any(value(s, "decision") == "toegelaten" for s in ofkind_of("aanmelding"))
    if admitted and not any(kind_of(s) in later_kinds for s in steps):
        return Advice(
            "De school heeft de leerling toegelaten: sluit het dossier af met een uitkomst zodra het passend "
            "aanbod start.",
            CLOSE,
        )
    if "swv_inzet" in missing:
        return record_or_complete(
            "swv_inzet", "Vraag het samenwerkingsverband om inzet: een arrangement, een TLV of doorzettingsmacht.",
            "Leg vast wat het samenwerkingsverband heeft gedaan en wanneer de inzet is afgerond.")
    if "consulent" in missing:
        return record_or_complete(
            "consulent", "Schakel, met toestemming van de ouders, een onderwijs(zorg)consulent in.",
            "Leg het advies van de onderwijs(zorg)consulent vast, of de afsluiting van de aanvraag.")
    if "geschillencommissie" in missing:
        dues = [
            d
            for s in ofkind_of("geschillencommissie")
            if not step_done(s, today, terms) and (d := gpo_verdict_due_on(s, terms)) is not None
        ]
        if dues:
            return Advice(
                f"Leg het oordeel van de Geschillencommissie passend onderwijs vast; dat wordt uiterlijk "
                f"{format_date_nl(min(dues))} verwacht.",
                COMPLETE_STEP, "geschillencommissie",
            )
        return Advice("Leg het oordeel van de Geschillencommissie passend onderwijs vast zodra het er is.",
                      COMPLETE_STEP, "geschillencommissie")
    follow_ups = [
        d
        for s in ofkind_of("geschillencommissie")
        if value(s, "follow_up") is None and (d := gpo_follow_up_due_on(s, terms)) is not None
    ]
    if follow_ups:
        return Advice(
            f"Vraag het schoolbestuur wat het met het oordeel van de commissie doet en leg de reactie vast "
            f"(uiterlijk {format_date_nl(min(follow_ups))}).",
            COMPLETE_STEP, "geschillencommissie",
        )
    if today > return_deadline:
        return Advice(
            f"Het terugkeerdoel ({format_date_nl(return_deadline)}) is verstreken en alle stappen zijn "
            f"doorlopen: meld de leerling bij het Interventieteam Onderwijs en Zorg.",
            RECORD_STEP, "interventieteam",
        )
    return Advice(
        f"Alle stappen zijn doorlopen: sluit het dossier af zodra het passend aanbod start, uiterlijk "
        f"{format_date_nl(return_deadline)}; lukt dat niet, meld de leerling dan bij het interventieteam.",
        CLOSE,
    )
