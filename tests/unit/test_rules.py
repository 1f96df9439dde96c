"""The domain rules of a thuiszitter case: terms, deadlines, the chain, validation, warnings and advice.

Every case states its own dates; nothing here depends on the real date.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from thuiszitters.cases import rules
from thuiszitters.cases.rules import Terms, Violation

D = date


def make(kind: str, **fields) -> SimpleNamespace:
    """A step with its kind's attributes None unless given, like a row of the single-table model."""
    attributes = {
        "aanmelding": ("received_on", "extended_on", "extension_weeks", "decision", "decided_on"),
        "swv_inzet": ("started_on", "action", "description", "ended_on"),
        "consulent": ("consulent_type", "parental_consent", "requested_on", "advice_on", "closed_on"),
        "geschillencommissie": (
            "subject",
            "school_decision_on",
            "filed_on",
            "late_filing_reason",
            "verdict",
            "verdict_on",
            "follow_up",
            "follow_up_on",
        ),
        "interventieteam": ("reported_on", "outcome", "closed_on"),
    }.get(kind, ())
    values = dict.fromkeys(attributes) | {"kind": kind, "out_of_order_reason": None} | fields
    return SimpleNamespace(**values)


# Steps that are done, with realistic dates in autumn 2025.
DONE_AANMELDING = make(
    "aanmelding", received_on=D(2025, 9, 1), decision="afgewezen", decided_on=D(2025, 9, 29)
)
DONE_SWV = make("swv_inzet", started_on=D(2025, 10, 1), action="arrangement", ended_on=D(2025, 10, 20))
DONE_CONSULENT = make(
    "consulent",
    consulent_type="onderwijszorgconsulent",
    parental_consent=True,
    requested_on=D(2025, 10, 21),
    advice_on=D(2025, 11, 10),
)
OPEN_GPO = make(
    "geschillencommissie", subject="toelating", school_decision_on=D(2025, 9, 29), filed_on=D(2025, 10, 6)
)
DONE_GPO = make(
    "geschillencommissie",
    subject="toelating",
    school_decision_on=D(2025, 9, 29),
    filed_on=D(2025, 10, 6),
    verdict="gegrond",
    verdict_on=D(2025, 12, 1),
)
TODAY = D(2025, 12, 15)


def codes(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.field, v.code) for v in violations}


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
    assert rules.return_deadline(out_of_school_since) == deadline


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
    assert rules.is_overdue(status, D(2025, 11, 30), today) is overdue


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
    assert rules.days_out_of_school(since, today, offer_started_on) == days


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
    assert rules.goal_met(D(2025, 11, 30), offer_started_on) is met


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
    assert rules.aanmelding_decision_due_on(step) == due


def test_aanmelding_decision_due_on_follows_configured_terms() -> None:
    step = make("aanmelding", received_on=D(2025, 9, 1))
    assert rules.aanmelding_decision_due_on(step, Terms(decision_weeks=8)) == D(2025, 10, 27)


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
    assert rules.aanmelding_temporary_enrolment_from(step) == entitled_from


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
    assert rules.gpo_filing_due_on(step) == filing_due
    assert rules.gpo_verdict_due_on(step) == verdict_due
    assert rules.gpo_follow_up_due_on(step) == follow_up_due


# --- Progress through the chain -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "today", "done"),
    [
        (
            make("aanmelding", received_on=D(2025, 9, 1)),
            D(2025, 10, 13),
            False,
        ),  # due date: school still in time
        (make("aanmelding", received_on=D(2025, 9, 1)), D(2025, 10, 14), True),  # term passed undecided
        (
            make("aanmelding", received_on=D(2025, 9, 1), extended_on=D(2025, 10, 1), extension_weeks=2),
            D(2025, 10, 14),
            False,
        ),
        (
            make("aanmelding", received_on=D(2025, 9, 1), extended_on=D(2025, 10, 1), extension_weeks=2),
            D(2025, 10, 28),
            True,
        ),
        (
            make("aanmelding", received_on=D(2025, 9, 1), decision="toegelaten", decided_on=D(2025, 9, 15)),
            D(2025, 9, 15),
            True,
        ),
        (make("aanmelding"), D(2025, 12, 1), False),  # no receipt date: no term to pass
        (make("swv_inzet", started_on=D(2025, 9, 1), action="tlv"), D(2025, 12, 1), False),
        (make("swv_inzet", started_on=D(2025, 9, 1), ended_on=D(2025, 10, 1)), D(2025, 12, 1), False),
        (
            make("swv_inzet", started_on=D(2025, 9, 1), action="tlv", ended_on=D(2025, 10, 1)),
            D(2025, 12, 1),
            True,
        ),
        (make("consulent", requested_on=D(2025, 9, 1)), D(2025, 12, 1), False),
        (make("consulent", requested_on=D(2025, 9, 1), advice_on=D(2025, 9, 20)), D(2025, 12, 1), True),
        (make("consulent", requested_on=D(2025, 9, 1), closed_on=D(2025, 9, 20)), D(2025, 12, 1), True),
        (OPEN_GPO, D(2026, 6, 1), False),  # an overdue oordeel is still not done
        (
            make(
                "geschillencommissie",
                filed_on=D(2025, 9, 1),
                verdict="ingetrokken",
                verdict_on=D(2025, 9, 20),
            ),
            D(2025, 12, 1),
            True,
        ),
        (make("geschillencommissie", filed_on=D(2025, 9, 1), verdict="gegrond"), D(2025, 12, 1), False),
        (make("interventieteam", reported_on=D(2025, 9, 1)), D(2025, 12, 1), False),
        (make("interventieteam", reported_on=D(2025, 9, 1), closed_on=D(2025, 11, 1)), D(2025, 12, 1), True),
    ],
)
def test_step_done(step: SimpleNamespace, today: date, done: bool) -> None:
    assert rules.step_done(step, today) is done


