"""What every command shares: a Dutch error that undoes the command's changes, and strict date options."""
from __future__ import annotations

import sys
from datetime import date
from typing import Any, NoReturn

import click

from thuiszitters.errors import DomainError, ValidationFailed
from thuiszitters.extensions import db
from thuiszitters.parsing import ParseError, parse_date


def fail(message: str) -> NoReturn:
    """Undo the command's changes, print a Dutch error and exit 1."""
    db.session.rollback()
    click.echo(f"Fout: {message}", err=True)
    sys.exit(1)


def refused(exc: DomainError) -> NoReturn:
    """A service refused the command: every reason on one line (as `fail`)."""
    fail("; ".join(p.reason for p in exc.params) if isinstance(exc, ValidationFailed) else exc.detail)


class IsoDate(click.ParamType):
    """A date option (``--today``): exactly YYYY-MM-DD, as in the API (thuiszitters.parsing)."""

    name = "JJJJ-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(value)
        except ParseError as exc:
            self.fail(f"{value!r}: {exc.reason}", param, ctx)


ISO_DATE = IsoDate()
