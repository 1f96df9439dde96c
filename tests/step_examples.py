"""Example steps of the escalation chain for the rule tests, with realistic dates in autumn 2025.

Every test states its own dates; nothing here depends on the real date.
"""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from thuiszitters.escalation import spec

D = date


def make(kind: str, **fields) -> SimpleNamespace:
    """A step with its kind's attributes None unless given, like a row of the single-table model."""
    attributes = spec.KIND[kind].names if kind in spec.KIND else ()
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
