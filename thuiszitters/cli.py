"""Flask commands (`flask --app app ...`). Each command parses its input, calls a service and commits."""
from __future__ import annotations

import sys
from datetime import date

import click
from flask import Flask
from flask.cli import AppGroup

from thuiszitters import security_cli
from thuiszitters.clitools import ISO_DATE, fail
from thuiszitters.clock import today
from thuiszitters.exports.cli import export_cli
from thuiszitters.extensions import db
from thuiszitters.reminders.cli import register as register_reminders_cli
from thuiszitters.reports.cli import case_cli
from thuiszitters.seed.cli import seed_synthetic

users_cli = AppGroup("users", help="Gebruikers en API-sleutels.")
seed_cli = AppGroup("seed", help="Demo- en testgegevens.")
refdata_cli = AppGroup("refdata", help="Referentiegegevens (swv's, gemeenten, scholen).")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(["coordinator", "leerplicht", "inspectie", "admin"]))
@click.option("--swv", "swvs", multiple=True, help="swv-code, bijvoorbeeld 'PO 27-01' (herhaalbaar)")
@click.option("--gemeente", "gemeenten", multiple=True, help="gemeentecode, bijvoorbeeld GM0363 (herhaalbaar)")
@click.option("--name", default=None)
def users_create(email: str, role: str, swvs: tuple[str, ...], gemeenten: tuple[str, ...], name: str | None):
    """Create a user; the password is read from standard input."""
    from thuiszitters.accounts.services import UserInput, create_user
    from thuiszitters.errors import ValidationFailed

    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else click.prompt(
        "Wachtwoord", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            UserInput(email=email, name=name or email.split("@")[0], role=role, swv_codes=swvs,
                      gemeente_codes=gemeenten),
            password, actor_id=None,
        )
    except ValidationFailed as exc:
        fail("; ".join(p.reason for p in exc.params))
        return
    db.session.commit()
    click.echo(f"Gebruiker {user.email} aangemaakt met rol {user.role}.")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", help="waarvoor de sleutel is")
@click.option("--days", type=int, default=None, help="geldigheid in dagen (standaard API_TOKEN_DAYS, 365)")
def users_token(email: str, name: str, days: int | None):
    """Print a new API token for a user (shown once, stored hashed); it expires after --days."""
    from thuiszitters.accounts.services import find_user_by_email, issue_token
    from thuiszitters.errors import ValidationFailed
    from thuiszitters.formatting import format_date

    user = find_user_by_email(email)
    if user is None or not user.active:
        fail(f"geen actieve gebruiker {email}")
        return
    try:
        issued = issue_token(user, name, actor_id=None, days=days)
    except ValidationFailed as exc:
        fail("; ".join(p.reason for p in exc.params))
        return
    db.session.commit()
    click.echo(issued.token)
    click.echo(f"Geldig tot {format_date(issued.expires_at)}.", err=True)


@seed_cli.command("demo")
@click.option("--today", "day", type=ISO_DATE, default=None, help="YYYY-MM-DD (standaard: de klok van de app)")
def seed_demo(day: date | None):
    """Load the demo dataset and users (idempotent)."""
    from thuiszitters.seed.demo import DEMO_PASSWORD, demo_logins, load_demo

    loaded = load_demo(day or today())
    db.session.commit()
    click.echo("Demogegevens geladen." if loaded else "Demogegevens waren er al.")
    click.echo(f"Demo-logins (wachtwoord: {DEMO_PASSWORD}):")
    for login in demo_logins():
        click.echo(f"  {login.email:45} {login.role:12} {login.scope}")


@refdata_cli.command("import")
@click.argument("kind", type=click.Choice(["swv", "gemeente", "school"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def refdata_import(kind: str, path: str):
    """Import reference data from a CSV file (docs/reference-data.md). A bad row refuses the whole file."""
    from thuiszitters.reference.services import ImportRefused, import_csv

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


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="het nieuwe back-upbestand")
def backup(out: str):
    """Online backup of the SQLite database (PostgreSQL: use pg_dump, see docs/deploy.md)."""
    from pathlib import Path

    from thuiszitters.ops import BackupError, sqlite_backup

    try:
        path = sqlite_backup(Path(out))
    except BackupError as exc:
        fail(str(exc))
        return
    click.echo(f"Back-up geschreven naar {path}.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(backup)
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(refdata_cli)
    seed_cli.add_command(seed_synthetic)
    app.cli.add_command(export_cli)
    app.cli.add_command(case_cli)
    security_cli.register(app)
    register_reminders_cli(app)
