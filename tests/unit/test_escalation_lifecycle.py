"""Who counts as a thuiszitter, signals, honest outcomes, mbo outside the chain and consistent terms (issue 16).

Pure rules, table-driven on the edge dates: exactly 4 weeks of relatief verzuim, the closing date against the first
day out, the offer outcomes against the others.
"""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from thuiszitters.escalation import advice, lifecycle, spec, terms, validation
from thuiszitters.escalation.terms import Terms

D = date  # short dates in the tables

MONDAY = D(2025, 9, 1)  # first day out of school


def codes(violations) -> set[tuple[str, str]]:
    return {(v.field, v.code) for v in violations}


# --- Who counts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("absence_kind", "on", "counts"),
    [
        ("absoluut_verzuim", MONDAY, True),  # from the first day out
        ("vrijstelling_5a", MONDAY, True),
        ("relatief_verzuim", MONDAY, False),
        ("relatief_verzuim", D(2025, 9, 28), False),  # day 28: exactly 4 weeks of absence (1–28 Sep)
        ("relatief_verzuim", D(2025, 9, 29), True),  # day 29: more than 4 weeks
        ("relatief_verzuim", D(2026, 1, 1), True),
        ("absoluut_verzuim", D(2025, 8, 31), False),  # before the first day out
    ],
)
def test_who_counts_as_a_thuiszitter(absence_kind: str, on: date, counts: bool) -> None:
    assert lifecycle.counts_as_thuiszitter(status="open", absence_kind=absence_kind, out_of_school_since=MONDAY,
                                           on=on) is counts


@pytest.mark.parametrize("status", ["signaal", "closed"])
def test_a_signal_or_closed_case_never_counts_today(status: str) -> None:
    since = MONDAY if status == "closed" else None
    assert not lifecycle.counts_as_thuiszitter(status=status, absence_kind="absoluut_verzuim",
                                               out_of_school_since=since, on=D(2026, 1, 1))


@pytest.mark.parametrize(
    ("today", "warned"),
    [(MONDAY, True), (D(2025, 9, 28), True), (D(2025, 9, 29), False)],
)
def test_relatief_verzuim_warns_until_it_counts(today: date, warned: bool) -> None:
    found = advice.case_warnings([], status="open", return_deadline=terms.return_deadline(MONDAY), today=today,
                                 absence_kind="relatief_verzuim", out_of_school_since=MONDAY)
    assert ("relatief_verzuim_under_4_weeks" in [w.code for w in found]) is warned
    if warned:
        assert "29-09-2025" in found[0].message


def test_the_four_weeks_follow_the_configured_term() -> None:
    assert lifecycle.thuiszitter_from("relatief_verzuim", MONDAY, Terms(relatief_verzuim_weeks=6)) == D(2025, 10, 13)


@pytest.mark.parametrize(
    ("absence_kind", "ended_on", "was"),
    [
        ("relatief_verzuim", D(2025, 9, 28), False),  # back within 4 weeks: never a thuiszitter
        ("relatief_verzuim", D(2025, 9, 29), True),
        ("absoluut_verzuim", MONDAY, True),
    ],
)
def test_a_closed_case_was_a_thuiszitter_only_if_its_absence_reached_the_count(absence_kind, ended_on, was) -> None:
    assert lifecycle.was_thuiszitter(absence_kind, MONDAY, ended_on) is was


@pytest.mark.parametrize(
    ("absence_kind", "has_school", "enrolled"),
    [("absoluut_verzuim", True, False), ("absoluut_verzuim", False, False), ("relatief_verzuim", False, False),
     ("relatief_verzuim", True, True), ("vrijstelling_5a", True, True)],
)
def test_enrolled_means_a_school_and_no_absoluut_verzuim(absence_kind, has_school, enrolled) -> None:
    assert lifecycle.enrolled(absence_kind, has_school) is enrolled


# --- Signals ------------------------------------------------------------------------------------------------


def test_a_signal_has_no_first_day_and_becomes_open_with_one() -> None:
    assert lifecycle.status_for(None) == "signaal"
    assert lifecycle.status_for(MONDAY) == "open"
    assert lifecycle.reopened_status(None) == "signaal" and lifecycle.reopened_status(MONDAY) == "open"


def test_a_signal_has_no_deadline_warning_and_asks_for_its_first_day() -> None:
    assert advice.case_warnings([], status="signaal", return_deadline=None, today=D(2026, 1, 1)) == []
    text = advice.next_action([], status="signaal", return_deadline=None, today=D(2026, 1, 1))
    assert "eerste dag thuis" in text and "signaal" in text
    assert lifecycle.case_days_out_of_school(status="signaal", out_of_school_since=None, today=D(2026, 1, 1),
                                             outcome=None, offer_started_on=None, closed_on=None) is None


