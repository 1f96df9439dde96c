"""Benchmark: the PDF case summary of a case with 60 events must build in at most 150 ms (p95).

Run from the repository root:  .venv/bin/python bench/bench_pdf.py [--runs 50] [--budget-ms 150]
Prints the timings as JSON on stdout; exits with 1 when p95 is over budget.

The first build in a process also loads and parses the DejaVu fonts; it is timed separately ("cold_ms") and
not counted in the percentiles, because a web worker pays it once, not per summary.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import percentile  # bench/ itself is on the path: these run as scripts

from thuiszitters.reports.model import (
    CaseSummary,
    SummaryAlert,
    SummaryEvent,
    SummaryParty,
    SummaryPupil,
    SummaryStep,
)
from thuiszitters.reports.pdf import build_case_summary

EVENTS = 60
BUDGET_MS = 150.0


def sixty_event_case(events: int = EVENTS) -> CaseSummary:
    """A realistic open, overdue case: a full chain so far, a note every working day or so."""
    start = datetime(2025, 9, 1, 7, 30, tzinfo=UTC)
    actors = ["Őrs Ærøe (coördinator)", "J. de Vries (leerplicht)", "Łukasz Nowak (consulent)"]
    return CaseSummary(
        reference="TZ-2025-0042",
        status_label="Open",
        absence_kind_label="Langdurig relatief verzuim",
        out_of_school_since=date(2025, 9, 1),
        return_deadline=date(2025, 12, 1),
        days_out_of_school=95,
        overdue=True,
        goal_met=None,
        outcome_label=None,
        offer_started_on=None,
        pupil=SummaryPupil("Emre", "Şahin", date(2011, 5, 17), "111222333", "Amsterdam"),
        steps=[
            SummaryStep(
                "Aanmelding",
                [("Ontvangen", "01-09-2025"), ("Besluit", "10-10-2025")],
                [("Besluittermijn", "13-10-2025"), ("Verlengd tot", "10-11-2025")],
                "Afgewezen",
                True,
            ),
            SummaryStep(
                "Inzet swv", [("Gestart", "15-10-2025"), ("Afgerond", "14-11-2025")], [], "TLV", True
            ),
            SummaryStep("Onderwijsconsulent", [("Aangevraagd", "17-11-2025")], [], "", False),
        ],
        events=[
            SummaryEvent(
                at=start + timedelta(days=index * 1.5, minutes=index * 7),
                actor=actors[index % len(actors)],
                description=(
                    f"Notitie {index + 1}: gesprek met ouders en school over de voortgang, de afspraken "
                    "voor de komende weken en de mogelijkheden voor een passend aanbod."
                ),
            )
            for index in range(events)
        ],
        parties=[
            SummaryParty("Coördinator", "Őrs Ærøe", "swv VO 20-01"),
            SummaryParty("Leerplicht", "J. de Vries", "Gemeente Amsterdam"),
            SummaryParty("School", "Ærøe College", "07NU00"),
            SummaryParty("Samenwerkingsverband", "SWV Amstelland", "VO 20-01"),
        ],
        open_alerts=[
            SummaryAlert("Termijn overschreden", date(2025, 12, 2), "Open"),
            SummaryAlert("Geen activiteit", date(2025, 12, 10), "Open"),
        ],
        next_steps=["Advies onderwijsconsulent afwachten", "Overleg met leerplicht plannen"],
        warnings=[],
        generated_by="Őrs Ærøe",
        generated_at=datetime(2025, 12, 5, 13, 30, tzinfo=UTC),
    )



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--budget-ms", type=float, default=BUDGET_MS)
    args = parser.parse_args(argv)

    summary = sixty_event_case()
    started = time.perf_counter()
    size = len(build_case_summary(summary))
    cold_ms = (time.perf_counter() - started) * 1000

    timings: list[float] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        build_case_summary(summary)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()

    p95 = percentile(timings, 0.95)
    result = {
        "benchmark": "pdf_case_summary",
        "events": EVENTS,
        "runs": args.runs,
        "cold_ms": round(cold_ms, 1),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(timings[-1], 1),
        "budget_ms": args.budget_ms,
        "pdf_bytes": size,
        "python": platform.python_version(),
        "ok": p95 <= args.budget_ms,
    }
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
