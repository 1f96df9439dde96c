"""The OpenAPI document (public: it holds no data; any origin may read it, blueprint.py adds the CORS header)."""
from __future__ import annotations

from flask import current_app, jsonify

from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import document, operation, register, response


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(current_app.config["BASE_URL"], max_page_size=current_app.config["API_MAX_PAGE_SIZE"]))


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