# --- Outcomes -----------------------------------------------------------------------------------------------

DEADLINE = D(2025, 12, 1)


@pytest.mark.parametrize(
    ("outcome", "offer", "closed_on", "goal", "days"),
    [
        ("terug_naar_school", D(2025, 12, 1), D(2025, 12, 5), True, 91),  # on the deadline: met
        ("maatwerk", D(2025, 12, 2), D(2025, 12, 5), False, 92),
        ("onderwijszorgarrangement", D(2025, 10, 1), D(2025, 10, 1), True, 30),
        ("vrijstelling", None, D(2025, 11, 1), None, 61),  # not a passend aanbod: not applicable
        ("verhuisd", None, D(2026, 2, 1), None, 153),  # past the deadline, still not "not met"
        ("einde_leerplicht", None, D(2025, 10, 1), None, 30),
        ("overig", None, D(2025, 9, 15), None, 14),
    ],
)
def test_goal_met_and_days_out_of_school_per_outcome(outcome, offer, closed_on, goal, days) -> None:
    assert lifecycle.case_goal_met(status="closed", outcome=outcome, return_deadline=DEADLINE,
                                   offer_started_on=offer) is goal
    assert lifecycle.case_days_out_of_school(status="closed", out_of_school_since=MONDAY, today=D(2026, 6, 1),
                                             outcome=outcome, offer_started_on=offer, closed_on=closed_on) == days


def test_the_outcome_vocabulary_splits_offers_from_the_rest() -> None:
    assert spec.OFFER_OUTCOMES == ("terug_naar_school", "maatwerk", "onderwijszorgarrangement")
    assert set(spec.OTHER_CASE_OUTCOMES) == {"vrijstelling", "verhuisd", "einde_leerplicht", "overig"}
    assert spec.SIGNAL_OUTCOMES == ("geen_thuiszitter",)
    assert set(spec.OUTCOMES) == {*spec.CASE_OUTCOMES, *spec.SIGNAL_OUTCOMES}


TODAY = D(2025, 12, 10)


def _close(**changes):
    values = {"status": "open", "outcome": "maatwerk", "offer_started_on": D(2025, 12, 1), "closed_on": TODAY,
              "out_of_school_since": MONDAY, "today": TODAY, "school_given": False, "note": None} | changes
    return codes(lifecycle.validate_close(**values))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, set()),
        ({"offer_started_on": None}, {("offer_started_on", "required")}),
        ({"offer_started_on": D(2025, 12, 11)}, {("offer_started_on", "future_date")}),
        ({"offer_started_on": D(2025, 12, 6), "closed_on": D(2025, 12, 5)}, {("offer_started_on", "after_closed_on")}),
        ({"offer_started_on": D(2025, 8, 31)}, {("offer_started_on", "before_out_of_school")}),
        ({"outcome": "vrijstelling", "offer_started_on": None}, set()),
        ({"outcome": "vrijstelling"}, {("offer_started_on", "offer_not_applicable")}),
        ({"outcome": "verhuisd", "offer_started_on": None, "closed_on": D(2025, 12, 11)},
         {("closed_on", "future_date")}),
        ({"outcome": "einde_leerplicht", "offer_started_on": None, "closed_on": D(2025, 8, 31)},
         {("closed_on", "before_out_of_school")}),
        ({"outcome": "einde_leerplicht", "offer_started_on": None, "closed_on": MONDAY}, set()),
        ({"outcome": "terug_naar_school"}, {("school_brin", "required")}),
        ({"outcome": "terug_naar_school", "school_given": True}, set()),
        ({"outcome": "overig", "offer_started_on": None}, {("note", "required")}),
        ({"outcome": "overig", "offer_started_on": None, "note": "Naar een zorgboerderij."}, set()),
        ({"outcome": "geen_thuiszitter", "offer_started_on": None}, {("outcome", "not_a_signal")}),
        ({"outcome": "bestaat_niet"}, {("outcome", "unknown_value")}),
        # A signal closes only as geen_thuiszitter.
        ({"status": "signaal", "out_of_school_since": None, "outcome": "geen_thuiszitter", "offer_started_on": None},
         set()),
        ({"status": "signaal", "out_of_school_since": None, "outcome": "vrijstelling", "offer_started_on": None},
         {("outcome", "signal_outcome")}),
        ({"status": "signaal", "out_of_school_since": None, "outcome": "maatwerk"}, {("outcome", "signal_outcome")}),
    ],
)
def test_closing_rules(changes: dict, expected: set) -> None:
    assert _close(**changes) == expected


def test_every_refusal_of_a_close_comes_at_once() -> None:
    assert _close(outcome="terug_naar_school", offer_started_on=None, closed_on=D(2026, 1, 1)) == {
        ("closed_on", "future_date"), ("offer_started_on", "required"), ("school_brin", "required")}


