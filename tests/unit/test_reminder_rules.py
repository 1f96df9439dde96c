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


# Issue 16: a reminder found too late, or a notice whose event passed, no longer vanishes: it is due as missed
# (recorded and shown on the case, never mailed). The sweep records each once and skips it afterwards.
HALFWAY_MISSED = Due("halfway", date(2026, 4, 13), missed=True)
APPROACHING_MISSED = Due("deadline_approaching", date(2026, 5, 19), missed=True)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 4, 12), []),
    (date(2026, 4, 13), [Due("halfway", date(2026, 4, 13))]),
    (date(2026, 5, 12), [Due("halfway", date(2026, 4, 13))]),  # 29 days late: still caught up
    (date(2026, 5, 13), [Due("halfway", date(2026, 4, 13))]),  # 30 days late: the last day it is sent
    (date(2026, 5, 14), [HALFWAY_MISSED]),  # 31 days late: missed
    (date(2026, 5, 19), [HALFWAY_MISSED, Due("deadline_approaching", date(2026, 5, 19))]),
    (date(2026, 6, 2), [HALFWAY_MISSED, Due("deadline_approaching", date(2026, 5, 19))]),  # the deadline day itself
    (date(2026, 6, 3), [HALFWAY_MISSED, APPROACHING_MISSED, Due("overdue", date(2026, 6, 3))]),  # deadline passed
    (date(2026, 6, 30), [HALFWAY_MISSED, APPROACHING_MISSED, Due("overdue", date(2026, 6, 3))]),
    (date(2026, 7, 1), [HALFWAY_MISSED, APPROACHING_MISSED, Due("overdue", date(2026, 7, 1))]),  # every 4 weeks
    # Only the latest occurrence; an overdue alert is never missed, however late.
    (date(2027, 1, 1), [HALFWAY_MISSED, APPROACHING_MISSED, Due("overdue", date(2026, 12, 16))]),
])
def test_case_rules_by_day(today, expected):
    assert _due(today) == expected


def test_closed_cases_have_nothing_due():
    assert _due(date(2026, 7, 1), status="closed", activity=date(2026, 1, 1)) == []


def test_stale_is_due_fourteen_days_after_the_last_activity_however_long_ago():
    assert Due("stale", date(2026, 3, 16)) in _due(date(2026, 3, 16), activity=date(2026, 3, 2))
    # Found months later it is still due (with the same key), as missed: recorded, not mailed (issue 16).
    assert Due("stale", date(2026, 3, 16), missed=True) in _due(date(2026, 9, 1), activity=date(2026, 3, 2))
    assert not [d for d in _due(date(2026, 3, 15), activity=date(2026, 3, 2)) if d.rule == "stale"]


def test_the_return_deadline_clips_to_the_end_of_february():
    # 30 Nov + 3 months = 28 Feb 2027; overdue from 1 March. (Halfway, 11 January, is long missed by then.)
    assert [d for d in _due(date(2027, 3, 1), since=date(2026, 11, 30)) if not d.missed] == [
        Due("overdue", date(2027, 3, 1))]
    assert [(d.rule, d.missed) for d in _due(date(2027, 2, 28), since=date(2026, 11, 30))] == [
        ("halfway", True), ("deadline_approaching", False)]


def test_aanmelding_term_with_extension_and_decision():
    step = SimpleNamespace(kind="aanmelding", received_on=date(2026, 9, 7), extended_on=date(2026, 10, 1),
                           extension_weeks=2, decision=None, decided_on=None)
    # Due 7 Sep + 8 weeks = 2 Nov: a week before on 26 Oct, undecided from 3 Nov.
    assert rules.aanmelding_reminders_due(step, date(2026, 10, 26)) == [Due("aanmelding_due_soon", date(2026, 10, 26))]
    # The notice of the term's end is missed once the term passed (recorded, not mailed: issue 16).
    assert rules.aanmelding_reminders_due(step, date(2026, 11, 3)) == [
        Due("aanmelding_due_soon", date(2026, 10, 26), missed=True), Due("aanmelding_undecided", date(2026, 11, 3))]
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
        Due("aanmelding_due_soon", date(2026, 11, 2), missed=True),
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
    # Halfway (6 Apr) is 8 days ago: past a 7-day window, so missed (recorded, not mailed).
    assert _due(date(2026, 4, 14), offsets=offsets) == [Due("halfway", date(2026, 4, 6), missed=True)]


def test_messages_name_the_reference_only():
    for rule in rules.RULES:
        text = rules.message_text(rule, "TZ-2026-0042", date(2026, 6, 3), date(2026, 6, 2))
        assert "TZ-2026-0042" in text


