"""The terms of a case: the return goal, the aanmelding's decision term and the GPO terms.

Every case states its own dates; nothing here depends on the real date.
"""

from datetime import date

import pytest

from tests.step_examples import D, make
from thuiszitters.escalation import terms
from thuiszitters.escalation.terms import Terms

# --- Return goal --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("out_of_school_since", "deadline"),
    [
        (D(2025, 8, 31), D(2025, 11, 30)),  # 30 November has no 31st
        (D(2023, 11, 30), D(2024, 2, 29)),  # into a leap February
        (D(2024, 11, 30), D(2025, 2, 28)),  # into a common February
        (D(2024, 2, 29), D(2024, 5, 29)),
        (D(2025, 5, 31), D(2025, 8, 31)),
        (D(2025, 1, 15), D(2025, 4, 15)),
        (D(2025, 10, 31), D(2026, 1, 31)),  # across the year end
    ],
)
def test_return_deadline_is_three_calendar_months(out_of_school_since: date, deadline: date) -> None:
    assert terms.return_deadline(out_of_school_since) == deadline


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        ("open", D(2025, 11, 29), False),
        ("open", D(2025, 11, 30), False),  # the deadline day itself: still in time
        ("open", D(2025, 12, 1), True),
        ("closed", D(2025, 12, 1), False),  # a closed case is never overdue
    ],
)
def test_is_overdue_only_after_the_deadline_day(status: str, today: date, overdue: bool) -> None:
    assert terms.is_overdue(status, D(2025, 11, 30), today) is overdue


@pytest.mark.parametrize(
    ("since", "today", "offer_started_on", "days"),
    [
        (D(2025, 9, 1), D(2025, 9, 1), None, 0),
        (D(2025, 9, 1), D(2025, 9, 30), None, 29),
        (D(2024, 2, 1), D(2024, 3, 1), None, 29),  # leap year February
        (D(2025, 9, 1), D(2026, 1, 1), D(2025, 10, 1), 30),  # closed: counts until the offer, not today
        (D(2025, 9, 10), D(2025, 9, 1), None, 0),  # registered ahead of the first day
        (D(2025, 9, 10), D(2025, 9, 20), D(2025, 9, 5), 0),  # offer dated before: never negative
    ],
)
def test_days_out_of_school(since: date, today: date, offer_started_on: date | None, days: int) -> None:
    assert terms.days_out_of_school(since, today, offer_started_on) == days


@pytest.mark.parametrize(
    ("offer_started_on", "met"),
    [
        (None, None),
        (D(2025, 11, 1), True),
        (D(2025, 11, 30), True),  # starting on the deadline day meets the goal
        (D(2025, 12, 1), False),
    ],
)
def test_goal_met(offer_started_on: date | None, met: bool | None) -> None:
    assert terms.goal_met(D(2025, 11, 30), offer_started_on) is met


# --- Aanmelding and GPO terms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "due"),
    [
        ({}, D(2025, 10, 13)),  # 6 weeks
        ({"extended_on": D(2025, 10, 1), "extension_weeks": 2}, D(2025, 10, 27)),
        ({"extended_on": D(2025, 10, 1), "extension_weeks": 4}, D(2025, 11, 10)),
        ({"extended_on": D(2025, 10, 1)}, D(2025, 11, 10)),  # no length given: the maximum of 4 weeks
        (
            {"extension_weeks": 3},
            D(2025, 10, 13),
        ),  # weeks without the school telling the parents: no extension
    ],
)
def test_aanmelding_decision_due_on(fields: dict, due: date) -> None:
    step = make("aanmelding", received_on=D(2025, 9, 1), **fields)
    assert terms.aanmelding_decision_due_on(step) == due


def test_aanmelding_decision_due_on_follows_configured_terms() -> None:
    step = make("aanmelding", received_on=D(2025, 9, 1))
    assert terms.aanmelding_decision_due_on(step, Terms(decision_weeks=8)) == D(2025, 10, 27)


@pytest.mark.parametrize(
    ("fields", "entitled_from"),
    [
        ({}, D(2025, 11, 10)),
        ({"decision": "afgewezen", "decided_on": D(2025, 10, 6)}, None),
        ({"decision": "toegelaten", "decided_on": D(2025, 11, 10)}, None),  # on the last day: in time
        ({"decision": "toegelaten", "decided_on": D(2025, 11, 11)}, D(2025, 11, 10)),  # too late
    ],
)
def test_aanmelding_temporary_enrolment_from(fields: dict, entitled_from: date | None) -> None:
    step = make("aanmelding", received_on=D(2025, 9, 1), **fields)
    assert terms.aanmelding_temporary_enrolment_from(step) == entitled_from


@pytest.mark.parametrize(
    ("fields", "filing_due", "verdict_due", "follow_up_due"),
    [
        ({}, None, None, None),
        ({"school_decision_on": D(2025, 9, 1)}, D(2025, 10, 13), None, None),
        ({"filed_on": D(2025, 9, 8)}, None, D(2025, 11, 17), None),
        (
            {"filed_on": D(2025, 9, 8), "verdict": "ongegrond", "verdict_on": D(2025, 11, 3)},
            None,
            D(2025, 11, 17),
            D(2025, 12, 8),
        ),
        (
            {"filed_on": D(2025, 9, 8), "verdict": "ingetrokken", "verdict_on": D(2025, 10, 1)},
            None,
            D(2025, 11, 17),
            None,
        ),  # nothing to follow up after a withdrawal
    ],
)
def test_gpo_due_dates(fields: dict, filing_due, verdict_due, follow_up_due) -> None:
    step = make("geschillencommissie", subject="toelating", **fields)
    assert terms.gpo_filing_due_on(step) == filing_due
    assert terms.gpo_verdict_due_on(step) == verdict_due
    assert terms.gpo_follow_up_due_on(step) == follow_up_due


def test_next_deadline_is_the_soonest_term_still_waiting_or_the_return_goal() -> None:
    from tests.step_examples import make
    from thuiszitters.escalation.terms import RETURN_GOAL_LABEL, Deadline, next_deadline

    today = date(2025, 10, 1)
    waiting = make("aanmelding", received_on=date(2025, 9, 22))  # decided by 03-11-2025
    decided = make("aanmelding", received_on=date(2025, 9, 22), decision="afgewezen",
                   decided_on=date(2025, 9, 30))
    goal = date(2025, 12, 15)
    assert next_deadline([waiting], status="open", return_deadline=goal, today=today) == \
        Deadline(date(2025, 11, 3), "Besluit uiterlijk")
    assert next_deadline([decided], status="open", return_deadline=goal, today=today) == \
        Deadline(goal, RETURN_GOAL_LABEL)
    # A passed return goal is no "next" deadline; a closed case has none; a signal has only its steps' terms.
    assert next_deadline([decided], status="open", return_deadline=date(2025, 9, 1), today=today) is None
    assert next_deadline([waiting], status="closed", return_deadline=goal, today=today) is None
    assert next_deadline([waiting], status="signaal", return_deadline=None, today=today).on == date(2025, 11, 3)
