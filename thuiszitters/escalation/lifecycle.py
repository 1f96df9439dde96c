"""A case's life and who counts as a thuiszitter (DOMAIN.md, "Case lifecycle and who counts as a thuiszitter" and
"Case outcomes").

- A case is a *signal* (a dreigend thuiszitter: no first day out of school, no return deadline) until the first day
  out of school is recorded; then it is *open*; closing it gives it an outcome.
- An open case counts as a thuiszitter from its first day out of school; ``relatief_verzuim`` only once the absence
  lasted more than 4 weeks. Signals never count.
- Offer outcomes record when the passend aanbod started and meet the goal or not; the other outcomes record only the
  closing date and have no goal-met value (they are shown beside the goal-met rate, never inside it).

Pure functions of plain values and ``today``; dashboards, export and pages ask these rather than repeat them.
"""
from __future__ import annotations

from datetime import date, timedelta

from thuiszitters.escalation import spec
from thuiszitters.escalation.terms import DEFAULT_TERMS, Terms, days_out_of_school, goal_met
from thuiszitters.escalation.validation import Violation
from thuiszitters.text import format_date_nl

SIGNAAL = "signaal"
OPEN = "open"
CLOSED = "closed"
RELATIEF_VERZUIM = "relatief_verzuim"
# The warning an open relatief-verzuim case shows while it does not count yet.
UNDER_FOUR_WEEKS = "relatief_verzuim_under_4_weeks"


def status_for(out_of_school_since: date | None) -> str:
    """The status of a case that is not closed: open once the first day out of school is known, else a signal."""
    return OPEN if out_of_school_since is not None else SIGNAAL


def reopened_status(out_of_school_since: date | None) -> str:
    """A reopened case is open again, or a signal again when it never had a first day out of school."""
    return status_for(out_of_school_since)


def enrolled(absence_kind: str, has_school: bool) -> bool:
    """Whether the pupil is enrolled at a school: not absoluut verzuim, and a current school is recorded.

    A pupil enrolled nowhere may claim temporary enrolment when a school lets 10 weeks pass without deciding on
    an aanmelding (an alert for leerplicht); for an enrolled pupil that term is a coordinator reminder.
    """
    return absence_kind != "absoluut_verzuim" and has_school


# --- Who counts -----------------------------------------------------------------------------------------------


def thuiszitter_from(absence_kind: str, out_of_school_since: date | None, terms: Terms = DEFAULT_TERMS) -> date | None:
    """The first day the pupil counts as a thuiszitter; None without a first day out of school (a signal).

    Absoluut verzuim and a vrijstelling count from the first day out of school. Relatief verzuim counts once the
    absence lasted *more than* 4 weeks: out since Monday 1 September, the 4 weeks are 1–28 September, and it
    counts from Monday 29 September (``out_of_school_since + 4 weeks``). The return clock still starts at the
    first day out of school.
    """
    if out_of_school_since is None:
        return None
    if absence_kind == RELATIEF_VERZUIM:
        return out_of_school_since + timedelta(weeks=terms.relatief_verzuim_weeks)
    return out_of_school_since


def counts_as_thuiszitter(
    *, status: str, absence_kind: str, out_of_school_since: date | None, on: date, terms: Terms = DEFAULT_TERMS
) -> bool:
    """Whether an open case counts as a thuiszitter on day ``on`` (dashboards, the export)."""
    start = thuiszitter_from(absence_kind, out_of_school_since, terms)
    return status == OPEN and start is not None and on >= start


def was_thuiszitter(
    absence_kind: str, out_of_school_since: date | None, absence_ended_on: date, terms: Terms = DEFAULT_TERMS
) -> bool:
    """Whether an absence that ended on ``absence_ended_on`` (the offer's start, the closing date or the day asked
    about) ever made a thuiszitter: a relatief verzuim that ended within its first 4 weeks did not."""
    start = thuiszitter_from(absence_kind, out_of_school_since, terms)
    return start is not None and absence_ended_on >= start


def under_four_weeks(
    *, status: str, absence_kind: str, out_of_school_since: date | None, today: date, terms: Terms = DEFAULT_TERMS
) -> bool:
    """An open relatief-verzuim case that does not count yet (the ``relatief_verzuim_under_4_weeks`` warning)."""
    return (status == OPEN and absence_kind == RELATIEF_VERZUIM and out_of_school_since is not None
            and not counts_as_thuiszitter(status=status, absence_kind=absence_kind,
                                          out_of_school_since=out_of_school_since, on=today, terms=terms))


# --- Outcomes -------------------------------------------------------------------------------------------------


def is_offer(outcome: str | None) -> bool:
    return outcome in spec.OFFER_OUTCOMES


def absence_ended_on(outcome: str | None, offer_started_on: date | None, closed_on: date | None) -> date | None:
    """When the absence of a closed case ended: the offer's start for an offer outcome, else the closing date."""
    if is_offer(outcome) and offer_started_on is not None:
        return offer_started_on
    return closed_on


