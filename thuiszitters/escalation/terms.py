"""The terms of DOMAIN.md as pure functions: the three-month return goal, the school's decision term on an
aanmelding, the Geschillencommissie passend onderwijs (GPO) terms, and a pupil's age.

Every function takes its dates as arguments (or a step, read by field name) and, where a term is configurable,
``terms``; nothing here reads the clock.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from thuiszitters.escalation import spec
from thuiszitters.escalation._read import date_value, kind_of, value


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
    # Langdurig relatief verzuim: the absence makes a thuiszitter once it lasted more than this many weeks.
    relatief_verzuim_weeks: int = 4
    # Age on the first day out of school: leerplicht from 5, kwalificatieplicht until 18 (so at most 17).
    min_age: int = 5
    max_age: int = 17

    @classmethod
    def from_config(cls, configured: dict[str, int]) -> Terms:
        """The terms of config ``TERMS``; unknown keys are ignored."""
        return cls(**{k: v for k, v in configured.items() if k in cls.__dataclass_fields__})

    @classmethod
    def config_problems(cls, configured: dict[str, object]) -> list[str]:
        """Why config ``TERMS`` cannot be right (start-up refuses it): unknown names, then `problems`."""
        unknown = sorted(set(configured) - set(cls.__dataclass_fields__))
        if unknown:
            return [f"TERMS has unknown names: {', '.join(unknown)} (known: {', '.join(cls.__dataclass_fields__)})"]
        return cls.from_config(configured).problems()  # type: ignore[arg-type]

    def problems(self) -> list[str]:
        """Why these terms cannot be right (start-up refuses them), in English for the operator; empty when fine.

        Every term must be a positive whole number, and the right to temporary enrolment starts when the longest
        possible decision term has ended: the decision term plus the one extension.
        """
        found = [
            f"TERMS[{name!r}] must be a positive whole number, not {value!r}"
            for name in self.__dataclass_fields__
            if isinstance(value := getattr(self, name), bool) or not isinstance(value, int) or value <= 0
        ]
        if found:
            return found
        longest = self.decision_weeks + self.max_extension_weeks
        if self.temporary_enrolment_weeks != longest:
            found.append(
                f"TERMS['temporary_enrolment_weeks'] is {self.temporary_enrolment_weeks}, but temporary enrolment "
                f"starts when the longest decision term ends: decision_weeks + max_extension_weeks = {longest}"
            )
        if self.min_age > self.max_age:
            found.append(f"TERMS['min_age'] ({self.min_age}) is above TERMS['max_age'] ({self.max_age})")
        return found


DEFAULT_TERMS = Terms()


# --- The return goal ----------------------------------------------------------------------------------------


def return_deadline(out_of_school_since: date) -> date:
    """The date by which a passend aanbod should start: 3 calendar months after the first day out of school.

    ``relativedelta`` clips to the month's last day (31 Aug -> 30 Nov, 30 Nov -> 28/29 Feb), which is how
    people count months; adding 91 days would drift by up to three days around February.
    """
    return out_of_school_since + relativedelta(months=3)


def is_overdue(status: str, return_deadline: date | None, today: date) -> bool:
    """An open case whose return goal has passed. On the deadline day itself the goal can still be met.

    A signal has no return deadline (None) and is never overdue.
    """
    return status == "open" and return_deadline is not None and today > return_deadline


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


def age_on(date_of_birth: date, on: date) -> int:
    """Age in completed years on a given date; a 29 February birthday counts on 28 February in other years."""
    return relativedelta(on, date_of_birth).years


# --- Terms of the aanmelding and the GPO --------------------------------------------------------------------


def extension_weeks(step: object, terms: Terms) -> int:
    """Weeks the decision term was extended by; the legal maximum when the school did not say how long."""
    if date_value(step, "extended_on") is None:
        return 0
    weeks = value(step, "extension_weeks")
    if weeks is None:
        return terms.max_extension_weeks
    # An over-long extension is refused by validate_step; the term itself can never exceed the legal maximum.
    return max(0, min(int(weeks), terms.max_extension_weeks))


def aanmelding_decision_due_on(step: object, terms: Terms = DEFAULT_TERMS) -> date:
    """Last day of the school's decision term: receipt + 6 weeks, plus the one extension if there was one.

    Raises ``ValueError`` without ``received_on``: without a receipt date there is no zorgplicht term to
    count.
    """
    received_on = date_value(step, "received_on")
    if received_on is None:
        raise ValueError("an aanmelding without received_on has no decision term")
    return received_on + timedelta(weeks=terms.decision_weeks + extension_weeks(step, terms))


def aanmelding_temporary_enrolment_from(step: object, terms: Terms = DEFAULT_TERMS) -> date | None:
    """The date from which the pupil may claim temporary enrolment at the school: receipt + 10 weeks.

    None when the school decided on or before that date (a decision on the last day of the longest possible
    term is in time), or when there is no receipt date.
    """
    received_on = date_value(step, "received_on")
    if received_on is None:
        return None
    entitled_from = received_on + timedelta(weeks=terms.temporary_enrolment_weeks)
    decided_on = date_value(step, "decided_on")
    if value(step, "decision") is not None and decided_on is not None and decided_on <= entitled_from:
        return None
    return entitled_from


def gpo_filing_due_on(step: object, terms: Terms = DEFAULT_TERMS) -> date | None:
    """Last day for the parents to file with the GPO: 6 weeks after the school's decision, when known."""
    school_decision_on = date_value(step, "school_decision_on")
    if school_decision_on is None:
        return None
    return school_decision_on + timedelta(weeks=terms.gpo_filing_weeks)