@pytest.mark.parametrize(
    ("steps", "missing"),
    [
        ([], ["aanmelding", "swv_inzet", "consulent"]),
        ([DONE_AANMELDING, DONE_SWV, DONE_CONSULENT], []),
        ([DONE_SWV, DONE_CONSULENT], ["aanmelding"]),
        ([DONE_AANMELDING, DONE_CONSULENT], ["swv_inzet"]),
        ([DONE_AANMELDING, DONE_SWV], ["consulent"]),
        ([DONE_AANMELDING, DONE_SWV, DONE_CONSULENT, OPEN_GPO], ["geschillencommissie"]),
        ([DONE_AANMELDING, DONE_SWV, DONE_CONSULENT, DONE_GPO], []),  # the GPO is optional but must finish
        ([DONE_AANMELDING, DONE_SWV, DONE_CONSULENT, DONE_GPO, OPEN_GPO], ["geschillencommissie"]),
        # a started but unfinished step of a kind does not count
        ([make("aanmelding", received_on=D(2025, 12, 1)), DONE_SWV, DONE_CONSULENT], ["aanmelding"]),
        ([DONE_AANMELDING, make("swv_inzet", started_on=D(2025, 10, 1)), DONE_CONSULENT], ["swv_inzet"]),
        (
            [DONE_AANMELDING, DONE_SWV, make("consulent", requested_on=D(2025, 10, 1)), OPEN_GPO],
            ["consulent", "geschillencommissie"],
        ),
        # one done aanmelding among several is enough
        ([make("aanmelding", received_on=D(2025, 12, 1)), DONE_AANMELDING, DONE_SWV, DONE_CONSULENT], []),
    ],
)
def test_interventieteam_gate_lists_missing_steps(steps: list, missing: list[str]) -> None:
    assert rules.interventieteam_missing_steps(steps, TODAY) == missing


@pytest.mark.parametrize(
    ("kind", "steps", "missing"),
    [
        ("aanmelding", [], []),
        ("swv_inzet", [], ["aanmelding"]),
        ("consulent", [DONE_AANMELDING], ["swv_inzet"]),
        ("geschillencommissie", [], ["aanmelding", "swv_inzet", "consulent"]),
        ("geschillencommissie", [DONE_AANMELDING, DONE_SWV, DONE_CONSULENT], []),
        # an unfinished predecessor counts as present: recording in order is not about being done
        ("consulent", [make("aanmelding", received_on=D(2025, 9, 1)), make("swv_inzet")], []),
        ("interventieteam", [DONE_AANMELDING, DONE_CONSULENT], ["swv_inzet"]),  # the GPO is never required
    ],
)
def test_missing_predecessors(kind: str, steps: list, missing: list[str]) -> None:
    assert rules.missing_predecessors(kind, steps) == missing


def test_missing_predecessors_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown step kind"):
        rules.missing_predecessors("bezwaar", [])


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([], None),
        ([DONE_AANMELDING], "aanmelding"),
        ([DONE_AANMELDING, DONE_SWV], "swv_inzet"),
        ([DONE_CONSULENT, DONE_AANMELDING], "consulent"),  # furthest in the chain, not last recorded
        ([OPEN_GPO], "geschillencommissie"),
        ([make("interventieteam"), DONE_AANMELDING], "interventieteam"),
    ],
)
def test_stage_is_the_furthest_kind_reached(steps: list, expected: str | None) -> None:
    assert rules.stage(steps) == expected


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (None, "Nog geen stap"),
        ("swv_inzet", "Inzet samenwerkingsverband"),
        ("consulent", "Onderwijs(zorg)consulent"),
    ],
)
def test_stage_label(kind: str | None, label: str) -> None:
    assert rules.stage_label(kind) == label


