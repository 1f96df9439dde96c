"""`flask reminders deliver`: send the mails in the outbox that are due now (under `reminders`, its older name)."""
from __future__ import annotations

import click

from thuiszitters.clock import now_utc
from thuiszitters.mail.delivery import deliver_outbox


@click.command("deliver")
def deliver():
    """Send the mails in the outbox that are due (the scheduler does this every minute)."""
    result = deliver_outbox(now_utc())
    if result.skipped:
        click.echo("Geen mailserver ingesteld (MAIL_SERVER); de berichten blijven in de wachtrij.")
        return
    click.echo(f"{result.sent} verzonden, {result.failed} mislukt.")
