"""Dashboard pages. Each loads its numbers with a fixed number of aggregate queries and renders charts."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from thuiszitters.audit.services import read_activity, record_list_read
from thuiszitters.cases.services import terms
from thuiszitters.clock import today
from thuiszitters.dashboard import panels, queries
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@bp.route("")
def coordinator():
    require(current_user, Capability.COORDINATOR_DASHBOARD)
    data = queries.coordinator_dashboard(current_user, today(), terms())
    return render_template("dashboard/coordinator.html", data=data, panels=panels.coordinator_panels(data),
                           other_outcomes=panels.outcome_rows(data.other_outcomes_12m),
                           other_period="gesloten in de afgelopen 12 maanden")


@bp.route("/leerplicht")
def leerplicht():
    require(current_user, Capability.LEERPLICHT_DASHBOARD)
    data = queries.leerplicht_dashboard(current_user, today(), terms())
    html = render_template("dashboard/leerplicht.html", data=data, panels=panels.leerplicht_panels(data),
                           limit=queries.OVERDUE_LIST_LIMIT)
    # The overdue list names pupils: logged like any other list, once rendered.
    record_list_read("case.list", actor_id=current_user.id, activity=read_activity(current_user.role),
                     case_ids=[row.case.id for row in data.overdue_cases], listed_on=request.path)
    db.session.commit()
    return html


@bp.route("/inspectie")
def inspectie():
    require(current_user, Capability.INSPECTIE_DASHBOARD)
    data = queries.inspectie_dashboard(today(), terms())
    return render_template("dashboard/inspectie.html", data=data, panels=panels.inspectie_panels(data),
                           other_outcomes=panels.outcome_rows(data.other_outcomes),
                           other_period="gesloten dit schooljaar, alle samenwerkingsverbanden")
