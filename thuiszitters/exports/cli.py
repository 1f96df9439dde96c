"""`flask export inspectie --month YYYY-MM [--out DIR]`: build, store and hand out a month's export."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from thuiszitters.clock import now_utc
from thuiszitters.errors import ValidationFailed
from thuiszitters.exports.services import build_month_export, copy_export
from thuiszitters.extensions import db
from thuiszitters.ops.commands import refused

export_cli = AppGroup("export", help="Exports voor de inspectie.")


@export_cli.command("inspectie")
@click.option("--month", "month", required=True, help="de maand, JJJJ-MM (bijvoorbeeld 2026-10)")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="map waarin de bestanden ook worden geschreven")
def export_inspectie(month: str, out_dir: Path | None):
    """Build a month's pseudonymised export for the inspectie, store it, and copy it to --out."""
    try:
        run = build_month_export(month, actor_id=None, now=now_utc())
    except ValidationFailed as exc:
        refused(exc)
    db.session.commit()
    click.echo(f"Export {run.month} gemaakt: {run.case_count} casussen.")
    for file in run.files:
        click.echo(f"  {file.name:32} {file.size:>12} bytes  sha256 {file.sha256}")
    if out_dir is not None:
        try:
            copy_export(run, out_dir)
        except OSError as exc:
            click.echo(f"Fout: de bestanden konden niet naar {out_dir} worden geschreven ({exc.strerror}).", err=True)
            sys.exit(1)
        click.echo(f"Bestanden geschreven naar {out_dir}.")


COMMANDS = [export_cli]
