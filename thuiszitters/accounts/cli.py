"""`flask users ...` (accounts and API tokens) and `flask security purge` (expired sessions, old login attempts)."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from thuiszitters.accounts.housekeeping import purge_security_records
from thuiszitters.accounts.services import UserInput, create_user, find_user_by_email, issue_token
from thuiszitters.errors import ValidationFailed
from thuiszitters.extensions import db
from thuiszitters.http.templating import format_date
from thuiszitters.ops.commands import fail, refused
from thuiszitters.permissions import Role

users_cli = AppGroup("users", help="Gebruikers en API-sleutels.")
security_cli = AppGroup("security", help="Sessies en inlogpogingen.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--swv", "swvs", multiple=True, help="swv-code, bijvoorbeeld 'PO 27-01' (herhaalbaar)")
@click.option("--gemeente", "gemeenten", multiple=True, help="gemeentecode, bijvoorbeeld GM0363 (herhaalbaar)")
@click.option("--name", default=None)
def users_create(email: str, role: str, swvs: tuple[str, ...], gemeenten: tuple[str, ...], name: str | None):
    """Create a user; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else click.prompt(
        "Wachtwoord", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            UserInput(email=email, name=name or email.split("@")[0], role=role, swv_codes=swvs,
                      gemeente_codes=gemeenten),
            password, actor_id=None,
        )
    except ValidationFailed as exc:
        refused(exc)
    db.session.commit()
    click.echo(f"Gebruiker {user.email} aangemaakt met rol {user.role}.")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", help="waarvoor de sleutel is")
@click.option("--days", type=int, default=None, help="geldigheid in dagen (standaard API_TOKEN_DAYS, 365)")
def users_token(email: str, name: str, days: int | None):
    """Print a new API token for a user (shown once, stored hashed); it expires after --days."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        fail(f"geen actieve gebruiker {email}")
        return
    try:
        issued = issue_token(user, name, actor_id=None, days=days)
    except ValidationFailed as exc:
        refused(exc)
    db.session.commit()
    click.echo(issued.token)
    click.echo(f"Geldig tot {format_date(issued.expires_at)}.", err=True)


@security_cli.command("purge")
def security_purge():
    """Delete expired sessions and login attempts older than the throttling window (the scheduler does this hourly)."""
    summary = purge_security_records()
    db.session.commit()
    click.echo(f"{summary}." if summary else "Niets te verwijderen.")


COMMANDS = [users_cli, security_cli]
