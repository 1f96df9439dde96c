"""About the API: the OpenAPI document (public: it holds no data; any origin may read it, blueprint.py adds the
CORS header) and `/me`, who the key belongs to and what they may see (a client shows it and picks its filters)."""
from __future__ import annotations

from flask import current_app, g, jsonify

from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import document, operation, register, response
from thuiszitters.permissions import Role


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(current_app.config["BASE_URL"], max_page_size=current_app.config["API_MAX_PAGE_SIZE"]))


@bp.get("/me")
def me():
    user = g.api_user
    return jsonify({"id": user.id, "name": user.name, "role": user.role,
                    "swvCodes": [swv.code for swv in user.swvs],
                    "gemeenteCodes": [gemeente.code for gemeente in user.gemeenten]})


register({"/me": {"get": operation(
    "getMe", tag="Over de API", summary="Wie deze sleutel gebruikt",
    description="De gebruiker van de API-sleutel: naam, rol en de samenwerkingsverbanden en gemeenten waarvan hij "
                "casussen ziet.",
    responses={"200": response("De gebruiker", {
        "type": "object", "additionalProperties": False,
        "required": ["id", "name", "role", "swvCodes", "gemeenteCodes"],
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "role": {"type": "string", "enum": [role.value for role in Role]},
            "swvCodes": {"type": "array", "items": {"type": "string"}},
            "gemeenteCodes": {"type": "array", "items": {"type": "string"}},
        }})},
)}})


register({"/openapi.json": {"get": operation(
    "getOpenapiDocument", tag="Over de API", public=True,
    summary="Dit OpenAPI-document",
    description="De beschrijving van de hele API als OpenAPI 3.1, zonder sleutel op te halen en vanaf elke "
                "oorsprong (CORS).",
    responses={"200": response(
        "Het OpenAPI-document", {
            "type": "object", "required": ["openapi", "info", "servers", "paths", "components"],
            "properties": {
                "openapi": {"type": "string", "pattern": "^3\\.1\\."},
                "info": {"type": "object", "required": ["title", "version", "contact"],
                         "properties": {"title": {"type": "string"}, "version": {"type": "string"}}},
                "servers": {"type": "array", "items": {"type": "object", "required": ["url"],
                                                       "properties": {"url": {"type": "string"}}}},
                "paths": {"type": "object", "propertyNames": {"pattern": "^/"}},
                "components": {"type": "object", "required": ["schemas"],
                               "properties": {"schemas": {"type": "object",
                                                          "propertyNames": {"pattern": "^[A-Z][A-Za-z0-9]*$"}}}},
            }},
        headers={"Access-Control-Allow-Origin": {"description": "Elke oorsprong mag het document lezen.",
                                                 "required": True, "schema": {"type": "string", "const": "*"}}})},
)}})
