"""The reminder rules as pure functions: which (rule, due date) pairs are due for a case today."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from thuiszitters.alerts.kinds import ALERT_KIND_LABELS
from thuiszitters.reminders import rules
from thuiszitters.reminders.rules import Due, Offsets


def _due(today: date, *, since: date = date(2026, 3, 2), activity: date | None = None, status: str = "open",
         steps=(), offsets: Offsets = rules.DEFAULT_OFFSETS) -> list[Due]:
    from thuiszitters.escalation.terms import return_deadline

    return rules.reminders_due(status=status, out_of_school_since=since, return_deadline=return_deadline(since),
                               last_activity_on=activity or today, steps=steps, today=today, offsets=offsets)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 4, 12), []),
    (date(2026, 4, 13), [Due("halfway", date(2026, 4, 13))]),
    (date(2026, 5, 12), [Due("halfway", date(2026, 4, 13))]),  # 29 days late: still caught up
    (date(2026, 5, 19), [Due("deadline_approaching", date(2026, 5, 19))]),  # halfway now past the window
    (date(2026, 6, 2), [Due("deadline_approaching", date(2026, 5, 19))]),  # the deadline day itself
    (date(2026, 6, 3), [Due("overdue", date(2026, 6, 3))]),  # approaching dropped: the deadline passed
    (date(2026, 6, 30), [Due("overdue", date(2026, 6, 3))]),
    (date(2026, 7, 1), [Due("overdue", date(2026, 7, 1))]),  # repeated after four weeks
    (date(2027, 1, 1), [Due("overdue", date(2026, 12, 16))]),  # only the latest occurrence
])
def test_case_rules_by_day(today, expected):
    assert _due(today) == expected


def test_closed_cases_have_nothing_due():
    assert _due(date(2026, 7, 1), status="closed", activity=date(2026, 1, 1)) == []


def test_stale_is_due_fourteen_days_after_the_last_activity_however_long_ago():
    assert Due("stale", date(2026, 3, 16)) in _due(date(2026, 3, 16), activity=date(2026, 3, 2))
    assert Due("stale", date(2026, 3, 16)) in _due(date(2026, 9, 1), activity=date(2026, 3, 2))
    assert not [d for d in _due(date(2026, 3, 15), activity=date(2026, 3, 2)) if d.rule == "stale"]


def test_the_return_deadline_clips_to_the_end_of_february():
    # 30 Nov + 3 months = 28 Feb 2027; overdue from 1 March.
    assert _due(date(2027, 3, 1), since=date(2026, 11, 30)) == [Due("overdue", date(2027, 3, 1))]
    assert [d.rule for d in _due(date(2027, 2, 28), since=date(2026, 11, 30))] == ["deadline_approaching"]


def test_aanmelding_term_with_extension_and_decision():
    step = SimpleNamespace(kind="aanmelding", received_on=date(2026, 9, 7), extended_on=date(2026, 10, 1),
                           extension_weeks=2, decision=None, decided_on=None)
    # Due 7 Sep + 8 weeks = 2 Nov: a week before on 26 Oct, undecided from 3 Nov.
    assert rules.aanmelding_reminders_due(step, date(2026, 10, 26)) == [Due("aanmelding_due_soon", date(2026, 10, 26))]
    assert rules.aanmelding_reminders_due(step, date(2026, 11, 3)) == [Due("aanmelding_undecided", date(2026, 11, 3))]
    step.decision, step.decided_on = "toegelaten", date(2026, 10, 30)
    assert rules.aanmelding_reminders_due(step, date(2026, 11, 3)) == []


def test_ten_weeks_without_a_decision_raises_the_temporary_enrolment_alert_the_day_after():
    step = SimpleNamespace(kind="aanmelding", received_on=date(2026, 8, 31), extended_on=None, extension_weeks=None,
                           decision=None, decided_on=None)
    # 31 Aug + 10 weeks = 9 Nov: a decision that day is still in time; from 10 Nov the pupil may claim enrolment.
    assert "temporary_enrolment" not in {d.rule for d in rules.aanmelding_reminders_due(step, date(2026, 11, 9))}
    assert Due("temporary_enrolment", date(2026, 11, 10)) in rules.aanmelding_reminders_due(step, date(2026, 11, 10))
    # A state: still due (with the same key, so sent once) when the sweep first runs weeks later.
    assert Due("temporary_enrolment", date(2026, 11, 10)) in rules.aanmelding_reminders_due(step, date(2027, 1, 4))
    step.decision, step.decided_on = "afgewezen", date(2026, 11, 20)
    assert rules.aanmelding_reminders_due(step, date(2026, 11, 23)) == []


def test_the_longest_extension_ends_on_the_day_the_temporary_enrolment_alert_is_due():
    step = SimpleNamespace(kind="aanmelding", received_on=date(2026, 8, 31), extended_on=date(2026, 10, 5),
                           extension_weeks=4, decision=None, decided_on=None)
    assert rules.aanmelding_reminders_due(step, date(2026, 11, 10)) == [
        Due("aanmelding_undecided", date(2026, 11, 10)), Due("temporary_enrolment", date(2026, 11, 10))]
    assert rules.TEMPORARY_ENROLMENT in rules.ALERT_RULES and rules.TEMPORARY_ENROLMENT in rules.LEERPLICHT_RULES


def test_gpo_follow_up_is_due_on_its_date_unless_recorded_or_withdrawn():
    step = SimpleNamespace(kind="geschillencommissie", verdict="ongegrond", verdict_on=date(2026, 9, 1),
                           follow_up=None)
    assert rules.gpo_reminders_due(step, date(2026, 10, 5)) == []
    assert rules.gpo_reminders_due(step, date(2026, 10, 6)) == [Due("gpo_follow_up", date(2026, 10, 6))]
    step.follow_up = "opgevolgd"
    assert rules.gpo_reminders_due(step, date(2026, 10, 6)) == []
    withdrawn = SimpleNamespace(kind="geschillencommissie", verdict="ingetrokken", verdict_on=date(2026, 9, 1),
                                follow_up=None)
    assert rules.gpo_reminders_due(withdrawn, date(2026, 12, 1)) == []


def test_offsets_come_from_config_and_ignore_unknown_keys():
    offsets = Offsets.from_config({"catch_up_days": 7, "halfway_weeks": 5, "unknown": 1})
    assert (offsets.catch_up_days, offsets.halfway_weeks) == (7, 5)
    assert _due(date(2026, 4, 14), offsets=offsets) == []  # halfway (6 Apr) is 8 days ago: past a 7-day window


def test_messages_name_the_reference_only():
    for rule in rules.RULES:
        text = rules.message_text(rule, "TZ-2026-0042", date(2026, 6, 3), date(2026, 6, 2))
        assert "TZ-2026-0042" in text


def test_the_rules_that_open_an_alert_are_the_kinds_of_alert():
    """An alert kind is named after the reminder rule that opens it (alerts/kinds.py): the two lists agree."""
    assert set(ALERT_KIND_LABELS) == rules.ALERT_RULES
    assert rules.ALERT_RULES.issubset(rules.RULES)
