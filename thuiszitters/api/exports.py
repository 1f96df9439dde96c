"""Export endpoints: the stored monthly inspectie exports and their files. Inspectie and admin only."""
from __future__ import annotations

from flask import g, jsonify, send_file

from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import operation, ref, register, response
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


_FILE = {"type": "string", "format": "binary"}
_MONTH = {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "example": "2026-10"}

register(
    {
        "/exports": {"get": operation(
            "listExports", tag="Exports", summary="De opgeslagen maandexports, nieuwste maand eerst",
            description="Elke maandexport voor de inspectie met zijn bestanden en hun SHA-256-controlesommen. "
                        "Alleen voor inspectie en beheer.",
            responses={"200": response("De exports", {"type": "array", "items": ref("ExportRun")})},
            errors=(403,),
        )},
        "/exports/{month}/{fileName}": {"get": operation(
            "downloadExportFile", tag="Exports", summary="Eén bestand van een maandexport",
            description="Het bestand als bijlage; de download wordt vastgelegd in het logboek. Een onbekende maand "
                        "of een naam die niet bij de export hoort is 404.",
            parameters=[
                {"name": "month", "in": "path", "required": True, "description": "De maand (JJJJ-MM).",
                 "schema": _MONTH},
                {"name": "fileName", "in": "path", "required": True, "description": "Een naam uit files.",
                 "schema": {"type": "string", "minLength": 1, "maxLength": 255}, "example": "cases.csv"},
            ],
            responses={"200": response(
                "Het bestand",
                content={"text/csv": {"schema": _FILE},
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": _FILE},
                         "application/json": {"schema": ref("ExportManifest")}},
                headers={"Content-Disposition": {"description": "attachment, met de bestandsnaam",
                                                 "required": True, "schema": {"type": "string"}}})},
            errors=(403, 404),
        )},
    },
    schemas={
        "ExportRun": {
            "type": "object", "additionalProperties": False,
            "required": ["month", "createdAt", "files"],
            "properties": {
                "month": _MONTH,
                "createdAt": {"type": "string", "format": "date-time"},
                "files": {"type": "array", "items": ref("ExportFile")},
            },
        },
        "ExportFile": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "sha256", "size"],
            "properties": {
                "name": {"type": "string"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "size": {"type": "integer", "minimum": 0},
            },
        },
        "ExportManifest": {
            "type": "object",
            "required": ["month", "schoolYearStart", "generatedFor", "caseCount", "files"],
            "properties": {
                "month": _MONTH,
                "schoolYearStart": {"type": "string", "format": "date"},
                "generatedFor": {"type": "string"},
                "caseCount": {"type": "integer", "minimum": 0},
                "files": {"type": "array", "items": ref("ExportFile")},
            },
        },
    },
)
