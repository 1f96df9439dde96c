"""Commands for the audit trail, retention and housekeeping of sessions and login attempts."""
from __future__ import annotations

import sys
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from thuiszitters.clitools import ISO_DATE
from thuiszitters.extensions import db

audit_cli = AppGroup("audit", help="De audittrail (verwerkingenlogboek).")
retention_cli = AppGroup("retention", help="Bewaartermijnen.")
security_cli = AppGroup("security", help="Sessies en inlogpogingen.")


@audit_cli.command("verify")
def audit_verify():
    """Recompute the hash chain; exit 1 when a row was edited or deleted."""
    from thuiszitters.audit.verify import verify_chain

    report = verify_chain()
    for problem in report.problems:
        click.echo(f"FOUT: {problem.message}", err=True)
    if report.ok:
        click.echo(f"In orde: {report.checked} gebeurtenissen, laatste id {report.last_id}, "
                   f"kop-hash {report.head_hash}")
        return
    click.echo(f"{len(report.problems)} probleem/problemen in {report.checked} gebeurtenissen.", err=True)
    sys.exit(1)


@retention_cli.command("run")
@click.option("--today", "day", type=ISO_DATE, default=None, help="YYYY-MM-DD (standaard: de klok van de app)")
def retention_run(day: date | None):
    """Anonymise closed cases whose retention period has passed."""
    from thuiszitters.clock import today
    from thuiszitters.retention import anonymise_expired_cases, retention_cutoff

    day = day or today()
    count = anonymise_expired_cases(day)
    db.session.commit()
    cutoff = retention_cutoff(day, int(current_app.config["RETENTION_YEARS"]))
    click.echo(f"{count} casus(sen) geanonimiseerd (gesloten op of vóór {cutoff.isoformat()}).")


@security_cli.command("purge")
def security_purge():
    """Delete expired sessions and login attempts older than the throttling window (the scheduler does this hourly)."""
    from thuiszitters.accounts.housekeeping import purge_security_records

    summary = purge_security_records()
    db.session.commit()
    click.echo(f"{summary}." if summary else "Niets te verwijderen.")


def register(app: Flask) -> None:
    app.cli.add_command(audit_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(security_cli)
