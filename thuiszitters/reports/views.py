"""The case summary from the case pages: the PDF download and the HTML print view of the same summary."""
from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_login import current_user

from thuiszitters.accounts.scope import get_visible_case, require_role
from thuiszitters.clock import now_utc, today
from thuiszitters.extensions import db
from thuiszitters.reports.summary import SUMMARY_ROLES, case_summary_document, case_summary_pdf

bp = Blueprint("reports", __name__)


def pdf_response(pdf: bytes, reference: str) -> Response:
    """The PDF as a download named after the case reference (never the pupil's name), never cached."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{reference}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/casussen/<int:case_id>/samenvatting.pdf")
def case_summary(case_id: int) -> Response:
    # The role is checked first: a role that can never download a summary learns nothing about which cases exist.
    require_role(current_user, SUMMARY_ROLES)
    case = get_visible_case(current_user, case_id)
    pdf = case_summary_pdf(case, actor=current_user, today=today(), now=now_utc(), via="web")
    db.session.commit()
    return pdf_response(pdf, case.reference)


@bp.get("/casussen/<int:case_id>/samenvatting")
def case_summary_page(case_id: int) -> str:
    """The summary as a web page to read, or to print with the browser's print stylesheet."""
    require_role(current_user, SUMMARY_ROLES)
    case = get_visible_case(current_user, case_id)
    document = case_summary_document(case, actor=current_user, today=today(), now=now_utc())
    page = render_template("reports/summary.html", document=document, case_id=case.id)
    db.session.commit()
    return page
