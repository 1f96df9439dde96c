"""Export endpoints: the stored monthly inspectie exports and their files. Inspectie and admin only."""
from __future__ import annotations

from flask import g, jsonify, send_file

from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import problem_responses, register
from thuiszitters.exports import services
from thuiszitters.exports.models import ExportRun
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require
from thuiszitters.text import utc_timestamp


def _run_json(run: ExportRun) -> dict:
    return {
        "month": run.month,
        "createdAt": utc_timestamp(run.created_at),
        "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in run.files],
    }


@bp.get("/exports")
def list_exports():
    require(g.api_user, Capability.READ_EXPORTS)
    return jsonify([_run_json(run) for run in services.list_runs()])


@bp.get("/exports/<month>/<file_name>")
def download_export_file(month: str, file_name: str):
    require(g.api_user, Capability.READ_EXPORTS)
    path, file = services.open_for_download(month, file_name, actor_id=g.api_user.id)
    db.session.commit()
    response = send_file(path, as_attachment=True, download_name=file.name)
    response.headers["Cache-Control"] = "no-store"
    return response


register(
    {
        "/exports": {"get": {
            "summary": "De opgeslagen maandexports voor de inspectie, nieuwste maand eerst",
            "operationId": "listExports",
            "responses": {
                "200": {"description": "Exports met hun bestanden en SHA-256-controlesommen",
                        "content": {"application/json": {"schema": {
                            "type": "array", "items": {"$ref": "#/components/schemas/ExportRun"}}}}},
                **problem_responses(401, 403),
            },
        }},
        "/exports/{month}/{fileName}": {"get": {
            "summary": "Eén bestand van een maandexport (de download wordt vastgelegd)",
            "operationId": "downloadExportFile",
            "parameters": [
                {"name": "month", "in": "path", "required": True,
                 "schema": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}, "example": "2026-10"},
                {"name": "fileName", "in": "path", "required": True, "schema": {"type": "string"},
                 "example": "cases.csv"},
            ],
            "responses": {
                "200": {"description": "Het bestand", "content": {
                    "text/csv": {"schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}},
                    "application/json": {"schema": {"type": "object"}},
                }},
                **problem_responses(401, 403, 404),
            },
        }},
    },
    schemas={
        "ExportRun": {
            "type": "object",
            "required": ["month", "createdAt", "files"],
            "properties": {
                "month": {"type": "string", "example": "2026-10"},
                "createdAt": {"type": "string", "format": "date-time"},
                "files": {"type": "array", "items": {"$ref": "#/components/schemas/ExportFile"}},
            },
        },
        "ExportFile": {
            "type": "object",
            "required": ["name", "sha256", "size"],
            "properties": {
                "name": {"type": "string"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "size": {"type": "integer", "minimum": 0},
            },
        },
    },
)
