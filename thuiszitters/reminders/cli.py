"""`flask reminders ...` and `flask scheduler run`."""
from __future__ import annotations

import sys
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from thuiszitters.clitools import ISO_DATE
from thuiszitters.clock import now_utc, today
from thuiszitters.extensions import db

reminders_cli = AppGroup("reminders", help="Herinneringen, signalen en de uitgaande mail.")
scheduler_cli = AppGroup("scheduler", help="Het planningsproces (herinneringen, mail, export, bewaartermijn).")


@reminders_cli.command("run")
@click.option("--today", "day", type=ISO_DATE, default=None, help="YYYY-MM-DD (standaard: de klok van de app)")
def reminders_run(day: date | None):
    """One sweep of all reminder rules; safe to repeat. Prints what it queued."""
    from thuiszitters.reminders.services import send_due_reminders

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


@reminders_cli.command("deliver")
def reminders_deliver():
    """Send the mails in the outbox that are due (the scheduler does this every minute)."""
    from thuiszitters.reminders.mailer import deliver_outbox

    result = deliver_outbox(now_utc())
    if result.skipped:
        click.echo("Geen mailserver ingesteld (MAIL_SERVER); de berichten blijven in de wachtrij.")
        return
    click.echo(f"{result.sent} verzonden, {result.failed} mislukt.")


@scheduler_cli.command("run")
def scheduler_run():
    """The long-running scheduler: reminders daily at 07:00 (and once at start), mail every minute."""
    import logging

    from thuiszitters import scheduler

    # Our own logs are JSON lines (thuiszitters.logs); APScheduler's chatter only when something is wrong.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler.run(current_app._get_current_object())  # type: ignore[attr-defined]


def register(app: Flask) -> None:
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_cli)
