"""`flask reminders run`: one sweep now. (`flask reminders deliver` is the mail area's, under the same group.)"""
from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from thuiszitters.clock import now_utc, today
from thuiszitters.extensions import db
from thuiszitters.mail.cli import deliver
from thuiszitters.ops.commands import ISO_DATE
from thuiszitters.reminders.services import send_due_reminders

reminders_cli = AppGroup("reminders", help="Herinneringen, signalen en de uitgaande mail.")
reminders_cli.add_command(deliver)


@reminders_cli.command("run")
@click.option("--today", "day", type=ISO_DATE, default=None, help="YYYY-MM-DD (standaard: de klok van de app)")
def reminders_run(day: date | None):
    """One sweep of all reminder rules; safe to repeat. Prints what it queued."""
    day = day or today()
    try:
        # A commit after every batch: users keep saving while a long catch-up sweep runs (SQLite's one write lock).
        result = send_due_reminders(day, now_utc(), commit=db.session.commit)
        db.session.commit()
    except OperationalError:
        # SQLite: another writer held the write lock longer than the busy timeout. The batches committed before
        # are kept; the next run records the rest.
        db.session.rollback()
        click.echo("Er loopt al een andere ronde; probeer het zo opnieuw.", err=True)
        sys.exit(1)
    click.echo(f"Ronde van {day.isoformat()}: {result.total} herinnering(en), {result.notifications} melding(en), "
               f"{result.mails} mail(s) in de wachtrij, {result.alerts} nieuw(e) signaal/signalen.")
    for rule, count in sorted(result.reminders.items()):
        click.echo(f"  {rule}: {count}")
    if result.missed:
        click.echo(f"{sum(result.missed.values())} gemiste herinnering(en) vastgelegd (te laat om te versturen):")
        for rule, count in sorted(result.missed.items()):
            click.echo(f"  {rule}: {count}")


COMMANDS = [reminders_cli]
