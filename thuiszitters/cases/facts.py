"""What the rules say about one case today: the computed view shared by pages, API, PDF and mails."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from thuiszitters.cases.models import Case, Step
from thuiszitters.escalation import lifecycle, spec
from thuiszitters.escalation.advice import Warning, case_warnings, next_action
from thuiszitters.escalation.gate import interventieteam_missing_steps, step_done
from thuiszitters.escalation.terms import DEFAULT_TERMS, Terms, is_overdue, step_terms


@dataclass(frozen=True)
class StepFacts:
    step: Step
    done: bool
    label: str
    # The computed terms of the step's kind (spec.StepKind.terms) by name; None where one does not apply (yet).
    terms: dict[str, date | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ChainStage:
    """One kind of step in the chain as drawn on the case page."""

    kind: str
    label: str
    state: str  # "done", "open", "possible", "blocked"
    explanation: str


@dataclass(frozen=True)
class CaseFacts:
    # None for a signal: no first day out of school, so no return deadline and no days out of school.
    return_deadline: date | None
    days_out_of_school: int | None
    days_left: int | None
    overdue: bool
    # True/False for an offer outcome; None while open and for the other outcomes (not applicable).
    goal_met: bool | None
    stage: str | None
    steps: list[StepFacts]
    chain: list[ChainStage]
    warnings: list[Warning]
    next_action: str
    interventieteam_missing: list[str]
    # Whether the case counts as a thuiszitter today (not a signal, relatief verzuim past 4 weeks).
    counts_as_thuiszitter: bool = False


def case_enrolled(case: Case) -> bool:
    """Whether the pupil is enrolled at a school (then an undecided aanmelding gives no temporary enrolment)."""
    return lifecycle.enrolled(case.absence_kind, case.school_id is not None)


def step_facts(step: Step, today: date, terms: Terms, *, enrolled: bool = False) -> StepFacts:
    return StepFacts(step=step, done=step_done(step, today, terms), label=spec.STEP_LABELS[step.kind],
                     terms=step_terms(step, terms, enrolled=enrolled))


def _chain(case: Case, steps: list[StepFacts], missing: list[str]) -> list[ChainStage]:
    chain = []
    for kind in spec.STEP_KINDS:
        of_kind = [s for s in steps if s.step.kind == kind]
        label = spec.STEP_LABELS[kind]
        if of_kind and all(s.done for s in of_kind):
            chain.append(ChainStage(kind, label, "done", "Afgerond"))
        elif of_kind:
            chain.append(ChainStage(kind, label, "open", "Loopt"))
        elif case.status == "closed":
            chain.append(ChainStage(kind, label, "blocked", "De casus is gesloten"))
        elif kind == "interventieteam" and missing:
            names = ", ".join(spec.STEP_LABELS[m].lower() for m in missing)
            chain.append(ChainStage(kind, label, "blocked", f"Nog niet mogelijk: eerst afronden: {names}"))
        elif kind == "geschillencommissie":
            chain.append(ChainStage(kind, label, "possible", "Optioneel, bij een geschil over toelating, "
                                                              "verwijdering of het OPP"))
        else:
            chain.append(ChainStage(kind, label, "possible", "Nog niet gestart"))
    return chain


def case_facts(case: Case, today: date, terms: Terms | None = None) -> CaseFacts:
    terms = terms or DEFAULT_TERMS
    enrolled = case_enrolled(case)
    steps = [step_facts(step, today, terms, enrolled=enrolled) for step in case.steps]
    missing = interventieteam_missing_steps(case.steps, today, terms)
    deadline = case.return_deadline
    return CaseFacts(
        return_deadline=deadline,
        days_out_of_school=lifecycle.case_days_out_of_school(
            status=case.status, out_of_school_since=case.out_of_school_since, today=today, outcome=case.outcome,
            offer_started_on=case.offer_started_on, closed_on=case.closed_on),
        days_left=(deadline - today).days if deadline is not None else None,
        overdue=is_overdue(case.status, deadline, today),
        goal_met=lifecycle.case_goal_met(status=case.status, outcome=case.outcome, return_deadline=deadline,
                                         offer_started_on=case.offer_started_on),
        stage=case.stage,
        steps=steps,
        chain=_chain(case, steps, missing),
        warnings=case_warnings(case.steps, status=case.status, return_deadline=deadline, today=today,
                               terms=terms, absence_kind=case.absence_kind,
                               out_of_school_since=case.out_of_school_since, enrolled=enrolled),
        next_action=next_action(case.steps, status=case.status, return_deadline=deadline, today=today,
                                terms=terms),
        interventieteam_missing=missing,
        counts_as_thuiszitter=lifecycle.counts_as_thuiszitter(
            status=case.status, absence_kind=case.absence_kind, out_of_school_since=case.out_of_school_since,
            on=today, terms=terms),
    )
