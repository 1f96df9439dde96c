"""Validation: what makes a new or changed step, or a new case, unacceptable.

Every case states its own dates; nothing here depends on the real date.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from tests.step_examples import (
    DONE_AANMELDING,
    DONE_CONSULENT,
    DONE_GPO,
    DONE_SWV,
    TODAY,
    D,
    make,
)
from thuiszitters.escalation import validation
from thuiszitters.escalation.terms import Terms
from thuiszitters.escalation.validation import Violation


def codes(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.field, v.code) for v in violations}


# --- Step validation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "step",
    [
        DONE_AANMELDING,
        make("aanmelding", received_on=D(2025, 9, 1), extended_on=D(2025, 10, 13), extension_weeks=4),
        DONE_SWV,
        make("swv_inzet", started_on=D(2025, 10, 1)),
        DONE_CONSULENT,
        DONE_GPO,
        make(
            "geschillencommissie",
            subject="opp",
            school_decision_on=D(2025, 9, 1),
            filed_on=D(2025, 10, 20),
            late_filing_reason="Ouders kregen het besluit pas op 1 oktober.",
        ),
        make(
            "geschillencommissie",
            subject="verwijdering",
            filed_on=D(2025, 9, 1),
            verdict="deels_gegrond",
            verdict_on=D(2025, 11, 1),
            follow_up="opgevolgd",
            follow_up_on=D(2025, 12, 1),
        ),
        make("interventieteam", reported_on=D(2025, 12, 1), outcome="Plaatsing op het vso geregeld"),
    ],
)
def test_valid_steps_are_accepted(step: SimpleNamespace) -> None:
    assert validation.validate_step(step, today=TODAY, out_of_school_since=D(2025, 8, 25)) == []


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        # aanmelding
        (make("aanmelding"), {("received_on", "required")}),
        (
            make("aanmelding", received_on=D(2025, 9, 15), decision="afgewezen", decided_on=D(2025, 9, 14)),
            {("decided_on", "date_order")},
        ),
        (make("aanmelding", received_on=D(2025, 9, 1), decision="afgewezen"), {("decided_on", "required")}),
        (
            make("aanmelding", received_on=D(2025, 9, 1), decided_on=D(2025, 9, 20)),
            {("decision", "required")},
        ),
        (
            make("aanmelding", received_on=D(2025, 9, 1), decision="misschien", decided_on=D(2025, 9, 20)),
            {("decision", "invalid_choice")},
        ),
        (
            make("aanmelding", received_on=D(2025, 9, 1), extended_on=D(2025, 10, 1), extension_weeks=5),
            {("extension_weeks", "extension_out_of_range")},
        ),
        (
            make("aanmelding", received_on=D(2025, 9, 1), extended_on=D(2025, 10, 1), extension_weeks=0),
            {("extension_weeks", "extension_out_of_range")},
        ),
        (make("aanmelding", received_on=D(2025, 9, 1), extension_weeks=2), {("extended_on", "required")}),
        # the extension must be announced within the original 6 weeks (last day 13-10-2025)
        (
            make("aanmelding", received_on=D(2025, 9, 1), extended_on=D(2025, 10, 14)),
            {("extended_on", "extension_too_late")},
        ),
        (
            make("aanmelding", received_on=D(2025, 9, 10), extended_on=D(2025, 9, 9)),
            {("extended_on", "date_order")},
        ),
        (make("aanmelding", received_on=D(2025, 12, 16)), {("received_on", "future_date")}),
        # swv_inzet
        (make("swv_inzet"), {("started_on", "required")}),
        (
            make("swv_inzet", started_on=D(2025, 10, 1), ended_on=D(2025, 10, 20)),
            {("action", "action_required")},
        ),
        (
            make("swv_inzet", started_on=D(2025, 10, 1), action="tlv", ended_on=D(2025, 9, 30)),
            {("ended_on", "date_order")},
        ),
        (make("swv_inzet", started_on=D(2025, 10, 1), action="bijles"), {("action", "invalid_choice")}),
        # consulent
        (
            make(
                "consulent",
                consulent_type="onderwijsconsulent",
                parental_consent=False,
                requested_on=D(2025, 10, 1),
            ),
            {("parental_consent", "consent_required")},
        ),
        (
            make("consulent", consulent_type="onderwijsconsulent", requested_on=D(2025, 10, 1)),
            {("parental_consent", "consent_required")},
        ),
        (
            make("consulent", parental_consent=True),
            {("requested_on", "required"), ("consulent_type", "required")},
        ),
        (
            make("consulent", consulent_type="jeugdarts", parental_consent=True, requested_on=D(2025, 10, 1)),
            {("consulent_type", "invalid_choice")},
        ),
        (
            make(
                "consulent",
                consulent_type="onderwijsconsulent",
                parental_consent=True,
                requested_on=D(2025, 10, 1),
                advice_on=D(2025, 9, 30),
                closed_on=D(2025, 9, 29),
            ),
            {("advice_on", "date_order"), ("closed_on", "date_order")},
        ),
        # geschillencommissie
        (make("geschillencommissie", subject="tlv", filed_on=D(2025, 10, 1)), {("subject", "tlv_not_gpo")}),
        (
            make("geschillencommissie", subject="leerlingenvervoer", filed_on=D(2025, 10, 1)),
            {("subject", "invalid_choice")},
        ),
        (make("geschillencommissie"), {("subject", "required"), ("filed_on", "required")}),
        (
            make(
                "geschillencommissie",
                subject="toelating",
                school_decision_on=D(2025, 10, 2),
                filed_on=D(2025, 10, 1),
            ),
            {("filed_on", "date_order")},
        ),
        # filed one day after the 6-week filing term (due 13-10-2025) without a reason
        (
            make(
                "geschillencommissie",
                subject="toelating",
                school_decision_on=D(2025, 9, 1),
                filed_on=D(2025, 10, 14),
            ),
            {("late_filing_reason", "late_filing_reason_required")},
        ),
        (
            make(
                "geschillencommissie",
                subject="toelating",
                school_decision_on=D(2025, 9, 1),
                filed_on=D(2025, 10, 14),
                late_filing_reason="  ",
            ),
            {("late_filing_reason", "late_filing_reason_required")},
        ),
        (
            make("geschillencommissie", subject="toelating", filed_on=D(2025, 9, 1), verdict="gegrond"),
            {("verdict_on", "required")},
        ),
        (
            make(
                "geschillencommissie", subject="toelating", filed_on=D(2025, 9, 1), verdict_on=D(2025, 11, 1)
            ),
            {("verdict", "required")},
        ),
        (
            make(
                "geschillencommissie",
                subject="toelating",
                filed_on=D(2025, 9, 1),
                verdict="gegrond",
                verdict_on=D(2025, 8, 31),
            ),
            {("verdict_on", "date_order")},
        ),
        (
            make(
                "geschillencommissie",
                subject="toelating",
                filed_on=D(2025, 9, 1),
                verdict="gegrond",
                verdict_on=D(2025, 11, 1),
                follow_up="opgevolgd",
                follow_up_on=D(2025, 10, 31),
            ),
            {("follow_up_on", "date_order")},
        ),
        (
            make(
                "geschillencommissie",
                subject="toelating",
                filed_on=D(2025, 9, 1),
                verdict="gegrond",
                verdict_on=D(2025, 11, 1),
                follow_up="opgevolgd",
            ),
            {("follow_up_on", "required")},
        ),
        (
            make(
                "geschillencommissie",
                subject="toelating",
                filed_on=D(2025, 9, 1),
                verdict="ingetrokken",
                verdict_on=D(2025, 11, 1),
                follow_up="opgevolgd",
                follow_up_on=D(2025, 11, 20),
            ),
            {("follow_up", "follow_up_without_verdict")},
        ),
        (
            make(
                "geschillencommissie",
                subject="toelating",
                filed_on=D(2025, 9, 1),
                verdict="gegrond",
                verdict_on=D(2025, 12, 16),
            ),
            {("verdict_on", "future_date")},
        ),
        # interventieteam
        (make("interventieteam"), {("reported_on", "required")}),
        (
            make("interventieteam", reported_on=D(2025, 12, 1), closed_on=D(2025, 11, 30)),
            {("closed_on", "date_order")},
        ),
        (make("interventieteam", reported_on=D(2025, 8, 1)), {("reported_on", "before_out_of_school")}),
        # not a step at all
        (make("bezwaar"), {("kind", "invalid_choice")}),
    ],
)
def test_invalid_steps_are_refused(step: SimpleNamespace, expected: set[tuple[str, str]]) -> None:
    violations = validation.validate_step(step, today=TODAY, out_of_school_since=D(2025, 8, 25))
    assert codes(violations) == expected
    assert all(v.message for v in violations)


def test_tlv_dispute_is_sent_to_the_swv_objection_procedure() -> None:
    step = make("geschillencommissie", subject="tlv", filed_on=D(2025, 10, 1))
    [violation] = validation.validate_step(step, today=TODAY)
    assert "bezwaarprocedure" in violation.message


@pytest.mark.parametrize(
    ("previous_fields", "new_fields", "expected"),
    [
        # first extension on an existing step
        ({}, {"extended_on": D(2025, 10, 1), "extension_weeks": 2}, set()),
        # editing something else keeps the same extension
        (
            {"extended_on": D(2025, 10, 1), "extension_weeks": 2},
            {
                "extended_on": D(2025, 10, 1),
                "extension_weeks": 2,
                "decision": "toegelaten",
                "decided_on": D(2025, 10, 20),
            },
            set(),
        ),
        # a second extension on another day
        (
            {"extended_on": D(2025, 10, 1), "extension_weeks": 2},
            {"extended_on": D(2025, 10, 10), "extension_weeks": 2},
            {("extended_on", "second_extension")},
        ),
        # stretching the first extension afterwards is extending twice too
        (
            {"extended_on": D(2025, 10, 1), "extension_weeks": 2},
            {"extended_on": D(2025, 10, 1), "extension_weeks": 4},
            {("extended_on", "second_extension")},
        ),
        # shortening a mistyped extension is a correction
        (
            {"extended_on": D(2025, 10, 1), "extension_weeks": 4},
            {"extended_on": D(2025, 10, 1), "extension_weeks": 2},
            set(),
        ),
    ],
)
def test_the_decision_term_can_be_extended_only_once(previous_fields, new_fields, expected) -> None:
    previous = make("aanmelding", received_on=D(2025, 9, 1), **previous_fields)
    step = make("aanmelding", received_on=D(2025, 9, 1), **new_fields)
    assert codes(validation.validate_step(step, today=TODAY, previous=previous)) == expected


def test_closed_case_accepts_no_steps() -> None:
    violations = validation.validate_step(DONE_SWV, today=TODAY, case_closed=True)
    assert codes(violations) == {("", "case_closed")}
    assert "heropen" in violations[0].message


# --- Case dates ---------------------------------------------------------------------------------------------


# Issue 16: the pupil is 5 to 17 on the first day out of school (leerplicht from 5, kwalificatieplicht until 18);
# before, 4 to 23 measured today. First day out 1 September 2025, registered 1 October 2025.
@pytest.mark.parametrize(
    ("date_of_birth", "expected"),
    [
        (D(2022, 10, 2), {("date_of_birth", "too_young")}),  # 2 years old
        (D(2020, 9, 2), {("date_of_birth", "too_young")}),  # 4 on the first day out, turns 5 the next day
        (D(2020, 9, 1), set()),  # the 5th birthday is the first day out
        (D(2020, 1, 1), set()),
        (D(2007, 9, 2), set()),  # 17 on the first day out: turns 18 the day after (and is 18 today)
        (D(2007, 9, 1), {("date_of_birth", "too_old")}),  # the 18th birthday is the first day out
        (D(2001, 10, 1), {("date_of_birth", "too_old")}),  # 23: was accepted before
        (D(2025, 10, 2), {("date_of_birth", "future_date")}),
    ],
)
def test_pupil_age_must_fit_school_age(date_of_birth: date, expected: set) -> None:
    violations = validation.validate_case_dates(D(2025, 9, 1), date_of_birth, D(2025, 10, 1))
    assert codes(violations) == expected


@pytest.mark.parametrize(
    ("date_of_birth", "expected"),
    [
        (D(2008, 2, 29), {("date_of_birth", "too_old")}),  # 18 on 28 Feb 2026 (no 29 Feb that year)
        (D(2008, 3, 1), set()),  # still 17 on 28 Feb 2026
        (D(2021, 3, 1), {("date_of_birth", "too_young")}),  # 4 on 28 Feb 2026
        (D(2021, 2, 28), set()),  # 5 on 28 Feb 2026
    ],
)
def test_age_edges_around_the_end_of_february(date_of_birth: date, expected: set) -> None:
    violations = validation.validate_case_dates(D(2026, 2, 28), date_of_birth, D(2026, 3, 2))
    assert codes(violations) == expected


def test_the_age_message_names_the_first_day_out() -> None:
    (violation,) = validation.validate_case_dates(D(2025, 9, 1), D(2020, 9, 2), D(2025, 10, 1))
    assert violation.message == ("De leerling is 4 jaar op de eerste dag thuis (01-09-2025); een thuiszitter is ten "
                                 "minste 5 jaar (leerplichtig).")


@pytest.mark.parametrize(
    ("date_of_birth", "expected"),
    [
        (D(2020, 10, 1), set()),  # 5 today
        (D(2020, 10, 2), {("date_of_birth", "too_young")}),
        (D(2007, 10, 2), set()),  # 17 today
        (D(2007, 10, 1), {("date_of_birth", "too_old")}),  # 18 today
    ],
)
def test_a_signal_measures_the_age_today(date_of_birth: date, expected: set) -> None:
    assert codes(validation.validate_case_dates(None, date_of_birth, D(2025, 10, 1))) == expected


@pytest.mark.parametrize(
    ("out_of_school_since", "expected"),
    [
        (D(2025, 10, 1), set()),  # registered on the first day
        (D(2025, 10, 2), {("out_of_school_since", "future_date")}),
        (D(2014, 12, 31), {("out_of_school_since", "before_birth")}),
    ],
)
def test_out_of_school_since(out_of_school_since: date, expected: set) -> None:
    violations = validation.validate_case_dates(out_of_school_since, D(2015, 1, 1), D(2025, 10, 1))
    assert codes(violations) == expected


def test_age_bounds_follow_configured_terms() -> None:
    violations = validation.validate_case_dates(D(2025, 9, 1), D(2020, 10, 1), D(2025, 10, 1), Terms(min_age=5))
    assert codes(violations) == {("date_of_birth", "too_young")}
    assert codes(validation.validate_case_dates(D(2025, 9, 1), D(2020, 10, 1), D(2025, 10, 1),
                                                Terms(min_age=4))) == set()
