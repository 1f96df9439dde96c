"""The OpenAPI document (public: it holds no data)."""
from __future__ import annotations

from flask import jsonify

from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import document, register


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


register({"/openapi.json": {"get": {"summary": "Dit OpenAPI-document", "security": [],
                                     "responses": {"200": {"description": "OpenAPI 3.1"}}}}})
