"""`flask seed demo` and `flask seed synthetic`: demo data, and national-scale synthetic data."""
from __future__ import annotations

import time
from datetime import date

import click
from flask.cli import AppGroup

from thuiszitters.clock import today
from thuiszitters.extensions import db
from thuiszitters.ops.commands import ISO_DATE
from thuiszitters.seed.demo import DEMO_PASSWORD, demo_logins, load_demo
from thuiszitters.seed.synthetic import BENCH_PASSWORD, load_synthetic

seed_cli = AppGroup("seed", help="Demo- en testgegevens.")


@seed_cli.command("demo")
@click.option("--today", "day", type=ISO_DATE, default=None, help="YYYY-MM-DD (standaard: de klok van de app)")
def seed_demo(day: date | None):
    """Load the demo dataset and users (idempotent)."""
    loaded = load_demo(day or today())
    db.session.commit()
    click.echo("Demogegevens geladen." if loaded else "Demogegevens waren er al.")
    click.echo(f"Demo-logins (wachtwoord: {DEMO_PASSWORD}):")
    for login in demo_logins():
        click.echo(f"  {login.email:45} {login.role:12} {login.scope}")


@seed_cli.command("synthetic")
@click.option("--cases", "cases", type=click.IntRange(min=1, max=2_000_000), default=200_000, show_default=True,
              help="aantal casussen")
@click.option("--seed", "seed", type=int, default=2026, show_default=True, help="startwaarde van het toeval")
@click.option("--today", "day", type=ISO_DATE, default=None, help="YYYY-MM-DD (standaard: de klok van de app)")
@click.option("--no-users", is_flag=True, help="geen bench-gebruikers aanmaken")
def seed_synthetic(cases: int, seed: int, day: date | None, no_users: bool) -> None:
    """Load synthetic national data: every swv, ten school years of cases (deterministic per seed)."""
    day = day or today()
    started = time.perf_counter()
    result = load_synthetic(cases, seed, day, with_users=not no_users)
    db.session.commit()
    seconds = time.perf_counter() - started
    click.echo(f"{result.cases} casussen, {result.steps} stappen en {result.alerts} signalen geladen "
               f"in {seconds:.0f} s.")
    if result.logins:
        click.echo(f"Bench-logins (wachtwoord: {BENCH_PASSWORD}):")
        for email, role, scope in result.logins:
            click.echo(f"  {email:40} {role:12} {scope}")


COMMANDS = [seed_cli]
