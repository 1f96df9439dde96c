"""`flask backup`: an online backup of the SQLite database."""
from __future__ import annotations

from pathlib import Path

import click

from thuiszitters.ops.backup import BackupError, sqlite_backup
from thuiszitters.ops.commands import fail


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="het nieuwe back-upbestand")
def backup(out: str):
    """Online backup of the SQLite database (PostgreSQL: use pg_dump, see docs/deploy.md)."""
    try:
        path = sqlite_backup(Path(out))
    except BackupError as exc:
        fail(str(exc))
        return
    click.echo(f"Back-up geschreven naar {path}.")


COMMANDS = [backup]
