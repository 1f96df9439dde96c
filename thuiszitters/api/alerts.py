"""Alert endpoints: the leerplicht review queue as API (API.md, "Alerts")."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request

from thuiszitters.alerts.kinds import ALERT_KIND_LABELS, ALERT_STATUSES
from thuiszitters.alerts.models import Alert
from thuiszitters.alerts.services import MAX_NOTE_LENGTH, acknowledge_alert, alerts_in_scope, get_visible_alert
from thuiszitters.api import inputs as p
from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import DEFAULT_MAX_PAGE_SIZE, operation, page_schema, path_id, ref, register, response
from thuiszitters.audit.services import read_activity, record_list_read
from thuiszitters.clock import now_utc
from thuiszitters.errors import InvalidParam, InvalidRequest
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require
from thuiszitters.text import utc_timestamp


def _timestamp(value) -> str | None:
    return utc_timestamp(value) if value else None


def alert_json(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "caseId": alert.case_id,
        "kind": alert.kind,
        "dueOn": alert.due_on.isoformat(),
        "createdAt": _timestamp(alert.created_at),
        "status": alert.status,
        "acknowledgedBy": (
            {"id": alert.acknowledged_by.id, "name": alert.acknowledged_by.name} if alert.acknowledged_by else None
        ),
        "acknowledgedAt": _timestamp(alert.acknowledged_at),
        "note": alert.note,
    }


ACKNOWLEDGE_FIELDS = [p.Field("note", "note", p.text(MAX_NOTE_LENGTH, non_blank=True), required=True)]


@bp.get("/alerts")
def list_alerts():
    require(g.api_user, Capability.READ_CASES)
    status = request.args.get("status", "open")
    if status not in ALERT_STATUSES:
        raise InvalidRequest([InvalidParam("status", "invalid_choice", "status is 'open' of 'acknowledged'.")])
    problems: list[InvalidParam] = []
    page, page_size = p.page_params(request.args, current_app.config["API_MAX_PAGE_SIZE"], problems)
    if problems:
        raise InvalidRequest(problems)
    result = db.paginate(alerts_in_scope(g.api_user, status), page=page, per_page=page_size,
                         max_per_page=page_size, error_out=False)
    response = jsonify({"items": [alert_json(a) for a in result.items], "page": page, "pageSize": page_size,
                        "total": result.total})
    record_list_read("case.list", actor_id=g.api_user.id, activity=read_activity(g.api_user.role),
                     case_ids=[alert.case_id for alert in result.items], listed_on=request.path)
    db.session.commit()
    return response


@bp.post("/alerts/<int:alert_id>/acknowledge")
def acknowledge_alert_endpoint(alert_id: int):
    require(g.api_user, Capability.REVIEW_ALERTS)
    get_visible_alert(g.api_user, alert_id)  # 404 before the body is looked at
    values = p.parse(p.json_body(), ACKNOWLEDGE_FIELDS)
    alert = acknowledge_alert(g.api_user, alert_id, values["note"], now_utc())
    db.session.commit()
    return jsonify(alert_json(alert))


_ALERT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "caseId", "kind", "dueOn", "createdAt", "status", "acknowledgedBy", "acknowledgedAt", "note"],
    "properties": {
        "id": {"type": "integer"},
        "caseId": {"type": "integer"},
        "kind": {"type": "string", "enum": sorted(ALERT_KIND_LABELS)},
        "dueOn": {"type": "string", "format": "date"},
        "createdAt": {"type": ["string", "null"], "format": "date-time"},
        "status": {"type": "string", "enum": list(ALERT_STATUSES)},
        "acknowledgedBy": {"oneOf": [
            {"type": "null"},
            {"type": "object", "additionalProperties": False, "required": ["id", "name"],
             "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}]},
        "acknowledgedAt": {"type": ["string", "null"], "format": "date-time"},
        "note": {"type": ["string", "null"]},
    },
}

register(
    {
        "/alerts": {"get": operation(
            "listAlerts", tag="Signalen", summary="Signalen in uw scope",
            description="Open signalen: langst verlopen eerst; afgehandelde: nieuwste eerst.",
            parameters=[
                {"name": "status", "in": "query", "description": "open (standaard) of acknowledged.",
                 "schema": {"type": "string", "enum": list(ALERT_STATUSES), "default": "open"}},
                *p.page_parameters(DEFAULT_MAX_PAGE_SIZE),
            ],
            responses={"200": response("Een pagina signalen", page_schema(ref("Alert")))},
            errors=(403,),
        )},
        "/alerts/{alertId}/acknowledge": {"post": operation(
            "acknowledgeAlert", tag="Signalen", summary="Een signaal afhandelen",
            description="Alleen leerplicht: handelt een open signaal af met een notitie. Een al afgehandeld signaal "
                        "is 409.",
            parameters=[path_id("alertId", "Het id van het signaal.")],
            body=p.object_schema(ACKNOWLEDGE_FIELDS),
            responses={"200": response("Het afgehandelde signaal", ref("Alert"))},
            errors=(403, 404, 409),
        )},
    },
    {"Alert": _ALERT_SCHEMA},
)
