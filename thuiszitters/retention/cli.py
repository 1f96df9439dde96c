"""`flask retention run`: anonymise what is past its retention period now."""
from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from thuiszitters.clock import today
from thuiszitters.extensions import db
from thuiszitters.ops.commands import ISO_DATE
from thuiszitters.retention.services import anonymise_expired_cases, retention_cutoff

retention_cli = AppGroup("retention", help="Bewaartermijnen.")


@retention_cli.command("run")
@click.option("--today", "day", type=ISO_DATE, default=None, help="YYYY-MM-DD (standaard: de klok van de app)")
def retention_run(day: date | None):
    """Anonymise closed cases whose retention period has passed."""
    day = day or today()
    count = anonymise_expired_cases(day)
    db.session.commit()
    cutoff = retention_cutoff(day, int(current_app.config["RETENTION_YEARS"]))
    click.echo(f"{count} casus(sen) geanonimiseerd (gesloten op of vóór {cutoff.isoformat()}).")


COMMANDS = [retention_cli]
