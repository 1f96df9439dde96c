"""The case summary PDF through the API."""
from __future__ import annotations

from flask import Response, g, request

from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import CASE_ID, operation, register, response
from thuiszitters.cases.scope import get_visible_case
from thuiszitters.clock import now_utc, today
from thuiszitters.errors import InvalidParam, InvalidRequest
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require
from thuiszitters.reports.summary import SummaryOptions, case_summary_pdf
from thuiszitters.reports.views import pdf_response


@bp.get("/cases/<int:case_id>/summary")
def get_case_summary(case_id: int) -> Response:
    require(g.api_user, Capability.DOWNLOAD_SUMMARY)
    case = get_visible_case(g.api_user, case_id)
    flags = {name: request.args.get(name, "false") for name in ("contactDetails", "journal")}
    wrong = [InvalidParam(name, "unknown_value", "Kies true of false.") for name, value in flags.items()
             if value not in ("true", "false")]
    if wrong:
        raise InvalidRequest(wrong)
    options = SummaryOptions(contact_details=flags["contactDetails"] == "true", journal=flags["journal"] == "true")
    pdf = case_summary_pdf(case, actor=g.api_user, today=today(), now=now_utc(), via="api", options=options)
    db.session.commit()
    return pdf_response(pdf, case.reference)


register({
    "/cases/{caseId}/summary": {
        "get": operation(
            "getCaseSummary", tag="Casussen", summary="Casusoverzicht als PDF",
            description="Het vertrouwelijke casusoverzicht (A4, Nederlands) voor consulent, geschillencommissie of "
                        "interventieteam. Alleen voor coördinatoren (en beheerders met een scope). Elke download "
                        "wordt vastgelegd in het logboek.",
            parameters=[
                CASE_ID,
                {"name": "contactDetails", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]},
                 "description": "Met de e-mailadressen en telefoonnummers van het netwerk (wordt gelogd)."},
                {"name": "journal", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]},
                 "description": "Met het journaal (wordt gelogd)."},
            ],
            responses={"200": response(
                "De PDF; de bestandsnaam is het casusnummer", {"type": "string", "format": "binary"},
                media_type="application/pdf",
                headers={"Content-Disposition": {"description": "attachment, met het casusnummer als naam",
                                                 "required": True, "schema": {"type": "string"}}})},
            errors=(403, 404),
        )
    }
})
