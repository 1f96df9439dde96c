"""What every command-line module shares."""
from __future__ import annotations

import sys
from typing import NoReturn

import click

from thuiszitters.extensions import db


def fail(message: str) -> NoReturn:
    """Undo the command's changes, print a Dutch error and exit 1."""
    db.session.rollback()
    click.echo(f"Fout: {message}", err=True)
    sys.exit(1)