def test_the_rules_that_open_an_alert_are_the_kinds_of_alert():
    """An alert kind is named after the reminder rule that opens it (alerts/kinds.py): the two lists agree."""
    assert set(ALERT_KIND_LABELS) == rules.ALERT_RULES
    assert rules.ALERT_RULES.issubset(rules.RULES)


# --- Issue 16: signals, exemptions, enrolled pupils, missed reminders ----------------------------------------


def test_a_signal_gets_no_reminders_about_the_return_goal_but_does_go_stale():
    due = rules.reminders_due(status="signaal", out_of_school_since=None, return_deadline=None,
                              last_activity_on=date(2026, 3, 2), steps=(), today=date(2026, 9, 1))
    assert [(d.rule, d.due_on) for d in due] == [("stale", date(2026, 3, 16))]


def test_a_signal_still_gets_the_zorgplicht_reminders_of_its_aanmelding():
    step = SimpleNamespace(kind="aanmelding", received_on=date(2026, 8, 31), extended_on=None, extension_weeks=None,
                           decision=None, decided_on=None)
    due = rules.reminders_due(status="signaal", out_of_school_since=None, return_deadline=None,
                              last_activity_on=date(2026, 10, 5), steps=[step], today=date(2026, 10, 5))
    assert due == [Due("aanmelding_due_soon", date(2026, 10, 5))]


@pytest.mark.parametrize(("absence_kind", "rule", "to_leerplicht"), [
    ("absoluut_verzuim", "overdue", True),
    ("relatief_verzuim", "overdue", True),
    ("vrijstelling_5a", "overdue", False),  # nothing to enforce: the coordinator's reminder only
    ("vrijstelling_5a", "temporary_enrolment", True),
    ("absoluut_verzuim", "halfway", False),
    ("absoluut_verzuim", "aanmelding_ten_weeks", False),
])
def test_who_hears_of_an_alert_rule(absence_kind, rule, to_leerplicht):
    assert rules.for_leerplicht(rule, absence_kind) is to_leerplicht


@pytest.mark.parametrize(("enrolled", "rule"), [(False, "temporary_enrolment"), (True, "aanmelding_ten_weeks")])
def test_ten_weeks_undecided_is_an_alert_only_for_a_pupil_enrolled_nowhere(enrolled, rule):
    step = SimpleNamespace(kind="aanmelding", received_on=date(2026, 8, 31), extended_on=None, extension_weeks=None,
                           decision=None, decided_on=None)
    due = rules.aanmelding_reminders_due(step, date(2026, 11, 10), enrolled=enrolled)
    assert Due(rule, date(2026, 11, 10)) in due
    assert {d.rule for d in due} & {"temporary_enrolment", "aanmelding_ten_weeks"} == {rule}


@pytest.mark.parametrize(("today", "missed"), [
    (date(2026, 12, 10), False),  # 30 days after 10 Nov
    (date(2026, 12, 11), False),  # 31 days: an alert always opens
    (date(2027, 3, 1), False),
])
def test_the_temporary_enrolment_alert_is_never_missed(today, missed):
    step = SimpleNamespace(kind="aanmelding", received_on=date(2026, 8, 31), extended_on=None, extension_weeks=None,
                           decision=None, decided_on=None)
    (alert,) = [d for d in rules.aanmelding_reminders_due(step, today) if d.rule == "temporary_enrolment"]
    assert alert.missed is missed


@pytest.mark.parametrize(("enrolled", "today", "missed"), [
    (True, date(2026, 12, 10), False),  # the coordinator's ten-weeks reminder: 30 days late is still sent
    (True, date(2026, 12, 11), True),   # 31 days late: recorded as missed
])
def test_the_ten_weeks_coordinator_reminder_can_be_missed(enrolled, today, missed):
    step = SimpleNamespace(kind="aanmelding", received_on=date(2026, 8, 31), extended_on=None, extension_weeks=None,
                           decision=None, decided_on=None)
    (due,) = [d for d in rules.aanmelding_reminders_due(step, today, enrolled=enrolled)
              if d.rule == "aanmelding_ten_weeks"]
    assert due.missed is missed


def test_the_undecided_message_says_nothing_about_temporary_enrolment():
    text = rules.message_text(rules.AANMELDING_UNDECIDED, "TZ-2026-0042", date(2026, 10, 13), date(2026, 12, 1))
    assert "tijdelijke inschrijving" not in text
    assert "tijdelijke inschrijving" in rules.message_text(rules.TEMPORARY_ENROLMENT, "TZ-2026-0042",
                                                           date(2026, 11, 10), date(2026, 12, 1))
    assert "tijdelijke inschrijving" not in rules.message_text(rules.AANMELDING_TEN_WEEKS, "TZ-2026-0042",
                                                               date(2026, 11, 10), date(2026, 12, 1))
