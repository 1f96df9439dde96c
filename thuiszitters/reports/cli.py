"""`flask case ...`: case commands for scripts and support."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from thuiszitters.cases.models import Case
from thuiszitters.clock import now_utc, today
from thuiszitters.extensions import db
from thuiszitters.ops.commands import fail
from thuiszitters.reports.summary import SummaryOptions, case_summary_pdf

case_cli = AppGroup("case", help="Casussen.")


@case_cli.command("pdf")
@click.argument("reference")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="het PDF-bestand dat wordt geschreven")
@click.option("--met-contactgegevens", "contact_details", is_flag=True,
              help="met de e-mailadressen en telefoonnummers van het netwerk")
@click.option("--met-journaal", "journal", is_flag=True, help="met het journaal")
def case_pdf(reference: str, out: Path, contact_details: bool, journal: bool) -> None:
    """Write the summary PDF of the case REFERENCE (e.g. TZ-2026-ABCDE). Logged as a download by the system."""
    # The command line acts as the system, with access to every case that is not anonymised.
    case = db.session.scalar(
        select(Case).where(Case.reference == reference.strip().upper(), Case.anonymised_at.is_(None))
    )
    if case is None:
        fail(f"er is geen casus met nummer {reference}.")
        return
    pdf = case_summary_pdf(case, actor=None, today=today(), now=now_utc(), via="cli",
                           options=SummaryOptions(contact_details=contact_details, journal=journal))
    try:
        out.write_bytes(pdf)
    except OSError:
        # Nothing was written, so the download is not logged either (rolled back).
        fail(f"kan {out} niet schrijven. Bestaat de map en mag u daarin schrijven?")
        return
    db.session.commit()
    click.echo(f"Casusoverzicht van {case.reference} geschreven naar {out}.")


COMMANDS = [case_cli]
