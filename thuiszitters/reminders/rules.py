"""When a reminder or alert is due: pure functions of a case's dates and ``today`` (DOMAIN.md, "Reminders and alerts").

Every reminder is identified by ``(case, rule, due_on)``; the sweep records that key once, so the functions here
only answer "which keys are due for this case today?". They never look at what was already sent.

Two kinds of rule:

* **Notices** (``halfway``, ``deadline_approaching``, ``aanmelding_due_soon``) announce something ahead of time.
  A notice missed while the scheduler was down is still sent, but only while its due date lies within the
  catch-up window (``catch_up_days``, default 30): a fresh install, or a case registered months late, does not
  get a flood of reminders about dates long past. A notice is also dropped once the event it announces has
  passed (the deadline or the decision term): a newer rule then speaks instead.
* **States** (``overdue``, ``aanmelding_undecided``, ``temporary_enrolment``, ``gpo_follow_up``, ``stale``)
  describe a situation that
  holds until someone acts. They are due however long ago they began, so a case registered late is overdue at
  once. The overdue alert repeats every ``overdue_repeat_weeks``; only the latest occurrence is due, because an
  alert about an earlier four-week period says nothing the current one does not.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from thuiszitters.escalation.terms import (
    DEFAULT_TERMS,
    Terms,
    aanmelding_decision_due_on,
    aanmelding_temporary_enrolment_from,
    gpo_follow_up_due_on,
)
from thuiszitters.text import format_date_nl

HALFWAY = "halfway"
DEADLINE_APPROACHING = "deadline_approaching"
OVERDUE = "overdue"
AANMELDING_DUE_SOON = "aanmelding_due_soon"
AANMELDING_UNDECIDED = "aanmelding_undecided"
TEMPORARY_ENROLMENT = "temporary_enrolment"
GPO_FOLLOW_UP = "gpo_follow_up"
STALE = "stale"

RULES = (HALFWAY, DEADLINE_APPROACHING, OVERDUE, AANMELDING_DUE_SOON, AANMELDING_UNDECIDED, TEMPORARY_ENROLMENT,
         GPO_FOLLOW_UP, STALE)
# Rules whose reminder also opens an alert for the leerplicht review queue: the return goal missed, and a school
# that let ten weeks pass without deciding on an aanmelding (the pupil may now claim temporary enrolment there).
# Each is a kind of alert (alerts.kinds, which names them; tests/unit/test_reminder_rules.py keeps the two equal).
ALERT_RULES = frozenset({OVERDUE, TEMPORARY_ENROLMENT})
# Rules that go to the leerplicht of the pupil's gemeente as well as the coordinator.
LEERPLICHT_RULES = frozenset({OVERDUE, TEMPORARY_ENROLMENT})

RULE_LABELS = {
    HALFWAY: "Halverwege de termijn: wat is het plan?",
    DEADLINE_APPROACHING: "De terugkeerdatum nadert",
    OVERDUE: "Terugkeerdoel niet gehaald",
    AANMELDING_DUE_SOON: "Beslistermijn aanmelding loopt bijna af",
    AANMELDING_UNDECIDED: "Beslistermijn aanmelding verstreken zonder besluit",
    TEMPORARY_ENROLMENT: "Tien weken geen besluit op de aanmelding: tijdelijke inschrijving",
    GPO_FOLLOW_UP: "Reactie schoolbestuur op oordeel Geschillencommissie ontbreekt",
    STALE: "Al twee weken geen activiteit",
}


@dataclass(frozen=True)
class Offsets:
    """The reminder offsets of config ``REMINDERS`` (weeks unless stated otherwise)."""

    halfway_weeks: int = 6
    deadline_approaching_weeks: int = 2
    overdue_repeat_weeks: int = 4
    aanmelding_before_due_weeks: int = 1
    stale_days: int = 14
    catch_up_days: int = 30

    @classmethod
    def from_config(cls, config: dict[str, int]) -> Offsets:
        return cls(**{k: int(v) for k, v in config.items() if k in cls.__dataclass_fields__})


DEFAULT_OFFSETS = Offsets()


@dataclass(frozen=True)
class Due:
    rule: str
    due_on: date


def _notice_due(due_on: date, today: date, offsets: Offsets, relevant_until: date | None = None) -> bool:
    if due_on > today or (today - due_on).days > offsets.catch_up_days:
        return False
    return relevant_until is None or today <= relevant_until


# --- Case-level rules ---------------------------------------------------------------------------------------


def halfway_on(out_of_school_since: date, offsets: Offsets = DEFAULT_OFFSETS) -> date:
    return out_of_school_since + timedelta(weeks=offsets.halfway_weeks)


def deadline_approaching_on(return_deadline: date, offsets: Offsets = DEFAULT_OFFSETS) -> date:
    return return_deadline - timedelta(weeks=offsets.deadline_approaching_weeks)


def first_overdue_on(return_deadline: date) -> date:
    """The day after the return deadline: on the deadline itself the goal can still be met."""
    return return_deadline + timedelta(days=1)


def current_overdue_on(return_deadline: date, today: date, offsets: Offsets = DEFAULT_OFFSETS) -> date | None:
    """The latest occurrence of the (repeating) overdue alert on or before today; None while not overdue."""
    first = first_overdue_on(return_deadline)
    if today < first:
        return None
    period = 7 * offsets.overdue_repeat_weeks
    return first + timedelta(days=period * ((today - first).days // period))


def stale_on(last_activity_on: date, offsets: Offsets = DEFAULT_OFFSETS) -> date:
    return last_activity_on + timedelta(days=offsets.stale_days)


def case_reminders_due(
    *,
    status: str,
    out_of_school_since: date,
    return_deadline: date,
    last_activity_on: date,
    today: date,
    offsets: Offsets = DEFAULT_OFFSETS,
) -> list[Due]:
    """The reminders about the case itself that are due today (the sweep skips those already recorded)."""
    if status != "open":
        return []
    due: list[Due] = []
    halfway = halfway_on(out_of_school_since, offsets)
    if _notice_due(halfway, today, offsets):
        due.append(Due(HALFWAY, halfway))
    approaching = deadline_approaching_on(return_deadline, offsets)
    if _notice_due(approaching, today, offsets, relevant_until=return_deadline):
        due.append(Due(DEADLINE_APPROACHING, approaching))
    overdue = current_overdue_on(return_deadline, today, offsets)
    if overdue is not None:
        due.append(Due(OVERDUE, overdue))
    stale = stale_on(last_activity_on, offsets)
    if stale <= today:
        due.append(Due(STALE, stale))
    return due


# --- Step-level rules ---------------------------------------------------------------------------------------


def aanmelding_reminders_due(
    step: object,
    today: date,
    offsets: Offsets = DEFAULT_OFFSETS,
    terms: Terms = DEFAULT_TERMS,
) -> list[Due]:
    """The zorgplicht term: a week before the school's decision is due, the day after it passed undecided, and
    the day after ten weeks passed undecided (the pupil may then claim temporary enrolment: an alert)."""
    if getattr(step, "decision", None) is not None or getattr(step, "received_on", None) is None:
        return []
    decision_due = aanmelding_decision_due_on(step, terms)
    due: list[Due] = []
    soon = decision_due - timedelta(weeks=offsets.aanmelding_before_due_weeks)
    if _notice_due(soon, today, offsets, relevant_until=decision_due):
        due.append(Due(AANMELDING_DUE_SOON, soon))
    passed = decision_due + timedelta(days=1)
    if passed <= today:
        due.append(Due(AANMELDING_UNDECIDED, passed))
    entitled_from = aanmelding_temporary_enrolment_from(step, terms)
    # A decision on the tenth week's last day is still in time: the alert is due the day after.
    if entitled_from is not None and entitled_from + timedelta(days=1) <= today:
        due.append(Due(TEMPORARY_ENROLMENT, entitled_from + timedelta(days=1)))
    return due


def gpo_reminders_due(
    step: object,
    today: date,
    terms: Terms = DEFAULT_TERMS,
) -> list[Due]:
    """The school board's reaction to the oordeel is due and not recorded: ask for it (on the due date)."""
    if getattr(step, "follow_up", None) is not None:
        return []
    follow_up_due = gpo_follow_up_due_on(step, terms)
    if follow_up_due is None or follow_up_due > today:
        return []
    return [Due(GPO_FOLLOW_UP, follow_up_due)]


