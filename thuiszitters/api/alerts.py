"""Alert endpoints: the leerplicht review queue as API (API.md, "Alerts")."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request

from thuiszitters.alerts.kinds import ALERT_KIND_LABELS, ALERT_STATUSES
from thuiszitters.alerts.models import Alert
from thuiszitters.alerts.services import acknowledge_alert, alerts_in_scope, get_visible_alert
from thuiszitters.api.blueprint import bp
from thuiszitters.api.inputs import json_body, page_params
from thuiszitters.api.openapi import problem_responses, register
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


@bp.get("/alerts")
def list_alerts():
    require(g.api_user, Capability.READ_CASES)
    status = request.args.get("status", "open")
    if status not in ALERT_STATUSES:
        raise InvalidRequest([InvalidParam("status", "invalid_choice", "status is 'open' of 'acknowledged'.")])
    problems: list[InvalidParam] = []
    page, page_size = page_params(request.args, current_app.config["API_MAX_PAGE_SIZE"], problems)
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
    note = json_body().get("note")
    if note is not None and not isinstance(note, str):
        raise InvalidRequest([InvalidParam("note", "invalid_type", "note is tekst.")])
    alert = acknowledge_alert(g.api_user, alert_id, note, now_utc())
    db.session.commit()
    return jsonify(alert_json(alert))


_ALERT_SCHEMA = {
    "type": "object",
    "required": ["id", "caseId", "kind", "dueOn", "createdAt", "status", "acknowledgedBy", "note"],
    "properties": {
        "id": {"type": "integer"},
        "caseId": {"type": "integer"},
        "kind": {"type": "string", "enum": sorted(ALERT_KIND_LABELS)},
        "dueOn": {"type": "string", "format": "date"},
        "createdAt": {"type": "string", "format": "date-time"},
        "status": {"type": "string", "enum": list(ALERT_STATUSES)},
        "acknowledgedBy": {"type": ["object", "null"],
                           "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "acknowledgedAt": {"type": ["string", "null"], "format": "date-time"},
        "note": {"type": ["string", "null"]},
    },
}

register(
    {
        "/alerts": {
            "get": {
                "summary": "Signalen in uw scope (open: langst verlopen eerst; afgehandeld: nieuwste eerst)",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(ALERT_STATUSES),
                                                                 "default": "open"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "pageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                ],
                "responses": {
                    "200": {"description": "Een pagina signalen", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["items", "page", "pageSize", "total"],
                        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}},
                                       "page": {"type": "integer"}, "pageSize": {"type": "integer"},
                                       "total": {"type": "integer"}}}}}},
                    **problem_responses(400, 401, 403),
                },
            }
        },
        "/alerts/{alertId}/acknowledge": {
            "post": {
                "summary": "Een signaal afhandelen met een notitie (alleen leerplicht)",
                "parameters": [{"name": "alertId", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["note"], "properties": {"note": {"type": "string", "minLength": 1,
                                                                                    "maxLength": 2000}}}}}},
                "responses": {
                    "200": {"description": "Het afgehandelde signaal",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Alert"}}}},
                    **problem_responses(400, 401, 403, 404, 409),
                },
            }
        },
    },
    {"Alert": _ALERT_SCHEMA},
)
