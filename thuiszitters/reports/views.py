"""Reports for people: the case summary from the case pages (the PDF download and the HTML print view of the same
summary), and the processing log of a case (admins)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from thuiszitters.audit.services import ACTIVITY_ADMIN, record, record_list_read
from thuiszitters.cases.scope import get_visible_case
from thuiszitters.clock import now_utc, today
from thuiszitters.extensions import db
from thuiszitters.identifiers import InvalidIdentifier, normalize_bsn
from thuiszitters.permissions import Capability, require
from thuiszitters.reports import processing_log as log
from thuiszitters.reports.forms import BsnSearchForm
from thuiszitters.reports.summary import SummaryOptions, case_summary_document, case_summary_pdf

bp = Blueprint("reports", __name__)


def _options() -> SummaryOptions:
    """What the case page's check boxes added: the network's contact details, the journal (?contactgegevens=ja)."""
    return SummaryOptions(contact_details=request.args.get("contactgegevens") == "ja",
                          journal=request.args.get("journaal") == "ja")


def pdf_response(pdf: bytes, reference: str) -> Response:
    """The PDF as a download named after the case reference (never the pupil's name), never cached."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{reference}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/casussen/<int:case_id>/samenvatting.pdf")
def case_summary(case_id: int) -> Response:
    # The role is checked first: a role that can never download a summary learns nothing about which cases exist.
    require(current_user, Capability.DOWNLOAD_SUMMARY)
    case = get_visible_case(current_user, case_id)
    pdf = case_summary_pdf(case, actor=current_user, today=today(), now=now_utc(), via="web", options=_options())
    db.session.commit()
    return pdf_response(pdf, case.reference)


@bp.get("/casussen/<int:case_id>/samenvatting")
def case_summary_page(case_id: int) -> str:
    """The summary as a web page to read, or to print with the browser's print stylesheet."""
    require(current_user, Capability.DOWNLOAD_SUMMARY)
    case = get_visible_case(current_user, case_id)
    document = case_summary_document(case, actor=current_user, today=today(), now=now_utc(), options=_options())
    page = render_template("reports/summary.html", document=document, case_id=case.id)
    db.session.commit()
    return page


@bp.route("/beheer/verwerkingen", methods=["GET", "POST"])
def processing_log():
    """Who read or changed a case, when, and under which processing activity."""
    require(current_user, Capability.READ_PROCESSING_LOG)
    form = BsnSearchForm()
    references: list[str] | None = None
    if form.validate_on_submit():
        # Posted, so the BSN never appears in a URL, a server log or the browser history.
        try:
            found = log.cases_for_bsn(normalize_bsn(form.bsn.data or ""))
        except InvalidIdentifier as exc:
            form.bsn.errors = [exc.message]
        else:
            references = [reference for _, reference in found]
            # Which cases a BSN has is itself personal data: the search is logged with the cases it found.
            record_list_read("case.search", actor_id=current_user.id, activity=ACTIVITY_ADMIN,
                             case_ids=[case_id for case_id, _ in found], listed_on=request.path)
            db.session.commit()
    reference = (request.args.get("case") or "").strip()[:20]
    reads_only = request.args.get("alleen") == "inzage"
    case_id = log.case_id_for_reference(reference) if reference else None
    page = None
    actors = {}
    if case_id is not None:
        page = db.paginate(log.events_for_case(case_id, reads_only=reads_only), per_page=50, max_per_page=50,
                           error_out=False)
        actors = log.actors_of(page.items)
    status = 400 if form.is_submitted() and form.errors else 200
    html = render_template("reports/processing_log.html", form=form, references=references, reference=reference,
                           case_id=case_id, page=page, actors=actors, reads_only=reads_only,
                           label=log.action_label, read_actions=log.READ_ACTIONS)
    if case_id is not None:
        # Looking at who looked is itself a processing of the case's data: it goes in the same log (after
        # rendering, so the page works on the loaded rows).
        record("processing_log.read", actor_id=current_user.id, activity=ACTIVITY_ADMIN, case_id=case_id,
               object_type="case", object_id=case_id)
        db.session.commit()
    return html, status