def test_format_date_nl() -> None:
    assert rules.format_date_nl(D(2025, 3, 7)) == "07-03-2025"


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
    assert rules.validate_step(step, today=TODAY, out_of_school_since=D(2025, 8, 25)) == []


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
    violations = rules.validate_step(step, today=TODAY, out_of_school_since=D(2025, 8, 25))
    assert codes(violations) == expected
    assert all(v.message for v in violations)


def test_tlv_dispute_is_sent_to_the_swv_objection_procedure() -> None:
    step = make("geschillencommissie", subject="tlv", filed_on=D(2025, 10, 1))
    [violation] = rules.validate_step(step, today=TODAY)
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
    assert codes(rules.validate_step(step, today=TODAY, previous=previous)) == expected


def test_closed_case_accepts_no_steps() -> None:
    violations = rules.validate_step(DONE_SWV, today=TODAY, case_closed=True)
    assert codes(violations) == {("", "case_closed")}
    assert "heropen" in violations[0].message


# --- Case dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_of_birth", "expected"),
    [
        (D(2022, 10, 2), {("date_of_birth", "too_young")}),  # 2 years old
        (D(2021, 10, 2), {("date_of_birth", "too_young")}),  # 3, turns 4 tomorrow
        (D(2021, 10, 1), set()),  # 4 today
        (D(2002, 10, 1), set()),  # 23 today
        (D(2001, 10, 2), set()),  # still 23, turns 24 tomorrow
        (D(2001, 10, 1), {("date_of_birth", "too_old")}),  # 24 today
        (D(2025, 10, 2), {("date_of_birth", "future_date")}),
    ],
)
def test_pupil_age_must_fit_school_age(date_of_birth: date, expected: set) -> None:
    violations = rules.validate_case_dates(D(2025, 9, 1), date_of_birth, D(2025, 10, 1))
    assert codes(violations) == expected


@pytest.mark.parametrize(
    ("out_of_school_since", "expected"),
    [
        (D(2025, 10, 1), set()),  # registered on the first day
        (D(2025, 10, 2), {("out_of_school_since", "future_date")}),
        (D(2014, 12, 31), {("out_of_school_since", "before_birth")}),
    ],
)
def test_out_of_school_since(out_of_school_since: date, expected: set) -> None:
    violations = rules.validate_case_dates(out_of_school_since, D(2015, 1, 1), D(2025, 10, 1))
    assert codes(violations) == expected


def test_age_bounds_follow_configured_terms() -> None:
    violations = rules.validate_case_dates(D(2025, 9, 1), D(2021, 10, 1), D(2025, 10, 1), Terms(min_age=5))
    assert codes(violations) == {("date_of_birth", "too_young")}


# --- Warnings and next action -------------------------------------------------------------------------------


def warning_codes(steps: list, status: str, deadline: date, today: date) -> list[str]:
    return [w.code for w in rules.case_warnings(steps, status=status, return_deadline=deadline, today=today)]


@pytest.mark.parametrize(
    ("steps", "status", "deadline", "today", "expected"),
    [
        ([DONE_AANMELDING], "open", D(2025, 12, 15), D(2025, 12, 15), []),
        ([DONE_AANMELDING], "open", D(2025, 12, 14), D(2025, 12, 15), ["overdue"]),
        ([DONE_AANMELDING], "closed", D(2025, 12, 14), D(2025, 12, 15), []),
        ([DONE_AANMELDING, DONE_CONSULENT], "open", D(2026, 3, 1), TODAY, ["out_of_order"]),
        # aanmelding received 01-09-2025: decision due 13-10-2025
        ([make("aanmelding", received_on=D(2025, 9, 1))], "open", D(2026, 3, 1), D(2025, 10, 13), []),
        (
            [make("aanmelding", received_on=D(2025, 9, 1))],
            "open",
            D(2026, 3, 1),
            D(2025, 10, 14),
            ["aanmelding_decision_overdue"],
        ),
        ([make("aanmelding", received_on=D(2025, 9, 1))], "closed", D(2026, 3, 1), D(2025, 10, 14), []),
        # gpo filed 06-10-2025: oordeel due 15-12-2025
        ([DONE_AANMELDING, DONE_SWV, DONE_CONSULENT, OPEN_GPO], "open", D(2026, 3, 1), D(2025, 12, 15), []),
        (
            [DONE_AANMELDING, DONE_SWV, DONE_CONSULENT, OPEN_GPO],
            "open",
            D(2026, 3, 1),
            D(2025, 12, 16),
            ["gpo_verdict_overdue"],
        ),
        # oordeel 01-12-2025: follow-up due 05-01-2026
        ([DONE_AANMELDING, DONE_SWV, DONE_CONSULENT, DONE_GPO], "open", D(2026, 3, 1), D(2026, 1, 5), []),
        (
            [DONE_AANMELDING, DONE_SWV, DONE_CONSULENT, DONE_GPO],
            "open",
            D(2026, 3, 1),
            D(2026, 1, 6),
            ["gpo_follow_up_overdue"],
        ),
    ],
)
def test_case_warnings(steps, status, deadline, today, expected) -> None:
    assert warning_codes(steps, status, deadline, today) == expected


