"""When a reminder or alert is due: pure functions of a case's dates and ``today`` (DOMAIN.md, "Reminders and alerts").

Every reminder is identified by ``(case, rule, due_on)``; the sweep records that key once, so the functions here
only answer "which keys are due for this case today?". They never look at what was already sent.

Two kinds of rule:

* **Notices** (``halfway``, ``deadline_approaching``, ``aanmelding_due_soon``) announce something ahead of time.
* **States** (``overdue``, ``aanmelding_undecided``, ``temporary_enrolment``, ``aanmelding_ten_weeks``,
  ``gpo_follow_up``, ``stale``) describe a situation that holds until someone acts. The overdue alert repeats every
  ``overdue_repeat_weeks``; only the latest occurrence is due, because an alert about an earlier four-week period
  says nothing the current one does not.

**Missed.** A reminder found more than ``catch_up_days`` (default 30) after its due date, or a notice whose event
has passed (the deadline, the decision term), is due as *missed*: the sweep records it, the case shows it, and
nobody is mailed (a fresh install or a case registered months late does not send a flood about dates long gone).
Alerts are never missed: an overdue or temporary-enrolment alert always opens, however late.

Signals (no first day out of school) get no reminders about the return goal. A ``vrijstelling_5a`` case gets the
coordinator's reminders, but its overdue alert does not go to the leerplicht queue: there is nothing to enforce.
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
AANMELDING_TEN_WEEKS = "aanmelding_ten_weeks"
GPO_FOLLOW_UP = "gpo_follow_up"
STALE = "stale"

# An open action of the plan van aanpak due today: its owner (a user) is reminded once, on the day. Not one of the
# case rules below (it is about the case's actions, swept by reminders.services.send_action_reminders).
ACTION_DUE = "action_due"

RULES = (HALFWAY, DEADLINE_APPROACHING, OVERDUE, AANMELDING_DUE_SOON, AANMELDING_UNDECIDED, TEMPORARY_ENROLMENT,
         AANMELDING_TEN_WEEKS, GPO_FOLLOW_UP, STALE)
# Rules whose reminder also opens an alert for the leerplicht review queue (and goes to the leerplicht of the
# pupil's gemeente as well as the coordinator): the return goal missed, and a school that let ten weeks pass
# without deciding on the aanmelding of a pupil enrolled nowhere (who may now claim temporary enrolment there).
# For a pupil enrolled elsewhere those ten weeks are ``aanmelding_ten_weeks``, a coordinator reminder.
ALERT_RULES = frozenset({OVERDUE, TEMPORARY_ENROLMENT})
LEERPLICHT_RULES = ALERT_RULES
# Rules that only concern the return goal: a signal has none.
RETURN_GOAL_RULES = frozenset({HALFWAY, DEADLINE_APPROACHING, OVERDUE})
# No leerplicht enforcement for an exemption: its overdue reminder stays with the coordinator.
_NO_ENFORCEMENT = "vrijstelling_5a"

RULE_LABELS = {
    HALFWAY: "Halverwege de termijn: wat is het plan?",
    DEADLINE_APPROACHING: "De terugkeerdatum nadert",
    OVERDUE: "Terugkeerdoel niet gehaald",
    AANMELDING_DUE_SOON: "Beslistermijn aanmelding loopt bijna af",
    AANMELDING_UNDECIDED: "Beslistermijn aanmelding verstreken zonder besluit",
    TEMPORARY_ENROLMENT: "Tien weken geen besluit op de aanmelding: tijdelijke inschrijving",
    AANMELDING_TEN_WEEKS: "Tien weken geen besluit op de aanmelding",
    GPO_FOLLOW_UP: "Reactie schoolbestuur op oordeel Geschillencommissie ontbreekt",
    STALE: "Al twee weken geen activiteit",
    ACTION_DUE: "Een actie van u moet vandaag af",
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
    """A reminder due today; ``missed``: record it (the case shows it) but send nothing."""

    rule: str
    due_on: date
    missed: bool = False


def for_leerplicht(rule: str, absence_kind: str | None) -> bool:
    """Whether the rule's reminder also goes to the leerplicht of the gemeente and opens an alert in their queue.

    Not the overdue reminder of a ``vrijstelling_5a`` case: with an exemption there is nothing to enforce.
    """
    return rule in ALERT_RULES and not (rule == OVERDUE and absence_kind == _NO_ENFORCEMENT)


def _due(rule: str, due_on: date, today: date, offsets: Offsets, relevant_until: date | None = None) -> Due | None:
    """The reminder if it is due by ``today``; missed when found too late, or when the event it announces passed."""
    if due_on > today:
        return None
    late = (today - due_on).days > offsets.catch_up_days
    passed = relevant_until is not None and today > relevant_until
    return Due(rule, due_on, missed=(late or passed) and rule not in ALERT_RULES)


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
    out_of_school_since: date | None,
    return_deadline: date | None,
    last_activity_on: date,
    today: date,
    offsets: Offsets = DEFAULT_OFFSETS,
) -> list[Due]:
    """The reminders about the case itself that are due today (the sweep skips those already recorded).

    An open case gets the return-goal rules and ``stale``; a signal (no first day out of school) only ``stale``.
    """
    if status not in ("open", "signaal"):
        return []
    found: list[Due | None] = []
    if status == "open" and out_of_school_since is not None and return_deadline is not None:
        found.append(_due(HALFWAY, halfway_on(out_of_school_since, offsets), today, offsets,
                          relevant_until=return_deadline))
        found.append(_due(DEADLINE_APPROACHING, deadline_approaching_on(return_deadline, offsets), today, offsets,
                          relevant_until=return_deadline))
        overdue = current_overdue_on(return_deadline, today, offsets)
        if overdue is not None:
            found.append(Due(OVERDUE, overdue))
    found.append(_due(STALE, stale_on(last_activity_on, offsets), today, offsets))
    return [due for due in found if due is not None]


# --- Step-level rules ---------------------------------------------------------------------------------------


def aanmelding_reminders_due(
    step: object,
    today: date,
    offsets: Offsets = DEFAULT_OFFSETS,
    terms: Terms = DEFAULT_TERMS,
    *,
    enrolled: bool = False,
) -> list[Due]:
    """The zorgplicht term: a week before the school's decision is due, the day after it passed undecided, and
    the day after ten weeks passed undecided: for a pupil enrolled nowhere an alert (temporary enrolment), for a
    pupil enrolled elsewhere a coordinator reminder."""
    if getattr(step, "decision", None) is not None or getattr(step, "received_on", None) is None:
        return []
    decision_due = aanmelding_decision_due_on(step, terms)
    found = [
        _due(AANMELDING_DUE_SOON, decision_due - timedelta(weeks=offsets.aanmelding_before_due_weeks), today,
             offsets, relevant_until=decision_due),
        _due(AANMELDING_UNDECIDED, decision_due + timedelta(days=1), today, offsets),
    ]
    entitled_from = aanmelding_temporary_enrolment_from(step, terms)
    # A decision on the tenth week's last day is still in time: the reminder is due the day after.
    if entitled_from is not None:
        rule = AANMELDING_TEN_WEEKS if enrolled else TEMPORARY_ENROLMENT
        found.append(_due(rule, entitled_from + timedelta(days=1), today, offsets))
    return [due for due in found if due is not None]


def gpo_reminders_due(
    step: object,
    today: date,
    terms: Terms = DEFAULT_TERMS,
    offsets: Offsets = DEFAULT_OFFSETS,
) -> list[Due]:
    """The school board's reaction to the oordeel is due and not recorded: ask for it (on the due date)."""
    if getattr(step, "follow_up", None) is not None:
        return []
    follow_up_due = gpo_follow_up_due_on(step, terms)
    if follow_up_due is None:
        return []
    due = _due(GPO_FOLLOW_UP, follow_up_due, today, offsets)
    return [due] if due is not None else []


