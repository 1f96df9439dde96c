"""`flask audit verify`: check the audit trail's hash chain."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from thuiszitters.audit.verify import verify_chain

audit_cli = AppGroup("audit", help="De audittrail (verwerkingenlogboek).")


@audit_cli.command("verify")
def audit_verify():
    """Recompute the hash chain; exit 1 when a row was edited or deleted."""
    report = verify_chain()
    for problem in report.problems:
        click.echo(f"FOUT: {problem.message}", err=True)
    if report.ok:
        click.echo(f"In orde: {report.checked} gebeurtenissen, laatste id {report.last_id}, "
                   f"kop-hash {report.head_hash}")
        return
    click.echo(f"{len(report.problems)} probleem/problemen in {report.checked} gebeurtenissen.", err=True)
    sys.exit(1)


COMMANDS = [audit_cli]