def gpo_verdict_due_on(step: object, terms: Terms = DEFAULT_TERMS) -> date | None:
    """When the GPO's oordeel is expected: 10 weeks after filing."""
    filed_on = date_value(step, "filed_on")
    if filed_on is None:
        return None
    return filed_on + timedelta(weeks=terms.gpo_verdict_weeks)


def gpo_follow_up_due_on(step: object, terms: Terms = DEFAULT_TERMS) -> date | None:
    """When the school board should have said what it does with the oordeel: 5 weeks after it.

    None for a withdrawn request (``ingetrokken``): there is no oordeel to follow up.
    """
    verdict_on = date_value(step, "verdict_on")
    if value(step, "verdict") not in spec.GPO_OORDEEL_VERDICTS or verdict_on is None:
        return None
    return verdict_on + timedelta(weeks=terms.gpo_follow_up_weeks)


def _decision_due_on_if_received(step: object, terms: Terms) -> date | None:
    return aanmelding_decision_due_on(step, terms) if date_value(step, "received_on") is not None else None


# The rule behind each computed term the spec names (``spec.Term``); a test holds the two to each other.
TERM_RULES: dict[str, Callable[[object, Terms], date | None]] = {
    "decision_due_on": _decision_due_on_if_received,
    "temporary_enrolment_from": aanmelding_temporary_enrolment_from,
    "filing_due_on": gpo_filing_due_on,
    "verdict_due_on": gpo_verdict_due_on,
    "follow_up_due_on": gpo_follow_up_due_on,
}


def term_on(step: object, name: str, terms: Terms = DEFAULT_TERMS) -> date | None:
    """One computed term of a step, by its spec name; None where it does not apply (yet)."""
    return TERM_RULES[name](step, terms)


def step_terms(step: object, terms: Terms = DEFAULT_TERMS, *, enrolled: bool = False) -> dict[str, date | None]:
    """Every computed term of the step's kind (``spec.StepKind.terms``), by name, in spec order.

    ``enrolled``: the pupil is enrolled at a school, so a term for pupils enrolled nowhere (temporary enrolment)
    does not apply and is None.
    """
    kind = spec.KIND.get(kind_of(step) or "")
    if kind is None:
        return {}
    return {term.name: None if term.not_enrolled_only and enrolled else term_on(step, term.name, terms)
            for term in kind.terms}


@dataclass(frozen=True)
class Deadline:
    on: date
    label: str


RETURN_GOAL_LABEL = "Terugkeerdoel"


def next_deadline(steps: Iterable[object], *, status: str, return_deadline: date | None, today: date,
                  terms: Terms = DEFAULT_TERMS) -> Deadline | None:
    """The soonest deadline today or later of a case that is not closed: the return goal, or a step's term
    (``spec.Term`` with ``met_by``) while the field that meets it is still empty. None when nothing is due ahead.

    A term already passed is not "next": the list marks an overdue case by itself.
    """
    if status == "closed":
        return None
    found = []
    if return_deadline is not None and return_deadline >= today:
        found.append(Deadline(return_deadline, RETURN_GOAL_LABEL))
    for step in steps:
        kind = spec.KIND.get(kind_of(step) or "")
        for term in kind.terms if kind else ():
            if term.met_by is None or value(step, term.met_by) not in (None, ""):
                continue
            due = term_on(step, term.name, terms)
            if due is not None and due >= today:
                found.append(Deadline(due, term.short_label))
    return min(found, key=lambda deadline: deadline.on, default=None)
