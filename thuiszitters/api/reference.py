"""Reference data endpoints: swv's, gemeenten and schools (no personal data)."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import problem_responses, register
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, School, Swv


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


_LIST = {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}}}
register({
    "/swvs": {"get": {"summary": "Samenwerkingsverbanden", "responses": {
        "200": {"description": "Alle swv's", "content": {"application/json": {"schema": _LIST}}},
        **problem_responses(401)}}},
    "/gemeenten": {"get": {"summary": "Gemeenten", "responses": {
        "200": {"description": "Alle gemeenten", "content": {"application/json": {"schema": _LIST}}},
        **problem_responses(401)}}},
    "/schools": {"get": {"summary": "Scholen (vestigingen)", "parameters": [
        {"name": "swvCode", "in": "query", "schema": {"type": "string"}}], "responses": {
        "200": {"description": "Scholen", "content": {"application/json": {"schema": _LIST}}},
        **problem_responses(401)}}},
})
