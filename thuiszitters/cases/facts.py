"""What the rules say about one case today: the computed view shared by pages, API, PDF and mails."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from thuiszitters.cases import rules
from thuiszitters.cases.models import Case, Step


@dataclass(frozen=True)
class StepFacts:
    step: Step
    done: bool
    label: str
    # Computed terms (None where they do not apply).
    decision_due_on: date | None = None
    temporary_enrolment_from: date | None = None
    filing_due_on: date | None = None
    verdict_due_on: date | None = None
    follow_up_due_on: date | None = None


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
    warnings: list[rules.Warning]
    next_action: str
    interventieteam_missing: list[str]


def step_facts(step: Step, today: date, terms: rules.Terms) -> StepFacts:
    extra: dict[str, date | None] = {}
    if step.kind == "aanmelding" and step.received_on:
        extra["decision_due_on"] = rules.aanmelding_decision_due_on(step, terms)
        extra["temporary_enrolment_from"] = rules.aanmelding_temporary_enrolment_from(step, terms)
    elif step.kind == "geschillencommissie":
        extra["filing_due_on"] = rules.gpo_filing_due_on(step, terms)
        extra["verdict_due_on"] = rules.gpo_verdict_due_on(step, terms)
        extra["follow_up_due_on"] = rules.gpo_follow_up_due_on(step, terms)
    return StepFacts(step=step, done=rules.step_done(step, today, terms), label=rules.STEP_LABELS[step.kind],
                     **extra)


def _chain(case: Case, steps: list[StepFacts], missing: list[str]) -> list[ChainStage]:
    chain = []
    for kind in rules.STEP_KINDS:
        of_kind = [s for s in steps if s.step.kind == kind]
        label = rules.STEP_LABELS[kind]
        if of_kind and all(s.done for s in of_kind):
            chain.append(ChainStage(kind, label, "done", "Afgerond"))
        elif of_kind:
            chain.append(ChainStage(kind, label, "open", "Loopt"))
        elif case.status == "closed":
            chain.append(ChainStage(kind, label, "blocked", "De casus is gesloten"))
        elif kind == "interventieteam" and missing:
            names = ", ".join(rules.STEP_LABELS[m].lower() for m in missing)
            chain.append(ChainStage(kind, label, "blocked", f"Nog niet mogelijk: eerst afronden: {names}"))
        elif kind == "geschillencommissie":
            chain.append(ChainStage(kind, label, "possible", "Optioneel, bij een geschil over toelating, "
                                                              "verwijdering of het OPP"))
        else:
            chain.append(ChainStage(kind, label, "possible", "Nog niet gestart"))
    return chain


def case_facts(case: Case, today: date, terms: rules.Terms | None = None) -> CaseFacts:
    terms = terms or rules.DEFAULT_TERMS
    steps = [step_facts(step, today, terms) for step in case.steps]
    missing = rules.interventieteam_missing_steps(case.steps, today, terms)
    end = case.offer_started_on if case.status == "closed" else None
    return CaseFacts(
        return_deadline=case.return_deadline,
        days_out_of_school=rules.days_out_of_school(case.out_of_school_since, today, end),
        days_left=(case.return_deadline - today).days,
        overdue=rules.is_overdue(case.status, case.return_deadline, today),
        goal_met=rules.goal_met(case.return_deadline, case.offer_started_on) if case.status == "closed" else None,
        stage=case.stage,
        steps=steps,
        chain=_chain(case, steps, missing),
        warnings=rules.case_warnings(case.steps, status=case.status, return_deadline=case.return_deadline,
                                     today=today, terms=terms),
        next_action=rules.next_action(case.steps, status=case.status, return_deadline=case.return_deadline,
                                      today=today, terms=terms),
        interventieteam_missing=missing,
    )