def reminders_due(
    *,
    status: str,
    out_of_school_since: date | None,
    return_deadline: date | None,
    last_activity_on: date,
    steps: Iterable[object],
    today: date,
    offsets: Offsets = DEFAULT_OFFSETS,
    terms: Terms = DEFAULT_TERMS,
    enrolled: bool = False,
) -> list[Due]:
    """Every reminder due for one case today, without duplicates, in a stable order."""
    due = case_reminders_due(status=status, out_of_school_since=out_of_school_since,
                             return_deadline=return_deadline, last_activity_on=last_activity_on, today=today,
                             offsets=offsets)
    if status in ("open", "signaal"):
        for step in steps:
            kind = getattr(step, "kind", None)
            if kind == "aanmelding":
                due.extend(aanmelding_reminders_due(step, today, offsets, terms, enrolled=enrolled))
            elif kind == "geschillencommissie":
                due.extend(gpo_reminders_due(step, today, terms, offsets))
    unique = sorted(set(due), key=lambda d: (d.due_on, RULES.index(d.rule)))
    return unique


# --- Mail and notification text (no names, no BSN: the reference and a link only) ---------------------------


def action_message_text(reference: str, count: int) -> str:
    """The in-app notification about the user's actions due today in one case (by its reference only)."""
    what = "Een actie" if count == 1 else f"{count} acties"
    return f"{what} van u in casus {reference} {'moet' if count == 1 else 'moeten'} vandaag af zijn."


