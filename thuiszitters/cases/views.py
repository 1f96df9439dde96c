"""Case pages: the list in the user's scope and the case page."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from thuiszitters.accounts.scope import CASE_ROLES, get_visible_case, require_role
from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT, ACTIVITY_LEERPLICHT, record
from thuiszitters.cases import rules
from thuiszitters.cases.facts import case_facts
from thuiszitters.cases.queries import CaseFilter, filtered_cases
from thuiszitters.cases.services import terms
from thuiszitters.clock import today
from thuiszitters.extensions import db

bp = Blueprint("cases", __name__, url_prefix="/casussen")


@bp.before_request
def only_case_roles():
    require_role(current_user, CASE_ROLES)


def _filter_from_args() -> CaseFilter:
    args = request.args
    overdue = {"ja": True, "nee": False}.get(args.get("overdue", ""))
    return CaseFilter(
        status=args.get("status") or None,
        overdue=overdue,
        stage=args.get("stage") or None,
        gemeente_code=args.get("gemeente") or None,
        school_brin=args.get("school") or None,
    )


@bp.route("")
def index():
    flt = _filter_from_args()
    page = db.paginate(filtered_cases(current_user, flt, today()), per_page=25, max_per_page=100,
                       error_out=False)
    return render_template("cases/index.html", page=page, flt=flt, rules=rules)


@bp.route("/nieuw")
def new():
    from flask import abort

    abort(404)


@bp.route("/<int:case_id>")
def show(case_id: int):
    case = get_visible_case(current_user, case_id)
    activity = ACTIVITY_LEERPLICHT if current_user.role == "leerplicht" else ACTIVITY_CASE_MANAGEMENT
    record("case.read", actor_id=current_user.id, activity=activity, case_id=case.id, object_type="case",
           object_id=case.id)
    db.session.commit()
    facts = case_facts(case, today(), terms())
    return render_template("cases/show.html", case=case, facts=facts, rules=rules)