# --- mbo is outside the chain ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fields", "step_type", "case_type", "refused"),
    [
        ("aanmelding", {"received_on": D(2025, 10, 1)}, "mbo", None, ("school_brin", "mbo_outside_chain")),
        ("aanmelding", {"received_on": D(2025, 10, 1)}, "vo", "mbo", None),  # moving from mbo to vo: fine
        ("geschillencommissie", {"subject": "verwijdering", "filed_on": D(2025, 10, 1)}, None, "mbo",
         ("", "mbo_outside_chain")),
        ("geschillencommissie", {"subject": "verwijdering", "filed_on": D(2025, 10, 1)}, None, "vso", None),
        ("swv_inzet", {"started_on": D(2025, 10, 1)}, None, "mbo", None),
    ],
)
def test_mbo_is_outside_the_chain(kind, fields, step_type, case_type, refused) -> None:
    step = SimpleNamespace(kind=kind, **fields)
    found = {(v.field, v.code) for v in validation.validate_step(
        step, today=TODAY, step_school_type=step_type, case_school_type=case_type) if v.code == "mbo_outside_chain"}
    assert found == ({refused} if refused else set())


def test_the_mbo_refusal_says_why_in_dutch() -> None:
    step = SimpleNamespace(kind="aanmelding", received_on=D(2025, 10, 1))
    (violation,) = [v for v in validation.validate_step(step, today=TODAY, step_school_type="mbo")
                    if v.code == "mbo_outside_chain"]
    assert "samenwerkingsverband" in violation.message and "zorgplicht" in violation.message
    assert frozenset({"mbo"}) == spec.SCHOOL_TYPES_OUTSIDE_CHAIN


# --- GPO and the aanmelding's ten weeks ---------------------------------------------------------------------


def test_an_oordeel_not_followed_is_a_warning_also_on_a_closed_case() -> None:
    gpo = SimpleNamespace(kind="geschillencommissie", subject="toelating", filed_on=D(2025, 9, 1), verdict="gegrond",
                          verdict_on=D(2025, 10, 1), follow_up="niet_opgevolgd", follow_up_on=D(2025, 11, 1))
    for status in ("open", "closed"):
        found = advice.case_warnings([gpo], status=status, return_deadline=DEADLINE, today=TODAY)
        assert "gpo_not_followed" in [w.code for w in found]
    gpo.follow_up = "opgevolgd"
    assert "gpo_not_followed" not in [w.code for w in advice.case_warnings(
        [gpo], status="open", return_deadline=DEADLINE, today=TODAY)]


def test_the_gpo_follow_up_term_says_it_is_a_practice_default() -> None:
    kind = spec.KIND["geschillencommissie"]
    (term,) = [t for t in kind.terms if t.name == "follow_up_due_on"]
    assert "praktijknorm" in term.label and "praktijknorm" in (kind.get("follow_up").hint or "")


@pytest.mark.parametrize("enrolled", [False, True])
def test_temporary_enrolment_only_for_a_pupil_enrolled_nowhere(enrolled: bool) -> None:
    step = SimpleNamespace(kind="aanmelding", received_on=D(2025, 9, 1), extended_on=None, extension_weeks=None,
                           decision=None, decided_on=None)
    today = D(2025, 11, 20)  # past the 10 weeks (10 Nov)
    (warning,) = [w for w in advice.case_warnings([step], status="open", return_deadline=DEADLINE, today=today,
                                                  enrolled=enrolled) if w.code == "aanmelding_decision_overdue"]
    assert ("tijdelijke inschrijving" in warning.message) is (not enrolled)
    computed = terms.step_terms(step, enrolled=enrolled)["temporary_enrolment_from"]
    assert computed == (None if enrolled else D(2025, 11, 10))


# --- Terms fit together (checked at start-up) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "problem"),
    [
        ({}, None),
        ({"decision_weeks": 6, "max_extension_weeks": 4, "temporary_enrolment_weeks": 10}, None),
        ({"temporary_enrolment_weeks": 9}, "temporary_enrolment_weeks"),
        ({"decision_weeks": 8}, "temporary_enrolment_weeks"),  # 8 + 4 is not 10
        ({"decision_weeks": 8, "temporary_enrolment_weeks": 12}, None),
        ({"gpo_verdict_weeks": 0}, "gpo_verdict_weeks"),
        ({"gpo_filing_weeks": -6}, "gpo_filing_weeks"),
        ({"relatief_verzuim_weeks": "4"}, "relatief_verzuim_weeks"),
        ({"min_age": 18}, "min_age"),
        ({"decision_wekes": 6}, "unknown"),
    ],
)
def test_the_terms_must_fit_together(configured: dict, problem: str | None) -> None:
    found = Terms.config_problems(configured)
    if problem is None:
        assert found == []
    else:
        assert found and problem in found[0]
