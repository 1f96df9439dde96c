"""Flask commands (`flask --app app ...`): each area's `cli.py` holds its commands; this module only collects them.

Each command parses its input, calls a service and commits once; a refusal exits 1 with a Dutch message
(ops/commands.py).
"""
from __future__ import annotations

from flask import Flask

from thuiszitters import scheduler
from thuiszitters.accounts import cli as accounts_cli
from thuiszitters.audit import cli as audit_cli
from thuiszitters.exports import cli as exports_cli
from thuiszitters.ops import cli as ops_cli
from thuiszitters.reference import cli as reference_cli
from thuiszitters.reminders import cli as reminders_cli
from thuiszitters.reports import cli as reports_cli
from thuiszitters.retention import cli as retention_cli
from thuiszitters.seed import cli as seed_cli

AREAS = (ops_cli, audit_cli, reference_cli, accounts_cli, reminders_cli, reports_cli, exports_cli, retention_cli,
         seed_cli, scheduler)


def register_cli(app: Flask) -> None:
    for area in AREAS:
        for command in area.COMMANDS:
            app.cli.add_command(command)