ACTION_MAIL_TEXT = ("Een actie die u op zich nam in het plan van aanpak van een casus, moet vandaag af zijn. "
                    "Bekijk de casus via de link hieronder.")


def message_text(rule: str, reference: str, due_on: date, return_deadline: date | None) -> str:
    """One Dutch sentence for the notification and the mail; it names the case by its reference only."""

    def d(value: date | None) -> str:
        return format_date_nl(value) if value is not None else "onbekend"

    texts = {
        HALFWAY: f"Casus {reference} is halverwege de termijn van drie maanden. Wat is het plan voor terugkeer "
                 f"vóór {d(return_deadline)}?",
        DEADLINE_APPROACHING: f"De terugkeerdatum van casus {reference} is {d(return_deadline)}: nog twee weken.",
        OVERDUE: f"Casus {reference} heeft het terugkeerdoel ({d(return_deadline)}) niet gehaald. "
                 f"De leerplichtambtenaar beoordeelt het signaal.",
        AANMELDING_DUE_SOON: f"De beslistermijn van de school op de aanmelding in casus {reference} loopt over "
                             f"een week af.",
        # Not a word about temporary enrolment: that right starts only at ten weeks (DOMAIN.md).
        AANMELDING_UNDECIDED: f"De school heeft in casus {reference} niet binnen de beslistermijn op de "
                              f"aanmelding besloten. Vraag de school om het besluit.",
        TEMPORARY_ENROLMENT: f"De school heeft in casus {reference} tien weken na ontvangst nog niet op de "
                             f"aanmelding besloten. De leerling staat nergens ingeschreven en heeft recht op "
                             f"tijdelijke inschrijving op die school; de leerplichtambtenaar beoordeelt het signaal.",
        AANMELDING_TEN_WEEKS: f"De school heeft in casus {reference} tien weken na ontvangst nog niet op de "
                              f"aanmelding besloten. De leerling staat op een andere school ingeschreven; spreek de "
                              f"school aan op haar zorgplicht.",
        GPO_FOLLOW_UP: f"Het schoolbestuur had in casus {reference} uiterlijk {d(due_on)} moeten laten weten wat "
                       f"het met het oordeel van de Geschillencommissie doet. Vraag om een reactie.",
        STALE: f"In casus {reference} is al twee weken niets vastgelegd.",
    }
    return texts[rule]
