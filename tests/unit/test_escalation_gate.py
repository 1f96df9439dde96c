"""Progress through the chain: when a step is done, the interventieteam gate, order and stage.

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
    OPEN_GPO,
    TODAY,
    D,
    make,
)
from thuiszitters.escalation import gate

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
    assert gate.step_done(step, today) is done


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
    assert gate.interventieteam_missing_steps(steps, TODAY) == missing


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
    assert gate.missing_predecessors(kind, steps) == missing


def test_missing_predecessors_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown step kind"):
        gate.missing_predecessors("bezwaar", [])


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
    assert gate.stage(steps) == expected


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (None, "Nog geen stap"),
        ("swv_inzet", "Inzet samenwerkingsverband"),
        ("consulent", "Onderwijs(zorg)consulent"),
    ],
)
def test_stage_label(kind: str | None, label: str) -> None:
    assert gate.stage_label(kind) == label


@pytest.mark.parametrize(
    ("kind", "step", "needed"),
    [
        ("aanmelding", None, ("Besluit van de school", "Besluitdatum")),
        ("aanmelding", make("aanmelding", received_on=D(2025, 9, 1), decision="afgewezen"), ("Besluitdatum",)),
        ("aanmelding", DONE_AANMELDING, ()),
        ("swv_inzet", make("swv_inzet", started_on=D(2025, 10, 1)),
         ("Actie van het samenwerkingsverband", "Einddatum")),
        ("consulent", make("consulent", requested_on=D(2025, 10, 1)), ("Adviesdatum of datum afsluiting",)),
        ("consulent", DONE_CONSULENT, ()),
        ("geschillencommissie", OPEN_GPO, ("Oordeel", "Datum oordeel")),
        ("interventieteam", None, ("Datum afsluiting",)),
    ],
)
def test_still_needed_names_what_the_spec_requires_for_done(kind, step, needed) -> None:
    assert gate.still_needed(kind, step) == needed
    if step is not None and needed:
        assert gate.recorded_done_on(step) is None
