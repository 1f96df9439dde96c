"""What the case page advises: warnings on an accepted case and the next action.

Every case states its own dates; nothing here depends on the real date.
"""

from datetime import date

import pytest

from tests.step_examples import (
    DONE_AANMELDING,
    DONE_CONSULENT,
    DONE_GPO,
    DONE_SWV,
    OPEN_GPO,
    TODAY,
    D,
    make,
)
from thuiszitters.escalation import advice

# --- Warnings and next action -------------------------------------------------------------------------------


def warning_codes(steps: list, status: str, deadline: date, today: date) -> list[str]:
    return [w.code for w in advice.case_warnings(steps, status=status, return_deadline=deadline, today=today)]


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
    [warning] = advice.case_warnings([consulent], status="open", return_deadline=D(2026, 3, 1), today=TODAY)
    assert warning.code == "out_of_order"
    assert "schriftelijke aanmelding en inzet samenwerkingsverband" in warning.message
    assert "Ouders vroegen zelf een consulent." in warning.message


def test_out_of_order_warning_without_reason_says_so() -> None:
    [warning] = advice.case_warnings([DONE_SWV], status="open", return_deadline=D(2026, 3, 1), today=TODAY)
    assert "geen reden" in warning.message


def test_undecided_aanmelding_warning_mentions_temporary_enrolment_date() -> None:
    step = make("aanmelding", received_on=D(2025, 9, 1))
    [warning] = advice.case_warnings(
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
    sentence = advice.next_action(steps, status=status, return_deadline=deadline, today=TODAY)
    assert expected in sentence
    assert sentence.endswith(".")


def test_next_action_asks_for_the_missing_aanmelding_before_later_steps() -> None:
    sentence = advice.next_action(
        [DONE_SWV, DONE_CONSULENT], status="open", return_deadline=D(2025, 12, 1), today=TODAY
    )
    assert "schriftelijk aanmelden" in sentence
    assert "Interventieteam" not in sentence


@pytest.mark.parametrize(
    ("steps", "status", "deadline", "do", "kind"),
    [
        ([], "signaal", None, advice.RECORD_FIRST_DAY, None),
        ([], "open", D(2026, 3, 1), advice.RECORD_STEP, "aanmelding"),
        ([WAITING_AANMELDING], "open", D(2026, 3, 1), advice.COMPLETE_STEP, "aanmelding"),
        ([ADMITTED], "open", D(2026, 3, 1), advice.CLOSE, None),
        ([DONE_AANMELDING], "open", D(2026, 3, 1), advice.RECORD_STEP, "swv_inzet"),
        ([DONE_AANMELDING, make("swv_inzet", started_on=D(2025, 10, 1))], "open", D(2026, 3, 1),
         advice.COMPLETE_STEP, "swv_inzet"),
        ([*ALL_DONE, OPEN_GPO], "open", D(2026, 3, 1), advice.COMPLETE_STEP, "geschillencommissie"),
        (ALL_DONE, "open", D(2025, 12, 14), advice.RECORD_STEP, "interventieteam"),
        (ALL_DONE, "open", D(2026, 3, 1), advice.CLOSE, None),
        (ALL_DONE, "closed", D(2025, 12, 14), advice.REOPEN, None),
    ],
)
def test_the_advice_names_the_action_its_sentence_asks_for(steps, status, deadline, do, kind) -> None:
    """The case page's primary button follows the same walk through the chain as the sentence above it."""
    given = advice.advise(steps, status=status, return_deadline=deadline, today=TODAY)
    assert (given.do, given.kind) == (do, kind)
    assert given.text == advice.next_action(steps, status=status, return_deadline=deadline, today=TODAY)
