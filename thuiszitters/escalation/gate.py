"""Progress through the chain: when a step is done, the interventieteam gate, the order of the steps, the stage.

"A step is done" is declared per kind in ``spec`` (``StepKind.done``) and evaluated only here: the gate and the
case page ask :func:`step_done` (done by ``today``), the inspectie export asks :func:`done_on` (since when).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from thuiszitters.escalation import spec
from thuiszitters.escalation._read import date_value, kind_of, value
from thuiszitters.escalation.terms import DEFAULT_TERMS, Terms, term_on


def _required_values(kind: spec.StepKind) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """``Done.requires`` as (field, the codes that count or None for any value): a choice counts only with one of
    its codes."""
    return tuple(
        (name, field.type.values if isinstance(field.type, spec.Choice) else None)
        for name in kind.done.requires
        for field in (kind.get(name),)
    )


# Looked up once: the export asks for every step of every case.
_REQUIRES = {kind.name: _required_values(kind) for kind in spec.KINDS}


def recorded_done_on(step: object) -> date | None:
    """The date the step was recorded as done (the earliest of its ``Done.on`` dates, once ``Done.requires`` is
    recorded); None while it is not, or for an unknown kind."""
    name = kind_of(step)
    kind = spec.KIND.get(name or "")
    if kind is None:
        return None
    for field, codes in _REQUIRES[kind.name]:
        found = value(step, field)
        if found is None or found == "" or (codes is not None and found not in codes):
            return None
    return min((d for field in kind.done.on if (d := date_value(step, field)) is not None), default=None)


def still_needed(kind_name: str, step: object | None = None) -> tuple[str, ...]:
    """What must still be recorded before a step of ``kind_name`` counts as done (``StepKind.done``), as the
    fields' labels in form order: each missing ``requires`` field, then the ``on`` dates joined by "of" when none
    is recorded. Without a step: everything it takes. Empty once the step is recorded as done (a lapse, which
    needs nothing recorded, is not counted here)."""
    kind = spec.KIND[kind_name]
    needed = [kind.get(name).label for name, codes in _REQUIRES[kind_name]
              if step is None or (found := value(step, name)) is None or found == ""
              or (codes is not None and found not in codes)]
    if step is None or all(date_value(step, name) is None for name in kind.done.on):
        dates = [kind.get(name).label for name in kind.done.on]
        needed.append(" of ".join([dates[0], *(d[0].lower() + d[1:] for d in dates[1:])]))
    return tuple(needed)


def lapsed_on(step: object, terms: Terms = DEFAULT_TERMS) -> date | None:
    """The day after the term in ``Done.lapses_after`` ended, from which the step counts as done without being
    recorded as such; None for kinds without such a term or while the term cannot be counted."""
    kind = spec.KIND.get(kind_of(step) or "")
    if kind is None or kind.done.lapses_after is None:
        return None
    due = term_on(step, kind.done.lapses_after, terms)
    return due + timedelta(days=1) if due is not None else None


def done_on(step: object, terms: Terms = DEFAULT_TERMS) -> date | None:
    """The date a step became done (recorded, or else lapsed); None while it cannot become done.

    May lie after today for a lapse still to come: compare with the day you ask about.
    """
    recorded = recorded_done_on(step)
    return recorded if recorded is not None else lapsed_on(step, terms)


def step_done(step: object, today: date, terms: Terms = DEFAULT_TERMS) -> bool:
    """Whether a step has run its course (DOMAIN.md), which is what the interventieteam gate counts.

    An aanmelding is also done when the decision term passed without a decision: the school's silence must not
    block the chain, the pupil then has a right to temporary enrolment instead.
    """
    if recorded_done_on(step) is not None:
        return True
    lapsed = lapsed_on(step, terms)
    return lapsed is not None and today >= lapsed


def interventieteam_missing_steps(
    steps: Iterable[object], today: date, terms: Terms = DEFAULT_TERMS
) -> list[str]:
    """The step kinds that keep the interventieteam gate shut, in chain order; empty means it may be called.

    Seed 004 §1.4: the interventieteam is a last resort, only after the written aanmelding, the swv and a
    consulent (and any GPO procedure that was started) have run their course. There is no override.
    """
    steps = list(steps)
    missing = [
        kind
        for kind in spec.MANDATORY_STEP_KINDS
        if not any(kind_of(s) == kind and step_done(s, today, terms) for s in steps)
    ]
    if any(kind_of(s) == "geschillencommissie" and not step_done(s, today, terms) for s in steps):
        missing.append("geschillencommissie")
    return missing


def missing_predecessors(kind: str, steps: Iterable[object]) -> list[str]:
    """The mandatory earlier kinds with no step at all, in chain order: recording ``kind`` is out of order.

    Real cases skip ahead (a consulent before the swv is involved), so this does not refuse; it makes the case
    ask for an ``out_of_order_reason`` and show a warning. The GPO is optional and therefore never required.
    Raises ``ValueError`` for an unknown kind, which is a programming error here (forms validate kinds first).
    """
    if kind not in spec.STEP_KINDS:
        raise ValueError(f"unknown step kind: {kind!r}")
    present = {kind_of(s) for s in steps}
    position = spec.STEP_KINDS.index(kind)
    return [k for k in spec.MANDATORY_STEP_KINDS if spec.STEP_KINDS.index(k) < position and k not in present]


def stage(steps: Iterable[object]) -> str | None:
    """The furthest kind reached in chain order (not the latest recorded), for the case list and funnel."""
    positions = [spec.STEP_KINDS.index(k) for k in (kind_of(s) for s in steps) if k in spec.STEP_KINDS]
    return spec.STEP_KINDS[max(positions)] if positions else None


def stage_label(kind: str | None) -> str:
    """The Dutch label of a step kind (a case's stage); "Nog geen stap" before the first step."""
    if kind is None:
        return "Nog geen stap"
    return spec.STEP_LABELS.get(kind, kind)
