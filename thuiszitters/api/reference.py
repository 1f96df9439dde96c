"""Reference data endpoints: swv's, gemeenten and schools (no personal data)."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from thuiszitters.api.blueprint import bp
from thuiszitters.api.inputs import QUERY_TEXT
from thuiszitters.api.openapi import operation, ref, register, response
from thuiszitters.extensions import db
from thuiszitters.reference.models import SCHOOL_TYPES, SECTORS, Gemeente, School, Swv


@bp.get("/swvs")
def list_swvs():
    rows = db.session.scalars(select(Swv).order_by(Swv.code)).all()
    return jsonify({"items": [{"code": s.code, "name": s.name, "sector": s.sector} for s in rows]})


@bp.get("/gemeenten")
def list_gemeenten():
    rows = db.session.scalars(select(Gemeente).order_by(Gemeente.code)).all()
    return jsonify({"items": [{"code": g.code, "name": g.name} for g in rows]})


@bp.get("/schools")
def list_schools():
    query = select(School).options(joinedload(School.swv), joinedload(School.gemeente)).order_by(School.brin)
    swv_code = request.args.get("swvCode")
    if swv_code:
        query = query.where(School.swv.has(Swv.code == swv_code))
    rows = db.session.scalars(query).all()
    return jsonify({"items": [
        {"brin": s.brin, "name": s.name, "schoolType": s.school_type, "swvCode": s.swv.code if s.swv else None,
         "gemeenteCode": s.gemeente.code if s.gemeente else None} for s in rows]})


def _list(item: str) -> dict[str, Any]:
    return {"type": "object", "required": ["items"], "additionalProperties": False,
            "properties": {"items": {"type": "array", "items": ref(item)}}}


def _code(max_length: int) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": max_length}


_SWV_CODE = {"name": "swvCode", "in": "query", "description": "Alleen de scholen van dit samenwerkingsverband.",
             "schema": QUERY_TEXT}

register(
    {
        "/swvs": {"get": operation(
            "listSwvs", tag="Referentiegegevens", summary="Samenwerkingsverbanden",
            description="Alle samenwerkingsverbanden passend onderwijs, op code.",
            responses={"200": response("Alle samenwerkingsverbanden", _list("Swv"))})},
        "/gemeenten": {"get": operation(
            "listGemeenten", tag="Referentiegegevens", summary="Gemeenten",
            description="Alle gemeenten, op CBS-code.",
            responses={"200": response("Alle gemeenten", _list("Gemeente"))})},
        "/schools": {"get": operation(
            "listSchools", tag="Referentiegegevens", summary="Scholen (vestigingen)",
            description="Alle scholen op BRIN-code, of die van één samenwerkingsverband.",
            parameters=[_SWV_CODE],
            responses={"200": response("De scholen", _list("School"))})},
    },
    {
        "Swv": {"type": "object", "additionalProperties": False, "required": ["code", "name", "sector"],
                "properties": {"code": _code(16), "name": _code(200),
                               "sector": {"type": "string", "enum": list(SECTORS)}}},
        "Gemeente": {"type": "object", "additionalProperties": False, "required": ["code", "name"],
                     "properties": {"code": _code(6), "name": _code(120)}},
        "School": {"type": "object", "additionalProperties": False,
                   "required": ["brin", "name", "schoolType", "swvCode", "gemeenteCode"],
                   "properties": {"brin": _code(6), "name": _code(200),
                                  "schoolType": {"type": "string", "enum": list(SCHOOL_TYPES)},
                                  "swvCode": {"type": ["string", "null"]},
                                  "gemeenteCode": {"type": ["string", "null"]}}},
    },
)
