"""Every domain rule of a thuiszitter case, as pure functions of plain data and ``today``.

This is the one place where the terms of DOMAIN.md live: the three-month return goal, the school's decision
term on an aanmelding, the Geschillencommissie passend onderwijs (GPO) terms, when a step counts as done, the
interventieteam gate, and what a coordinator should do next. Views, services, reminders, exports and the API
all ask this module, so a rule changes in one place and is tested without an app.

Nothing here reads the clock, the database or Flask: callers pass ``today`` (from ``thuiszitters.clock``) and
the case's steps. Steps are duck-typed (the ORM model, a dataclass, a ``SimpleNamespace``); the attribute
names are documented by the Protocols below. The single-table ORM model carries the attributes of every kind,
but a test object may carry only those of its own kind, so attributes are read with :func:`getattr` and a
``None`` default.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from dateutil.relativedelta import relativedelta

# --- Vocabulary ---------------------------------------------------------------------------------------------

CASE_STATUSES = ("open", "closed")
STEP_KINDS = ("aanmelding", "swv_inzet", "consulent", "geschillencommissie", "interventieteam")
# The steps that must be done before the interventieteam may be called; the GPO is optional (seed 004 §1.4).
MANDATORY_STEP_KINDS = ("aanmelding", "swv_inzet", "consulent")
ABSENCE_KINDS = ("absoluut_verzuim", "relatief_verzuim", "vrijstelling_5a")
OUTCOMES = ("terug_naar_school", "maatwerk", "onderwijszorgarrangement", "vrijstelling", "verhuisd", "overig")
AANMELDING_DECISIONS = ("toegelaten", "afgewezen")
SWV_ACTIONS = ("arrangement", "tlv", "doorzettingsmacht", "overig")
CONSULENT_TYPES = ("onderwijsconsulent", "onderwijszorgconsulent")
GPO_SUBJECTS = ("toelating", "verwijdering", "opp")
GPO_VERDICTS = ("gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk", "ingetrokken")
# An oordeel proper: the school board must then say what it does with it. A withdrawn request has no oordeel.
GPO_OORDEEL_VERDICTS = ("gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk")
FOLLOW_UPS = ("opgevolgd", "niet_opgevolgd")

STATUS_LABELS = {"open": "Open", "closed": "Gesloten"}
STEP_LABELS = {
    "aanmelding": "Schriftelijke aanmelding",
    "swv_inzet": "Inzet samenwerkingsverband",
    "consulent": "Onderwijs(zorg)consulent",
    "geschillencommissie": "Geschillencommissie passend onderwijs",
    "interventieteam": "Interventieteam Onderwijs en Zorg",
}
ABSENCE_LABELS = {
    "absoluut_verzuim": "Absoluut verzuim",
    "relatief_verzuim": "Langdurig relatief verzuim",
    "vrijstelling_5a": "Vrijstelling (art. 5 onder a Leerplichtwet)",
}
OUTCOME_LABELS = {
    "terug_naar_school": "Terug naar school",
    "maatwerk": "Maatwerk",
    "onderwijszorgarrangement": "Onderwijszorgarrangement",
    "vrijstelling": "Vrijstelling verleend",
    "verhuisd": "Verhuisd",
    "overig": "Overig",
}
AANMELDING_DECISION_LABELS = {"toegelaten": "Toegelaten", "afgewezen": "Afgewezen"}
SWV_ACTION_LABELS = {
    "arrangement": "Arrangement",
    "tlv": "Toelaatbaarheidsverklaring (TLV)",
    "doorzettingsmacht": "Doorzettingsmacht",
    "overig": "Overig",
}
CONSULENT_TYPE_LABELS = {
    "onderwijsconsulent": "Onderwijsconsulent",
    "onderwijszorgconsulent": "Onderwijszorgconsulent",
}
GPO_SUBJECT_LABELS = {
    "toelating": "Toelating",
    "verwijdering": "Verwijdering",
    "opp": "Ontwikkelingsperspectief (OPP)",
}
GPO_VERDICT_LABELS = {
    "gegrond": "Gegrond",
    "deels_gegrond": "Deels gegrond",
    "ongegrond": "Ongegrond",
    "niet_ontvankelijk": "Niet-ontvankelijk",
    "ingetrokken": "Ingetrokken",
}
FOLLOW_UP_LABELS = {"opgevolgd": "Oordeel opgevolgd", "niet_opgevolgd": "Oordeel niet opgevolgd"}


@dataclass(frozen=True)
class Terms:
    """The configurable terms, in calendar weeks (school holidays count) and years of age.

    The defaults are the legal terms; ``config/`` may override them, which is why every rule takes ``terms``.
    """

    decision_weeks: int = 6
    max_extension_weeks: int = 4
    temporary_enrolment_weeks: int = 10
    gpo_filing_weeks: int = 6
    gpo_verdict_weeks: int = 10
    gpo_follow_up_weeks: int = 5
    min_age: int = 4
    max_age: int = 23


DEFAULT_TERMS = Terms()


@dataclass(frozen=True)
class Violation:
    """A reason to refuse a step or case as entered.

    ``field`` is the snake_case attribute (the API maps it to ``invalidParams``), or "" for the whole step.
    """

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class Warning:
    """Something the coordinator should notice on an accepted case; shown, never refused."""

    code: str
    message: str


# --- Shapes of the data passed in ---------------------------------------------------------------------------


class StepLike(Protocol):
    """Any step. ``out_of_order_reason`` explains a step recorded before its predecessors."""

    kind: str
    out_of_order_reason: str | None


class AanmeldingStep(StepLike, Protocol):
    received_on: date | None
    extended_on: date | None  # when the school told the parents it extends the term
    extension_weeks: int | None  # 1..max; None with extended_on set means the maximum
    decision: str | None
    decided_on: date | None


class SwvInzetStep(StepLike, Protocol):
    started_on: date | None
    action: str | None
    description: str | None
    ended_on: date | None


class ConsulentStep(StepLike, Protocol):
    consulent_type: str | None
    parental_consent: bool | None
    requested_on: date | None
    advice_on: date | None
    closed_on: date | None


class GeschillencommissieStep(StepLike, Protocol):
    subject: str | None
    school_decision_on: date | None
    filed_on: date | None
    late_filing_reason: str | None
    verdict: str | None
    verdict_on: date | None
    follow_up: str | None
    follow_up_on: date | None


class InterventieteamStep(StepLike, Protocol):
    reported_on: date | None
    outcome: str | None
    closed_on: date | None


class CaseLike(Protocol):
    """The case attributes the rules use.

    Functions take them as separate arguments, so callers can pass plain data (an export row, a form).
    """

    status: str
    out_of_school_since: date
    return_deadline: date
    offer_started_on: date | None
    steps: Sequence[StepLike]


def _get(step: object, name: str) -> object:
    return getattr(step, name, None)


def _date(step: object, name: str) -> date | None:
    value = getattr(step, name, None)
    return value if isinstance(value, date) else None


def _kind(step: object) -> str | None:
    return getattr(step, "kind", None)


# --- Presentation helpers -----------------------------------------------------------------------------------


def format_date_nl(d: date) -> str:
    """``dd-mm-yyyy``: how Dutch users read dates in sentences, alerts and PDFs."""
    return d.strftime("%d-%m-%Y")


def stage_label(kind: str | None) -> str:
    """The Dutch label of a step kind (a case's stage); "Nog geen stap" before the first step."""
    if kind is None:
        return "Nog geen stap"
    return STEP_LABELS.get(kind, kind)


# --- The return goal ----------------------------------------------------------------------------------------


def return_deadline(out_of_school_since: date) -> date:
    """The date by which a passend aanbod should start: 3 calendar months after the first day out of school.

    ``relativedelta`` clips to the month's last day (31 Aug -> 30 Nov, 30 Nov -> 28/29 Feb), which is how
    people count months; adding 91 days would drift by up to three days around February.
    """
    return out_of_school_since + relativedelta(months=3)


def is_overdue(status: str, return_deadline: date, today: date) -> bool:
    """An open case whose return goal has passed. On the deadline day itself the goal can still be met."""
    return status == "open" and today > return_deadline


def days_out_of_school(out_of_school_since: date, today: date, offer_started_on: date | None = None) -> int:
    """Days from the first day out of school until the passend aanbod started (closed case) or until today.

    Never negative: a case registered ahead of its first day (or an offer dated before it) counts as zero
    days, so totals and duration buckets are not pulled down.
    """
    end = offer_started_on if offer_started_on is not None else today
    return max(0, (end - out_of_school_since).days)


def goal_met(return_deadline: date, offer_started_on: date | None) -> bool | None:
    """Whether the passend aanbod started on or before the return deadline; None while there is no offer."""
    if offer_started_on is None:
        return None
    return offer_started_on <= return_deadline


# --- Terms of the aanmelding and the GPO --------------------------------------------------------------------


def _extension_weeks(step: object, terms: Terms) -> int:
    """Weeks the decision term was extended by; the legal maximum when the school did not say how long."""
    if _date(step, "extended_on") is None:
        return 0
    weeks = _get(step, "extension_weeks")
    if weeks is None:
        return terms.max_extension_weeks
    # An over-long extension is refused by validate_step; the term itself can never exceed the legal maximum.
    return max(0, min(int(weeks), terms.max_extension_weeks))


def aanmelding_decision_due_on(step: AanmeldingStep, terms: Terms = DEFAULT_TERMS) -> date:
    """Last day of the school's decision term: receipt + 6 weeks, plus the one extension if there was one.

    Raises ``ValueError`` without ``received_on``: without a receipt date there is no zorgplicht term to
    count.
    """
    received_on = _date(step, "received_on")
    if received_on is None:
        raise ValueError("an aanmelding without received_on has no decision term")
    return received_on + timedelta(weeks=terms.decision_weeks + _extension_weeks(step, terms))


def aanmelding_temporary_enrolment_from(step: AanmeldingStep, terms: Terms = DEFAULT_TERMS) -> date | None:
    """The date from which the pupil may claim temporary enrolment at the school: receipt + 10 weeks.

    None when the school decided on or before that date (a decision on the last day of the longest possible
    term is in time), or when there is no receipt date.
    """
    received_on = _date(step, "received_on")
    if received_on is None:
        return None
    entitled_from = received_on + timedelta(weeks=terms.temporary_enrolment_weeks)
    decided_on = _date(step, "decided_on")
    if _get(step, "decision") is not None and decided_on is not None and decided_on <= entitled_from:
        return None
    return entitled_from


def gpo_filing_due_on(step: GeschillencommissieStep, terms: Terms = DEFAULT_TERMS) -> date | None:
    """Last day for the parents to file with the GPO: 6 weeks after the school's decision, when known."""
    school_decision_on = _date(step, "school_decision_on")
    if school_decision_on is None:
        return None
    return school_decision_on + timedelta(weeks=terms.gpo_filing_weeks)


def gpo_verdict_due_on(step: GeschillencommissieStep, terms: Terms = DEFAULT_TERMS) -> date | None:
    """When the GPO's oordeel is expected: 10 weeks after filing."""
    filed_on = _date(step, "filed_on")
    if filed_on is None:
        return None
    return filed_on + timedelta(weeks=terms.gpo_verdict_weeks)


def gpo_follow_up_due_on(step: GeschillencommissieStep, terms: Terms = DEFAULT_TERMS) -> date | None:
    """When the school board should have said what it does with the oordeel: 5 weeks after it.

    None for a withdrawn request (``ingetrokken``): there is no oordeel to follow up.
    """
    verdict_on = _date(step, "verdict_on")
    if _get(step, "verdict") not in GPO_OORDEEL_VERDICTS or verdict_on is None:
        return None
    return verdict_on + timedelta(weeks=terms.gpo_follow_up_weeks)


# --- Progress through the chain -----------------------------------------------------------------------------


def step_done(step: StepLike, today: date, terms: Terms = DEFAULT_TERMS) -> bool:
    """Whether a step has run its course (DOMAIN.md), which is what the interventieteam gate counts.

    An aanmelding is also done when the decision term passed without a decision: the school's silence must not
    block the chain, the pupil then has a right to temporary enrolment instead.
    """
    kind = _kind(step)
    if kind == "aanmelding":
        if _get(step, "decision") in AANMELDING_DECISIONS and _date(step, "decided_on") is not None:
            return True
        if _date(step, "received_on") is None:
            return False
        return today > aanmelding_decision_due_on(step, terms)
    if kind == "swv_inzet":
        return bool(_get(step, "action")) and _date(step, "ended_on") is not None
    if kind == "consulent":
        return _date(step, "advice_on") is not None or _date(step, "closed_on") is not None
    if kind == "geschillencommissie":
        return _get(step, "verdict") in GPO_VERDICTS and _date(step, "verdict_on") is not None
    if kind == "interventieteam":
        return _date(step, "closed_on") is not None
    return False


def interventieteam_missing_steps(
    steps: Iterable[StepLike], today: date, terms: Terms = DEFAULT_TERMS
) -> list[str]:
    """The step kinds that keep the interventieteam gate shut, in chain order; empty means it may be called.

    Seed 004 §1.4: the interventieteam is a last resort, only after the written aanmelding, the swv and a
    consulent (and any GPO procedure that was started) have run their course. There is no override.
    """
    steps = list(steps)
    missing = [
        kind
        for kind in MANDATORY_STEP_KINDS
        if not any(_kind(s) == kind and step_done(s, today, terms) for s in steps)
    ]
    if any(_kind(s) == "geschillencommissie" and not step_done(s, today, terms) for s in steps):
        missing.append("geschillencommissie")
    return missing


def missing_predecessors(kind: str, steps: Iterable[StepLike]) -> list[str]:
    """The mandatory earlier kinds with no step at all, in chain order: recording ``kind`` is out of order.

    Real cases skip ahead (a consulent before the swv is involved), so this does not refuse; it makes the case
    ask for an ``out_of_order_reason`` and show a warning. The GPO is optional and therefore never required.
    Raises ``ValueError`` for an unknown kind, which is a programming error here (forms validate kinds first).
    """
    if kind not in STEP_KINDS:
        raise ValueError(f"unknown step kind: {kind!r}")
    present = {_kind(s) for s in steps}
    position = STEP_KINDS.index(kind)
    return [k for k in MANDATORY_STEP_KINDS if STEP_KINDS.index(k) < position and k not in present]


def stage(steps: Iterable[StepLike]) -> str | None:
    """The furthest kind reached in chain order (not the latest recorded), for the case list and funnel."""
    positions = [STEP_KINDS.index(k) for k in (_kind(s) for s in steps) if k in STEP_KINDS]
    return STEP_KINDS[max(positions)] if positions else None


# --- Validation ---------------------------------------------------------------------------------------------

_STEP_DATE_FIELDS = {
    "aanmelding": ("received_on", "extended_on", "decided_on"),
    "swv_inzet": ("started_on", "ended_on"),
    "consulent": ("requested_on", "advice_on", "closed_on"),
    "geschillencommissie": ("school_decision_on", "filed_on", "verdict_on", "follow_up_on"),
    "interventieteam": ("reported_on", "closed_on"),
}

_FIELD_LABELS = {
    "received_on": "de datum van ontvangst",
    "extended_on": "de datum van verlenging",
    "decided_on": "de besluitdatum",
    "started_on": "de startdatum",
    "ended_on": "de einddatum",
    "requested_on": "de aanvraagdatum",
    "advice_on": "de adviesdatum",
    "closed_on": "de datum van afsluiting",
    "school_decision_on": "de datum van het besluit van de school",
    "filed_on": "de datum van indienen",
    "verdict_on": "de datum van het oordeel",
    "follow_up_on": "de datum van de reactie van het schoolbestuur",
    "reported_on": "de datum van melding",
    "out_of_school_since": "de eerste dag thuis",
    "date_of_birth": "de geboortedatum",
}


def _required(field: str, what: str) -> Violation:
    return Violation(field, "required", f"Vul {what} in.")


def _not_before(step: object, field: str, start_field: str) -> Violation | None:
    """A later date of a step may not precede the date the step (or that phase) started."""
    value, start = _date(step, field), _date(step, start_field)
    if value is None or start is None or value >= start:
        return None
    return Violation(
        field,
        "date_order",
        f"{_FIELD_LABELS[field].capitalize()} ({format_date_nl(value)}) ligt vóór "
        f"{_FIELD_LABELS[start_field]} ({format_date_nl(start)}).",
    )


def _choice(step: object, field: str, allowed: Sequence[str], what: str) -> Violation | None:
    value = _get(step, field)
    if value is None or value in allowed:
        return None
    return Violation(field, "invalid_choice", f"Onbekende waarde voor {what}: {value!r}.")


def _pair(
    step: object, value_field: str, date_field: str, value_what: str, date_what: str
) -> list[Violation]:
    """A decision-like value and its date belong together: either both are recorded or neither."""
    has_value = _get(step, value_field) is not None
    has_date = _date(step, date_field) is not None
    if has_value and not has_date:
        return [_required(date_field, date_what)]
    if has_date and not has_value:
        return [_required(value_field, value_what)]
    return []


def _validate_aanmelding(step: object, previous: object | None, terms: Terms) -> list[Violation]:
    found: list[Violation | None] = []
    received_on = _date(step, "received_on")
    if received_on is None:
        found.append(_required("received_on", "de datum waarop de school de aanmelding ontving"))
    found.append(_choice(step, "decision", AANMELDING_DECISIONS, "het besluit"))
    found.extend(_pair(step, "decision", "decided_on", "het besluit van de school", "de besluitdatum"))
    found.append(_not_before(step, "decided_on", "received_on"))

    extended_on = _date(step, "extended_on")
    weeks = _get(step, "extension_weeks")
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
    previous_extended_on = _date(previous, "extended_on") if previous is not None else None
    if previous_extended_on is not None and extended_on is not None:
        longer = _extension_weeks(step, terms) > _extension_weeks(previous, terms)
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
    if _date(step, "started_on") is None:
        found.append(_required("started_on", "de startdatum van de inzet van het samenwerkingsverband"))
    found.append(_choice(step, "action", SWV_ACTIONS, "de actie van het samenwerkingsverband"))
    found.append(_not_before(step, "ended_on", "started_on"))
    if _date(step, "ended_on") is not None and not _get(step, "action"):
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
    if _date(step, "requested_on") is None:
        found.append(_required("requested_on", "de datum waarop de consulent is gevraagd"))
    if _get(step, "consulent_type") is None:
        found.append(_required("consulent_type", "het soort consulent"))
    found.append(_choice(step, "consulent_type", CONSULENT_TYPES, "het soort consulent"))
    if _get(step, "parental_consent") is not True:
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
    subject = _get(step, "subject")
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
        found.append(_choice(step, "subject", GPO_SUBJECTS, "het onderwerp van het geschil"))
    filed_on = _date(step, "filed_on")
    if filed_on is None:
        found.append(_required("filed_on", "de datum waarop de ouders het verzoek indienden"))
    found.append(_not_before(step, "filed_on", "school_decision_on"))

    filing_due = gpo_filing_due_on(step, terms)
    reason = _get(step, "late_filing_reason")
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

    found.append(_choice(step, "verdict", GPO_VERDICTS, "het oordeel"))
    found.extend(_pair(step, "verdict", "verdict_on", "het oordeel", "de datum van het oordeel"))
    found.append(_not_before(step, "verdict_on", "filed_on"))

    found.append(_choice(step, "follow_up", FOLLOW_UPS, "de reactie van het schoolbestuur"))
    found.extend(
        _pair(step, "follow_up", "follow_up_on", "de reactie van het schoolbestuur", "de reactiedatum")
    )
    found.append(_not_before(step, "follow_up_on", "verdict_on"))
    if _get(step, "follow_up") is not None and _get(step, "verdict") not in GPO_OORDEEL_VERDICTS:
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
    reported_on = _date(step, "reported_on")
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


def validate_step(
    step: StepLike,
    *,
    today: date,
    previous: StepLike | None = None,
    case_closed: bool = False,
    out_of_school_since: date | None = None,
    terms: Terms = DEFAULT_TERMS,
) -> list[Violation]:
    """Everything that makes a new or changed step unacceptable; empty means it may be saved.

    ``previous`` is the stored version of the step when it is being changed (to refuse a second extension of
    the aanmelding term). The interventieteam gate is not checked here, it needs the other steps: see
    :func:`interventieteam_missing_steps`. Out-of-order recording is not refused either, only flagged.
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
    kind = _kind(step)
    if kind not in STEP_KINDS:
        return [Violation("kind", "invalid_choice", f"Onbekende soort stap: {kind!r}.")]

    violations: list[Violation] = []
    for field in _STEP_DATE_FIELDS[kind]:
        value = _date(step, field)
        if value is not None and value > today:
            violations.append(
                Violation(
                    field,
                    "future_date",
                    f"{_FIELD_LABELS[field].capitalize()} ({format_date_nl(value)}) ligt in de toekomst.",
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
    else:
        violations += _validate_interventieteam(step, out_of_school_since)
    return violations


def age_on(date_of_birth: date, on: date) -> int:
    """Age in completed years on a given date; a 29 February birthday counts on 28 February in other years."""
    return relativedelta(on, date_of_birth).years


def validate_case_dates(
    out_of_school_since: date, date_of_birth: date, today: date, terms: Terms = DEFAULT_TERMS
) -> list[Violation]:
    """The case dates that cannot be right, so a typing error is caught when the case is registered.

    Refused: a first day out of school in the future or before birth, a birth date in the future, and a pupil
    younger than ``min_age`` or older than ``max_age`` today (usually a mistyped birth year).
    """
    violations: list[Violation] = []
    if out_of_school_since > today:
        violations.append(
            Violation(
                "out_of_school_since",
                "future_date",
                f"De eerste dag thuis ({format_date_nl(out_of_school_since)}) ligt in de toekomst.",
            )
        )
    if date_of_birth > today:
        violations.append(
            Violation(
                "date_of_birth",
                "future_date",
                f"De geboortedatum ({format_date_nl(date_of_birth)}) ligt in de toekomst.",
            )
        )
        return violations
    if out_of_school_since < date_of_birth:
        violations.append(
            Violation(
                "out_of_school_since", "before_birth", "De eerste dag thuis ligt vóór de geboortedatum."
            )
        )
    age = age_on(date_of_birth, today)
    if age < terms.min_age:
        violations.append(
            Violation(
                "date_of_birth",
                "too_young",
                f"De leerling is {age} jaar; een thuiszitter is ten minste {terms.min_age} jaar.",
            )
        )
    elif age > terms.max_age:
        violations.append(
            Violation(
                "date_of_birth",
                "too_old",
                f"De leerling is {age} jaar; een thuiszitter is ten hoogste {terms.max_age} jaar.",
            )
        )
    return violations


# --- Warnings and the next action ---------------------------------------------------------------------------


def _labels(kinds: Iterable[str]) -> str:
    names = [STEP_LABELS[k].lower() for k in kinds]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def case_warnings(
    steps: Iterable[StepLike],
    *,
    status: str,
    return_deadline: date,
    today: date,
    terms: Terms = DEFAULT_TERMS,
) -> list[Warning]:
    """What the case page and the API show as warnings, in a stable order.

    Out-of-order steps are flagged on open and closed cases (they describe the record); the term warnings only
    while the case is open, because afterwards nobody can act on them.
    """
    steps = list(steps)
    warnings: list[Warning] = []
    if is_overdue(status, return_deadline, today):
        warnings.append(
            Warning(
                "overdue",
                f"Het terugkeerdoel is niet gehaald: de leerling had uiterlijk "
                f"{format_date_nl(return_deadline)} een passend aanbod moeten hebben.",
            )
        )
    for step in steps:
        kind = _kind(step)
        if kind not in STEP_KINDS:
            continue
        missing = missing_predecessors(kind, steps)
        if missing:
            reason = _get(step, "out_of_order_reason")
            explained = (
                f"Reden: {reason.strip()}"
                if isinstance(reason, str) and reason.strip()
                else "Er is geen reden vastgelegd."
            )
            warnings.append(
                Warning(
                    "out_of_order",
                    f"Stap '{STEP_LABELS[kind]}' is vastgelegd zonder {_labels(missing)}. {explained}",
                )
            )
    if status != "open":
        return warnings
    for step in steps:
        kind = _kind(step)
        if kind == "aanmelding" and _get(step, "decision") is None and _date(step, "received_on") is not None:
            due = aanmelding_decision_due_on(step, terms)
            if today > due:
                enrolment_from = aanmelding_temporary_enrolment_from(step, terms)
                message = (
                    f"De school heeft niet binnen de beslistermijn (tot en met {format_date_nl(due)}) "
                    f"op de aanmelding besloten."
                )
                if enrolment_from is not None:
                    message += (
                        f" De leerling heeft vanaf {format_date_nl(enrolment_from)} recht op tijdelijke "
                        f"inschrijving op die school."
                    )
                warnings.append(Warning("aanmelding_decision_overdue", message))
        elif kind == "geschillencommissie":
            verdict_due = gpo_verdict_due_on(step, terms)
            if _get(step, "verdict") is None and verdict_due is not None and today > verdict_due:
                warnings.append(
                    Warning(
                        "gpo_verdict_overdue",
                        f"Het oordeel van de Geschillencommissie passend onderwijs werd uiterlijk "
                        f"{format_date_nl(verdict_due)} verwacht en is nog niet vastgelegd.",
                    )
                )
            follow_up_due = gpo_follow_up_due_on(step, terms)
            if _get(step, "follow_up") is None and follow_up_due is not None and today > follow_up_due:
                warnings.append(
                    Warning(
                        "gpo_follow_up_overdue",
                        f"Het schoolbestuur had uiterlijk {format_date_nl(follow_up_due)} moeten laten "
                        f"weten wat het met het oordeel van de commissie doet; leg de reactie vast.",
                    )
                )
    return warnings


def next_action(
    steps: Iterable[StepLike],
    *,
    status: str,
    return_deadline: date,
    today: date,
    terms: Terms = DEFAULT_TERMS,
) -> str:
    """One Dutch sentence telling the coordinator what to do next, walking the chain in order.

    The first unfinished link of the chain wins, because a later step cannot help while an earlier one is
    open; the interventieteam is suggested only when its gate is open and the return goal has passed (last
    resort).
    """
    if status != "open":
        return "Het dossier is gesloten; heropen het met een reden als de leerling opnieuw thuiszit."
    steps = list(steps)

    def of_kind(kind: str) -> list[StepLike]:
        return [s for s in steps if _kind(s) == kind]

    interventions = of_kind("interventieteam")
    if interventions:
        if any(_date(s, "closed_on") is None for s in interventions):
            return (
                "Volg de inzet van het Interventieteam Onderwijs en Zorg en leg de uitkomst en de "
                "afsluiting vast zodra die bekend zijn."
            )
        return "Sluit het dossier af met een uitkomst en de startdatum van het passend aanbod."

    missing = interventieteam_missing_steps(steps, today, terms)
    if "aanmelding" in missing:
        pending = [s for s in of_kind("aanmelding") if _date(s, "received_on") is not None]
        if not pending:
            return (
                "Zorg dat de ouders hun kind schriftelijk aanmelden bij een school en leg de aanmelding vast."
            )
        due = min(aanmelding_decision_due_on(s, terms) for s in pending)
        return (
            f"Wacht op het besluit van de school over de aanmelding; dat moet er uiterlijk "
            f"{format_date_nl(due)} zijn."
        )

    later_kinds = ("swv_inzet", "consulent", "geschillencommissie")
    admitted = any(_get(s, "decision") == "toegelaten" for s in of_kind("aanmelding"))
    if admitted and not any(_kind(s) in later_kinds for s in steps):
        return (
            "De school heeft de leerling toegelaten: sluit het dossier af met een uitkomst zodra het passend "
            "aanbod start."
        )
    if "swv_inzet" in missing:
        if not of_kind("swv_inzet"):
            return "Vraag het samenwerkingsverband om inzet: een arrangement, een TLV of doorzettingsmacht."
        return "Leg vast wat het samenwerkingsverband heeft gedaan en wanneer de inzet is afgerond."
    if "consulent" in missing:
        if not of_kind("consulent"):
            return "Schakel, met toestemming van de ouders, een onderwijs(zorg)consulent in."
        return "Leg het advies van de onderwijs(zorg)consulent vast, of de afsluiting van de aanvraag."
    if "geschillencommissie" in missing:
        dues = [
            d
            for s in of_kind("geschillencommissie")
            if not step_done(s, today, terms) and (d := gpo_verdict_due_on(s, terms)) is not None
        ]
        if dues:
            return (
                f"Leg het oordeel van de Geschillencommissie passend onderwijs vast; dat wordt uiterlijk "
                f"{format_date_nl(min(dues))} verwacht."
            )
        return "Leg het oordeel van de Geschillencommissie passend onderwijs vast zodra het er is."
    follow_ups = [
        d
        for s in of_kind("geschillencommissie")
        if _get(s, "follow_up") is None and (d := gpo_follow_up_due_on(s, terms)) is not None
    ]
    if follow_ups:
        return (
            f"Vraag het schoolbestuur wat het met het oordeel van de commissie doet en leg de reactie vast "
            f"(uiterlijk {format_date_nl(min(follow_ups))})."
        )
    if today > return_deadline:
        return (
            f"Het terugkeerdoel ({format_date_nl(return_deadline)}) is verstreken en alle stappen zijn "
            f"doorlopen: meld de leerling bij het Interventieteam Onderwijs en Zorg."
        )
    return (
        f"Alle stappen zijn doorlopen: sluit het dossier af zodra het passend aanbod start, uiterlijk "
        f"{format_date_nl(return_deadline)}; lukt dat niet, meld de leerling dan bij het interventieteam."
    )
