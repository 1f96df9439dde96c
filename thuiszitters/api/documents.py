"""A case's documents through the API: list, upload (multipart), download, remove with a reason."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request

from thuiszitters.api import inputs as p
from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import CASE_ID, operation, path_id, register, response
from thuiszitters.api.serializers import iso, timestamp
from thuiszitters.cases.scope import get_visible_case
from thuiszitters.clock import today
from thuiszitters.documents.content import ALLOWED_TYPES, TYPE_NAMES
from thuiszitters.documents.models import Document
from thuiszitters.documents.rules import DOCUMENT_KINDS, REASON_MAX_LENGTH, TITLE_MAX_LENGTH, may_remove_any_kind
from thuiszitters.documents.services import (
    DocumentInput,
    add_document,
    case_documents,
    read_document,
    remove_document,
)
from thuiszitters.documents.views import MAX_BYTES_SETTING, attachment_response
from thuiszitters.errors import Forbidden, InvalidParam, InvalidRequest
from thuiszitters.extensions import db
from thuiszitters.parsing import ParseError, parse_date
from thuiszitters.permissions import Capability, require

# Only the upload takes a body larger than the app's MAX_CONTENT_LENGTH (http/inputs.py).
bp.record_once(lambda state: state.app.upload_limits.update({"api.upload_document": MAX_BYTES_SETTING}))


def document_json(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "kind": document.kind,
        "title": document.title,
        "fileName": document.file_name,
        "mediaType": document.media_type,
        "size": document.size,
        "sha256": document.sha256,
        "documentDate": iso(document.document_date),
        "uploadedBy": ({"id": document.uploaded_by.id, "name": document.uploaded_by.name}
                       if document.uploaded_by else None),
        "uploadedAt": timestamp(document.uploaded_at),
    }


@bp.get("/cases/<int:case_id>/documents")
def list_documents(case_id: int):
    require(g.api_user, Capability.READ_DOCUMENTS)
    case = get_visible_case(g.api_user, case_id)
    items = [document_json(document) for document in case_documents(g.api_user, case)]  # logs the read
    db.session.commit()
    return jsonify({"items": items})


@bp.post("/cases/<int:case_id>/documents")
def upload_document(case_id: int):
    require(g.api_user, Capability.ADD_DOCUMENTS)
    case = get_visible_case(g.api_user, case_id)
    form = request.form
    problems = [InvalidParam(name, "unknown_field", "Dit veld bestaat niet.")
                for name in sorted({*form, *request.files} - _UPLOAD_FIELDS - {"file"}, key=str)
                if isinstance(name, str) and name]  # a part without a name is no field (the shared check's 400)
    document_date = None
    raw_date = form.get("documentDate")  # an empty one is no date: leave the field out for none
    if raw_date is not None:
        try:
            document_date = parse_date(raw_date)
        except ParseError as exc:
            problems.append(InvalidParam("documentDate", exc.code, exc.reason))
    if problems:
        raise InvalidRequest(problems)
    upload = request.files.get("file")
    data = DocumentInput(kind=form.get("kind") or None, title=form.get("title"), document_date=document_date,
                         file_name=upload.filename if upload is not None else None,
                         stream=upload.stream if upload is not None else None)
    document = add_document(g.api_user, case, data, today=today(),
                            max_bytes=int(current_app.config[MAX_BYTES_SETTING]))
    db.session.commit()
    response = jsonify(document_json(document))
    response.status_code = 201
    response.headers["Location"] = f"{request.path}/{document.id}"
    return response


@bp.get("/cases/<int:case_id>/documents/<int:document_id>/content")
def download_document(case_id: int, document_id: int):
    require(g.api_user, Capability.READ_DOCUMENTS)
    case = get_visible_case(g.api_user, case_id)
    document = read_document(g.api_user, case, document_id)
    response = attachment_response(document)
    db.session.commit()  # the read is logged before the first byte goes out
    return response


@bp.delete("/cases/<int:case_id>/documents/<int:document_id>")
def delete_document(case_id: int, document_id: int):
    if not may_remove_any_kind(g.api_user):
        raise Forbidden()
    case = get_visible_case(g.api_user, case_id)
    # A missing or too long reason is the service's to say (the same words as on the page).
    values = p.parse(p.json_body(), [p.Field("reason", "reason", p.text(100_000))])
    remove_document(g.api_user, case, document_id, values.get("reason"))
    db.session.commit()
    return "", 204


# --- OpenAPI ---------------------------------------------------------------------------------------------------

_DOCUMENT = {
    "type": "object",
    "required": ["id", "kind", "title", "fileName", "mediaType", "size", "sha256", "documentDate", "uploadedBy",
                 "uploadedAt"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": list(DOCUMENT_KINDS)},
        "title": {"type": "string"},
        "fileName": {"type": "string"},
        "mediaType": {"type": "string", "enum": list(ALLOWED_TYPES)},
        "size": {"type": "integer"},
        "sha256": {"type": "string"},
        "documentDate": {"type": ["string", "null"], "format": "date"},
        "uploadedBy": {"type": ["object", "null"], "properties": {"id": {"type": "integer"},
                                                                  "name": {"type": "string"}}},
        "uploadedAt": {"type": "string", "format": "date-time"},
    },
}
_DOCUMENT_ID = path_id("documentId", "Het id van het document.")
_UPLOAD_FIELDS = frozenset({"kind", "title", "documentDate"})  # and the part "file"
_TAG = "Documenten"
_UPLOAD = {"type": "object", "required": ["file", "kind"], "additionalProperties": False, "properties": {
    "file": {"type": "string", "format": "binary"},
    "kind": {"type": "string", "enum": list(DOCUMENT_KINDS)},
    "title": {"type": "string", "maxLength": TITLE_MAX_LENGTH},
    "documentDate": {"type": "string", "format": "date", "description": "JJJJ-MM-DD; zonder datum: weglaten."},
}}


def _multipart(op: dict[str, Any]) -> dict[str, Any]:
    """An upload: its body is multipart/form-data, not JSON."""
    op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": _UPLOAD}}}
    return op


register({
    "/cases/{caseId}/documents": {
        "get": operation(
            "listDocuments", tag=_TAG, summary="De documenten van een casus",
            description="Nieuwste documentdatum eerst. Het opvragen van de lijst wordt vastgelegd in het logboek.",
            parameters=[CASE_ID],
            responses={"200": response("De documenten", {
                "type": "object", "required": ["items"],
                "properties": {"items": {"type": "array", "items": _DOCUMENT}}})},
            errors=(403, 404)),
        "post": _multipart(operation(
            "addDocument", tag=_TAG, summary="Een document toevoegen",
            description=f"Toegestaan: {TYPE_NAMES}, herkend aan de inhoud (niet aan de naam of het opgegeven type); "
                        "hoogstens 20 MB. Een leeg bestand, een bestandsnaam met een pad of stuurtekens en een "
                        "onbekende soort geven 400 met `invalidParams`.",
            parameters=[CASE_ID], body=_UPLOAD,
            responses={"201": response("Het nieuwe document", _DOCUMENT)}, errors=(403, 404))),
    },
    "/cases/{caseId}/documents/{documentId}/content": {
        "get": operation(
            "downloadDocument", tag=_TAG, summary="Een document downloaden",
            description="Als bijlage (`Content-Disposition: attachment`), met `X-Content-Type-Options: nosniff` "
                        "en `Content-Security-Policy: sandbox`. Elke download wordt vastgelegd in het logboek.",
            parameters=[CASE_ID, _DOCUMENT_ID],
            responses={"200": response(
                "Het bestand", headers={"Content-Disposition": {"required": True, "schema": {"type": "string"}}},
                content={media_type: {"schema": {"type": "string", "format": "binary"}}
                         for media_type in ALLOWED_TYPES})},
            errors=(403, 404)),
    },
    "/cases/{caseId}/documents/{documentId}": {
        "delete": operation(
            "removeDocument", tag=_TAG, summary="Een document verwijderen (met reden)",
            description="Een coördinator verwijdert elk document van de casus, een leerplichtambtenaar alleen "
                        "wat hij zelf toevoegde. De reden blijft bewaard in het logboek.",
            parameters=[CASE_ID, _DOCUMENT_ID],
            body={"type": "object", "required": ["reason"], "additionalProperties": False,
                  "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": REASON_MAX_LENGTH}}},
            responses={"204": response("Verwijderd")}, errors=(403, 404)),
    },
})