def reminders_due(
    *,
    status: str,
    out_of_school_since: date,
    return_deadline: date,
    last_activity_on: date,
    steps: Iterable[object],
    today: date,
    offsets: Offsets = DEFAULT_OFFSETS,
    terms: Terms = DEFAULT_TERMS,
) -> list[Due]:
    """Every reminder due for one case today, without duplicates, in a stable order."""
    due = case_reminders_due(status=status, out_of_school_since=out_of_school_since,
                             return_deadline=return_deadline, last_activity_on=last_activity_on, today=today,
                             offsets=offsets)
    if status == "open":
        for step in steps:
            kind = getattr(step, "kind", None)
            if kind == "aanmelding":
                due.extend(aanmelding_reminders_due(step, today, offsets, terms))
            elif kind == "geschillencommissie":
                due.extend(gpo_reminders_due(step, today, terms))
    unique = sorted(set(due), key=lambda d: (d.due_on, RULES.index(d.rule)))
    return unique


# --- Mail and notification text (no names, no BSN: the reference and a link only) ---------------------------


def message_text(rule: str, reference: str, due_on: date, return_deadline: date) -> str:
    """One Dutch sentence for the notification and the mail; it names the case by its reference only."""
    d = format_date_nl
    texts = {
        HALFWAY: f"Casus {reference} is halverwege de termijn van drie maanden. Wat is het plan voor terugkeer "
                 f"vóór {d(return_deadline)}?",
        DEADLINE_APPROACHING: f"De terugkeerdatum van casus {reference} is {d(return_deadline)}: nog twee weken.",
        OVERDUE: f"Casus {reference} heeft het terugkeerdoel ({d(return_deadline)}) niet gehaald. "
                 f"De leerplichtambtenaar beoordeelt het signaal.",
        AANMELDING_DUE_SOON: f"De beslistermijn van de school op de aanmelding in casus {reference} loopt over "
                             f"een week af.",
        AANMELDING_UNDECIDED: f"De school heeft in casus {reference} niet binnen de beslistermijn op de "
                              f"aanmelding besloten; de leerling heeft mogelijk recht op tijdelijke inschrijving.",
        TEMPORARY_ENROLMENT: f"De school heeft in casus {reference} tien weken na ontvangst nog niet op de "
                             f"aanmelding besloten. De leerling heeft recht op tijdelijke inschrijving op die school; "
                             f"de leerplichtambtenaar beoordeelt het signaal.",
        GPO_FOLLOW_UP: f"Het schoolbestuur had in casus {reference} uiterlijk {d(due_on)} moeten laten weten wat "
                       f"het met het oordeel van de Geschillencommissie doet. Vraag om een reactie.",
        STALE: f"In casus {reference} is al twee weken niets vastgelegd.",
    }
    return texts[rule]
