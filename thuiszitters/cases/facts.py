"""What the rules say about one case today: the computed view shared by pages, API, PDF and mails."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from thuiszitters.cases.models import Case, Step
from thuiszitters.escalation import spec
from thuiszitters.escalation.advice import Warning, case_warnings, next_action
from thuiszitters.escalation.gate import interventieteam_missing_steps, step_done
from thuiszitters.escalation.terms import DEFAULT_TERMS, Terms, days_out_of_school, goal_met, is_overdue, step_terms


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
    return_deadline: date
    days_out_of_school: int
    days_left: int
    overdue: bool
    goal_met: bool | None
    stage: str | None
    steps: list[StepFacts]
    chain: list[ChainStage]
    warnings: list[Warning]
    next_action: str
    interventieteam_missing: list[str]


def step_facts(step: Step, today: date, terms: Terms) -> StepFacts:
    return StepFacts(step=step, done=step_done(step, today, terms), label=spec.STEP_LABELS[step.kind],
                     terms=step_terms(step, terms))


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
    steps = [step_facts(step, today, terms) for step in case.steps]
    missing = interventieteam_missing_steps(case.steps, today, terms)
    end = case.offer_started_on if case.status == "closed" else None
    return CaseFacts(
        return_deadline=case.return_deadline,
        days_out_of_school=days_out_of_school(case.out_of_school_since, today, end),
        days_left=(case.return_deadline - today).days,
        overdue=is_overdue(case.status, case.return_deadline, today),
        goal_met=goal_met(case.return_deadline, case.offer_started_on) if case.status == "closed" else None,
        stage=case.stage,
        steps=steps,
        chain=_chain(case, steps, missing),
        warnings=case_warnings(case.steps, status=case.status, return_deadline=case.return_deadline,
                               today=today, terms=terms),
        next_action=next_action(case.steps, status=case.status, return_deadline=case.return_deadline,
                                today=today, terms=terms),
        interventieteam_missing=missing,
    )
