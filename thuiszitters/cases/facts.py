"""What the rules say about one case today: the computed view shared by pages, API, PDF and mails."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from thuiszitters.cases.models import Case, Step
from thuiszitters.escalation import lifecycle, spec
from thuiszitters.escalation.advice import Advice, Warning, advise, case_warnings
from thuiszitters.escalation.gate import interventieteam_missing_steps, step_done, still_needed
from thuiszitters.escalation.terms import DEFAULT_TERMS, Terms, is_overdue, step_terms


@dataclass(frozen=True)
class StepFacts:
    step: Step
    done: bool
    label: str
    # The computed terms of the step's kind (spec.StepKind.terms) by name; None where one does not apply (yet).
    terms: dict[str, date | None] = field(default_factory=dict)
    # While not done: the labels of what must still be recorded for it to be (gate.still_needed).
    still_needed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChainStage:
    """One kind of step in the chain as drawn on the case page.

    ``state``: "done", "open" (a step runs), "possible" (none yet), "blocked" (the interventieteam's gate is shut);
    on a closed case "unfinished" (a step that did not finish) or "skipped" (never reached). ``still_needed``: what
    its running step, or else a new one, must record to be done (nothing once done or closed).
    """

    kind: str
    label: str
    state: str
    explanation: str
    still_needed: tuple[str, ...] = ()


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
    advice: Advice | None = None
    # Whether the case counts as a thuiszitter today (not a signal, relatief verzuim past 4 weeks).
    counts_as_thuiszitter: bool = False


def case_enrolled(case: Case) -> bool:
    """Whether the pupil is enrolled at a school (then an undecided aanmelding gives no temporary enrolment)."""
    return lifecycle.enrolled(case.absence_kind, case.school_id is not None)


def step_facts(step: Step, today: date, terms: Terms, *, enrolled: bool = False) -> StepFacts:
    done = step_done(step, today, terms)
    return StepFacts(step=step, done=done, label=spec.STEP_LABELS[step.kind],
                     terms=step_terms(step, terms, enrolled=enrolled),
                     still_needed=() if done else still_needed(step.kind, step))


def _chain(case: Case, steps: list[StepFacts], missing: list[str]) -> list[ChainStage]:
    chain = []
    closed = case.status == lifecycle.CLOSED
    for kind in spec.STEP_KINDS:
        of_kind = [s for s in steps if s.step.kind == kind]
        unfinished = [s for s in of_kind if not s.done]
        label = spec.STEP_LABELS[kind]
        if of_kind and not unfinished:
            chain.append(ChainStage(kind, label, "done", "Afgerond"))
        elif closed and of_kind:
            chain.append(ChainStage(kind, label, "unfinished", "Niet afgerond toen de casus werd gesloten"))
        elif closed:
            chain.append(ChainStage(kind, label, "skipped", "Niet doorlopen"))
        elif of_kind:
            chain.append(ChainStage(kind, label, "open", "Loopt", unfinished[0].still_needed))
        elif kind == "interventieteam" and missing:
            chain.append(ChainStage(kind, label, "blocked", "Pas als de verplichte stappen hiervoor zijn afgerond",
                                    still_needed(kind)))
        elif kind == "geschillencommissie":
            chain.append(ChainStage(kind, label, "possible", "Optioneel, bij een geschil over toelating, "
                                                              "verwijdering of het OPP", still_needed(kind)))
        else:
            chain.append(ChainStage(kind, label, "possible", "Nog niet gestart", still_needed(kind)))
    return chain


def case_facts(case: Case, today: date, terms: Terms | None = None) -> CaseFacts:
    terms = terms or DEFAULT_TERMS
    enrolled = case_enrolled(case)
    steps = [step_facts(step, today, terms, enrolled=enrolled) for step in case.steps]
    missing = interventieteam_missing_steps(case.steps, today, terms)
    deadline = case.return_deadline
    advice = advise(case.steps, status=case.status, return_deadline=deadline, today=today, terms=terms)
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
        next_action=advice.text,
        interventieteam_missing=missing,
        advice=advice,
        counts_as_thuiszitter=lifecycle.counts_as_thuiszitter(
            status=case.status, absence_kind=case.absence_kind, out_of_school_since=case.out_of_school_since,
            on=today, terms=terms),
    )
