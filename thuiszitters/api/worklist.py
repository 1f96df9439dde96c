"""The werkvoorraad as API (API.md, "Casework": ``GET /api/v1/worklist``)."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request

from thuiszitters.api import inputs as p
from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import DEFAULT_MAX_PAGE_SIZE, operation, page_schema, ref, register, response
from thuiszitters.audit.services import read_activity, record_list_read
from thuiszitters.clock import today
from thuiszitters.errors import InvalidParam, InvalidRequest
from thuiszitters.extensions import db
from thuiszitters.parsing import ParseError, parse_date
from thuiszitters.permissions import Capability, require
from thuiszitters.worklist import items as wl
from thuiszitters.worklist.sources import collect, work_items


def item_json(item: wl.WorkItem) -> dict[str, Any]:
    return {"caseId": item.case_id, "reference": item.reference, "pupilName": item.pupil_name, "kind": item.kind,
            "title": item.title, "dueOn": item.due_on.isoformat(), "overdue": item.overdue}


@bp.get("/worklist")
def worklist():
    require(g.api_user, Capability.READ_WORKLIST)
    day = today()
    until = wl.default_until(day)
    problems: list[InvalidParam] = []
    raw = request.args.get("until")
    if raw is not None:
        try:
            until = parse_date(raw)
        except ParseError as exc:
            problems.append(InvalidParam("until", exc.code, exc.reason))
        else:
            if (problem := wl.until_problem(until, day)) is not None:
                problems.append(InvalidParam("until", *problem))
    page, page_size = p.page_params(request.args, current_app.config["API_MAX_PAGE_SIZE"], problems)
    if problems:
        raise InvalidRequest(problems)
    found = collect(g.api_user, until)
    # Paged like every collection (API.md, Conventions); only the page's cases are shown, so only they are logged.
    shown = work_items(found[(page - 1) * page_size: page * page_size], day)
    body = jsonify({"items": [item_json(item) for item in shown], "page": page, "pageSize": page_size,
                    "total": len(found)})
    record_list_read("case.list", actor_id=g.api_user.id, activity=read_activity(g.api_user.role),
                     case_ids=[item.case_id for item in shown], listed_on=request.path)
    db.session.commit()
    return body


_WORK_ITEM_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["caseId", "reference", "pupilName", "kind", "title", "dueOn", "overdue"],
    "properties": {
        "caseId": {"type": "integer"},
        "reference": {"type": "string"},
        "pupilName": {"type": "string"},
        "kind": {"type": "string", "enum": list(wl.KINDS)},
        "title": {"type": "string", "description": "De omschrijving van een actie; voor de rest een Nederlandse zin."},
        "dueOn": {"type": "string", "format": "date"},
        "overdue": {"type": "boolean", "description": "De datum is voorbij (vóór vandaag)."},
    },
}

register(
    {
        "/worklist": {"get": operation(
            "getWorklist", tag="Werkvoorraad", summary="Uw werkvoorraad",
            description="Alles wat uiterlijk op `until` moet gebeuren, in uw scope: wat te laat is eerst, dan wat "
                        "het eerst komt. Een coördinator ziet de termijnen, open signalen en stilstaande casussen "
                        "van zijn samenwerkingsverband(en); een leerplichtambtenaar de open signalen van zijn "
                        f"gemeente(n); beiden hun eigen acties van het plan van aanpak (een coördinator ook die van "
                        f"betrokkenen bij zijn casussen). `until` ligt tussen vandaag en {wl.MAX_DAYS_AHEAD} dagen "
                        f"vooruit. In pagina's, zoals elke lijst.",
            parameters=[{"name": "until", "in": "query",
                         "description": f"De laatste dag (JJJJ-MM-DD); standaard vandaag + {wl.DEFAULT_DAYS_AHEAD} "
                                        f"dagen, ten hoogste {wl.MAX_DAYS_AHEAD} dagen vooruit.",
                         "schema": {"type": "string", "format": "date"}},
                        *p.page_parameters(DEFAULT_MAX_PAGE_SIZE)],
            responses={"200": response("Een pagina van de werkvoorraad", page_schema(ref("WorkItem")))},
            errors=(403,),
        )},
    },
    {"WorkItem": _WORK_ITEM_SCHEMA},
)
