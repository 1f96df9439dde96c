"""The OpenAPI document."""
from __future__ import annotations

from flask import jsonify

from thuiszitters.api import bp


@bp.get("/openapi.json")
def openapi():
    from thuiszitters.api.openapi import document

    return jsonify(document())
