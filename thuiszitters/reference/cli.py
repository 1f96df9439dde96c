"""`flask refdata import KIND FILE`: reference data from a CSV file."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from thuiszitters.extensions import db
from thuiszitters.reference.services import COLUMNS, ImportRefused, import_csv

refdata_cli = AppGroup("refdata", help="Referentiegegevens (swv's, gemeenten, scholen).")


@refdata_cli.command("import")
@click.argument("kind", type=click.Choice(list(COLUMNS)))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def refdata_import(kind: str, path: str):
    """Import reference data from a CSV file (docs/reference-data.md). A bad row refuses the whole file."""
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    try:
        result = import_csv(kind, text)
    except ImportRefused as exc:
        db.session.rollback()
        click.echo(f"Bestand geweigerd, er is niets geïmporteerd ({len(exc.problems)} fout(en)):", err=True)
        for line, message in exc.problems:
            click.echo(f"  regel {line}: {message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"{result.created} nieuw, {result.updated} bijgewerkt.")


COMMANDS = [refdata_cli]
