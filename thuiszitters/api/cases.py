"""Case endpoints."""
from __future__ import annotations

from flask import g, jsonify

from thuiszitters.accounts.scope import CASE_ROLES, get_visible_case, require_role
from thuiszitters.api import bp


@bp.get("/cases/<int:case_id>")
def get_case(case_id: int):
    require_role(g.api_user, CASE_ROLES)
    case = get_visible_case(g.api_user, case_id)
    return jsonify({"id": case.id, "reference": case.reference})


@bp.get("/cases")
def list_cases():
    require_role(g.api_user, CASE_ROLES)
    return jsonify({"items": [], "page": 1, "pageSize": 50, "total": 0})
