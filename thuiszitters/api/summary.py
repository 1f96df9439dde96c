"""The case summary PDF through the API."""
from __future__ import annotations

from flask import Response, g, request

from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import problem_responses, register
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
        "get": {
            "summary": "Casusoverzicht als PDF",
            "description": "Het vertrouwelijke casusoverzicht (A4, Nederlands) voor consulent, geschillencommissie of "
                           "interventieteam. Alleen voor coördinatoren (en beheerders met een scope). Elke download "
                           "wordt vastgelegd in het logboek.",
            "parameters": [
                {"name": "caseId", "in": "path", "required": True, "schema": {"type": "integer"}},
                {"name": "contactDetails", "in": "query", "schema": {"enum": ["true", "false"]},
                 "description": "Met de e-mailadressen en telefoonnummers van het netwerk (wordt gelogd)."},
                {"name": "journal", "in": "query", "schema": {"enum": ["true", "false"]},
                 "description": "Met het journaal (wordt gelogd)."},
            ],
            "responses": {
                "200": {
                    "description": "De PDF; de bestandsnaam is het casusnummer",
                    "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
                    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                },
                **problem_responses(400, 401, 403, 404),
            },
        }
    }
})