def case_goal_met(
    *, status: str, outcome: str | None, return_deadline: date | None, offer_started_on: date | None
) -> bool | None:
    """Goal met for a closed case with an offer outcome (the offer started on or before the return deadline);
    None while the case is not closed and for every other outcome (not applicable, never counted as "not met").
    An offer outcome without its start date (the rules never let one through) has not met the goal."""
    if status != CLOSED or not is_offer(outcome) or return_deadline is None:
        return None
    return offer_started_on is not None and bool(goal_met(return_deadline, offer_started_on))


def case_days_out_of_school(
    *, status: str, out_of_school_since: date | None, today: date, outcome: str | None,
    offer_started_on: date | None, closed_on: date | None,
) -> int | None:
    """Days out of school until the offer started (offer outcomes), the case was closed (other outcomes) or today;
    None for a signal, which has no first day out of school."""
    if out_of_school_since is None:
        return None
    end = absence_ended_on(outcome, offer_started_on, closed_on) if status == CLOSED else None
    return days_out_of_school(out_of_school_since, today, end)


def validate_close(
    *,
    status: str,
    outcome: str | None,
    offer_started_on: date | None,
    closed_on: date,
    out_of_school_since: date | None,
    today: date,
    school_given: bool = False,
    note: str | None = None,
) -> list[Violation]:
    """Everything that makes closing a case with these values unacceptable, all at once; empty means it may close.

    ``closed_on`` is the closing date (the caller defaults it to today). Offer outcomes need ``offer_started_on``
    (not after the closing date); the other outcomes refuse it, so an exemption or a move is never counted as a
    passend aanbod. A signal closes only as ``geen_thuiszitter``, and only a signal does.
    """
    found: list[Violation] = []
    known = outcome in spec.OUTCOMES
    # Without a known outcome the dates are still checked, so a form names every wrong field in one round.
    if not known:
        found.append(Violation("outcome", "unknown_value", "Kies een uitkomst uit de lijst."))
    elif status == SIGNAAL and outcome not in spec.SIGNAL_OUTCOMES:
        found.append(Violation(
            "outcome", "signal_outcome",
            f"Een signaal sluit u af met de uitkomst '{spec.OUTCOME_LABELS[spec.SIGNAL_OUTCOMES[0]]}'. Zit de "
            f"leerling inmiddels thuis, leg dan eerst de eerste dag thuis vast; dan wordt het signaal een open casus.",
        ))
    elif status != SIGNAAL and outcome in spec.SIGNAL_OUTCOMES:
        found.append(Violation(
            "outcome", "not_a_signal",
            f"De uitkomst '{spec.OUTCOME_LABELS[outcome]}' is alleen voor een signaal; deze leerling zit thuis "
            f"sinds {format_date_nl(out_of_school_since) if out_of_school_since else 'onbekend'}.",
        ))
    if closed_on > today:
        found.append(Violation("closed_on", "future_date",
                               f"De datum van afsluiting ({format_date_nl(closed_on)}) ligt in de toekomst."))
    elif out_of_school_since is not None and closed_on < out_of_school_since:
        found.append(Violation("closed_on", "before_out_of_school",
                               "De casus kan niet gesloten zijn voordat de leerling thuis kwam te zitten."))
    if is_offer(outcome):
        if offer_started_on is None:
            found.append(Violation("offer_started_on", "required",
                                   "Vul de datum in waarop het passend aanbod begon."))
        elif offer_started_on > today:
            found.append(Violation(
                "offer_started_on", "future_date",
                "De startdatum van het aanbod ligt in de toekomst. Sluit de casus als het aanbod begonnen is.",
            ))
        elif offer_started_on > closed_on:
            found.append(Violation(
                "offer_started_on", "after_closed_on",
                f"De startdatum van het aanbod ligt na de datum van afsluiting ({format_date_nl(closed_on)}). Sluit "
                f"de casus als het aanbod begonnen is.",
            ))
        elif out_of_school_since is not None and offer_started_on < out_of_school_since:
            found.append(Violation("offer_started_on", "before_out_of_school",
                                   "Het aanbod kan niet beginnen voordat de leerling thuis kwam te zitten."))
    elif known and offer_started_on is not None:
        found.append(Violation(
            "offer_started_on", "offer_not_applicable",
            f"Bij de uitkomst '{spec.OUTCOME_LABELS[outcome]}' begint geen passend aanbod: laat de startdatum van "
            f"het aanbod leeg en vul alleen de datum van afsluiting in.",
        ))
    if outcome == "terug_naar_school" and not school_given:
        found.append(Violation("school_brin", "required", "Vul de school in waar de leerling terugkeert."))
    if outcome == "overig" and not (note or "").strip():
        found.append(Violation("note", "required", "Licht de uitkomst 'overig' toe."))
    return found
