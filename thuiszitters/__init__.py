"""Thuiszitters: case tracking that gets every pupil who is out of school back into education.

`create_app()` builds the app in this order: settings -> extensions -> logs -> blueprints (listed below) -> http ->
cli. It starts no scheduler (that is `flask scheduler run`, thuiszitters/scheduler.py). docs/architecture.md has the
map of the house.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from thuiszitters import cli, extensions, http, logs
from thuiszitters.accounts import admin_views, oidc_views
from thuiszitters.accounts import models as accounts_models
from thuiszitters.accounts import views as accounts_views
from thuiszitters.alerts import models as alerts_models
from thuiszitters.alerts import views as alerts_views
from thuiszitters.api import bp as api_bp
from thuiszitters.audit import models as audit_models
from thuiszitters.cases import models as cases_models
from thuiszitters.cases import views as cases_views
from thuiszitters.casework import models as casework_models
from thuiszitters.casework import plan_views  # noqa: F401  (the plan's routes, on the casework blueprint)
from thuiszitters.casework import views as casework_views
from thuiszitters.dashboard import views as dashboard_views
from thuiszitters.documents import models as documents_models
from thuiszitters.documents import views as documents_views
from thuiszitters.exports import models as exports_models
from thuiszitters.exports import views as exports_views
from thuiszitters.mail import models as mail_models
from thuiszitters.mail import views as mail_views
from thuiszitters.ops import models as ops_models
from thuiszitters.reference import models as reference_models
from thuiszitters.reference import views as reference_views
from thuiszitters.reminders import models as reminders_models
from thuiszitters.reminders import views as reminders_views
from thuiszitters.reports import views as reports_views
from thuiszitters.settings import load_config
from thuiszitters.worklist import views as worklist_views

ROOT = Path(__file__).resolve().parent.parent

# The schema: every area's models, so that the metadata (Alembic, `flask db check`, the tests' emptying of tables)
# holds every table, also of an area without pages.
SCHEMA = (ops_models, audit_models, reference_models, mail_models, accounts_models, cases_models, documents_models,
          casework_models, alerts_models, reminders_models, exports_models)

BLUEPRINTS = (
    accounts_views.bp,  # auth: login, second factor, logout
    oidc_views.bp,  # oidc: sign-in through the organisation
    admin_views.bp,  # admin: users
    reference_views.bp,
    cases_views.bp,
    documents_views.bp,  # files on a case
    casework_views.bp,  # the network, the journal, the plan van aanpak and the meetings (plan_views) of a case
    alerts_views.bp,
    reminders_views.bp,  # no routes: the case page's missed reminders
    reports_views.bp,
    exports_views.bp,
    dashboard_views.bp,
    worklist_views.bp,  # the werkvoorraad (Mijn werk)
    mail_views.bp,
    api_bp,
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, logs, blueprints, the web edge, the commands. Starts no scheduler."""
    app = http.App(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    load_config(app, overrides or {})
    extensions.init_app(app)
    logs.configure_logging(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    http.init_app(app)
    cli.register_cli(app)
    return app