def test_out_of_order_warning_names_the_missing_steps_and_the_reason() -> None:
    consulent = make(
        "consulent",
        consulent_type="onderwijsconsulent",
        parental_consent=True,
        requested_on=D(2025, 10, 1),
        out_of_order_reason="Ouders vroegen zelf een consulent.",
    )
    [warning] = rules.case_warnings([consulent], status="open", return_deadline=D(2026, 3, 1), today=TODAY)
    assert warning.code == "out_of_order"
    assert "schriftelijke aanmelding en inzet samenwerkingsverband" in warning.message
    assert "Ouders vroegen zelf een consulent." in warning.message


def test_out_of_order_warning_without_reason_says_so() -> None:
    [warning] = rules.case_warnings([DONE_SWV], status="open", return_deadline=D(2026, 3, 1), today=TODAY)
    assert "geen reden" in warning.message


def test_undecided_aanmelding_warning_mentions_temporary_enrolment_date() -> None:
    step = make("aanmelding", received_on=D(2025, 9, 1))
    [warning] = rules.case_warnings(
        [step], status="open", return_deadline=D(2026, 3, 1), today=D(2025, 11, 12)
    )
    assert "13-10-2025" in warning.message
    assert "10-11-2025" in warning.message
    assert "tijdelijke inschrijving" in warning.message


WAITING_AANMELDING = make("aanmelding", received_on=D(2025, 11, 17))
ADMITTED = make("aanmelding", received_on=D(2025, 9, 1), decision="toegelaten", decided_on=D(2025, 9, 20))
ALL_DONE = [DONE_AANMELDING, DONE_SWV, DONE_CONSULENT]


@pytest.mark.parametrize(
    ("steps", "status", "deadline", "expected"),
    [
        ([], "open", D(2026, 3, 1), "schriftelijk aanmelden"),
        ([WAITING_AANMELDING], "open", D(2026, 3, 1), "uiterlijk 29-12-2025"),
        ([ADMITTED], "open", D(2026, 3, 1), "toegelaten"),
        ([DONE_AANMELDING], "open", D(2026, 3, 1), "samenwerkingsverband om inzet"),
        (
            [DONE_AANMELDING, make("swv_inzet", started_on=D(2025, 10, 1))],
            "open",
            D(2026, 3, 1),
            "wanneer de inzet is afgerond",
        ),
        ([DONE_AANMELDING, DONE_SWV], "open", D(2026, 3, 1), "toestemming van de ouders"),
        (
            [DONE_AANMELDING, DONE_SWV, make("consulent", requested_on=D(2025, 11, 1))],
            "open",
            D(2026, 3, 1),
            "advies",
        ),
        ([*ALL_DONE, OPEN_GPO], "open", D(2026, 3, 1), "oordeel van de Geschillencommissie"),
        ([*ALL_DONE, DONE_GPO], "open", D(2026, 3, 1), "uiterlijk 05-01-2026"),
        (ALL_DONE, "open", D(2026, 3, 1), "zodra het passend aanbod start, uiterlijk 01-03-2026"),
        (ALL_DONE, "open", D(2025, 12, 14), "meld de leerling bij het Interventieteam"),
        (ALL_DONE, "open", D(2025, 12, 15), "zodra het passend aanbod start"),  # deadline day: not yet
        (
            [*ALL_DONE, make("interventieteam", reported_on=D(2025, 12, 1))],
            "open",
            D(2025, 11, 1),
            "Volg de inzet van het Interventieteam",
        ),
        (
            [*ALL_DONE, make("interventieteam", reported_on=D(2025, 12, 1), closed_on=D(2025, 12, 10))],
            "open",
            D(2025, 11, 1),
            "Sluit het dossier af met een uitkomst",
        ),
        (ALL_DONE, "closed", D(2025, 12, 14), "heropen"),
    ],
)
def test_next_action(steps: list, status: str, deadline: date, expected: str) -> None:
    sentence = rules.next_action(steps, status=status, return_deadline=deadline, today=TODAY)
    assert expected in sentence
    assert sentence.endswith(".")


def test_next_action_asks_for_the_missing_aanmelding_before_later_steps() -> None:
    sentence = rules.next_action(
        [DONE_SWV, DONE_CONSULENT], status="open", return_deadline=D(2025, 12, 1), today=TODAY
    )
    assert "schriftelijk aanmelden" in sentence
    assert "Interventieteam" not in sentence
