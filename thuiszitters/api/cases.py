"""Case, step and timeline endpoints: the API face of thuiszitters.cases.services.

Each endpoint parses its input (api/inputs.py), calls one service and commits; a refusal passes on to
http/errors.py, which answers problem+json with the fields named as the client sent them.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from thuiszitters.accounts.models import User
from thuiszitters.api import inputs as p
from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import problem_responses, register
from thuiszitters.api.serializers import case_json, case_list_item, event_json, step_json
from thuiszitters.api.steps import NEW_STEP, STEP, STEP_FIELDS, STEP_PATCH
from thuiszitters.api.steps import SCHEMAS as STEP_SCHEMAS
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import read_activity, record, record_list_read
from thuiszitters.cases import search, services
from thuiszitters.cases.facts import case_enrolled, case_facts, step_facts
from thuiszitters.cases.models import Case, Step
from thuiszitters.cases.queries import CaseFilter, filtered_cases, paginate_cases
from thuiszitters.cases.scope import get_visible_case
from thuiszitters.cases.search import SearchTerms, read_query
from thuiszitters.clock import today
from thuiszitters.errors import InvalidParam, InvalidRequest, NotFound, VersionRequired
from thuiszitters.escalation import spec
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require

PUPIL_FIELDS = [
    p.Field("firstName", "first_name", p.text(100), required=True),
    p.Field("lastName", "last_name", p.text(150), required=True),
    p.Field("dateOfBirth", "date_of_birth", p.iso_date, required=True),
    p.Field("bsn", "bsn", p.text(20)),
    p.Field("gemeenteCode", "gemeente_code", p.text(10), required=True),
]
CASE_FIELDS = [
    p.Field("swvCode", "swv_code", p.text(16), required=True),
    p.Field("schoolBrin", "school_brin", p.text(10)),
    p.Field("absenceKind", "absence_kind", p.choice(spec.ABSENCE_KINDS), required=True),
    # Required for an open case, absent for a signal: the service says which (invalidParams code "required").
    p.Field("outOfSchoolSince", "out_of_school_since", p.iso_date),
    p.Field("note", "note", p.text(5000)),
]
# A new case is open, or a signal (a dreigend thuiszitter without a first day out of school).
NEW_CASE_STATUSES = ("open", "signaal")
CREATE_FIELDS = [*CASE_FIELDS, p.Field("status", "status", p.choice(NEW_CASE_STATUSES))]
CLOSE_FIELDS = [
    p.Field("outcome", "outcome", p.choice(spec.OUTCOMES), required=True),
    # Required for the offer outcomes, refused for the others (escalation.lifecycle.validate_close).
    p.Field("offerStartedOn", "offer_started_on", p.iso_date),
    p.Field("closedOn", "closed_on", p.iso_date),
    p.Field("schoolBrin", "school_brin", p.text(10)),
    p.Field("note", "note", p.text(5000)),
]
REOPEN_FIELDS = [p.Field("reason", "reason", p.text(500), required=True)]
TRANSFER_FIELDS = [
    p.Field("swvCode", "swv_code", p.text(16), required=True),
    p.Field("gemeenteCode", "gemeente_code", p.text(10)),
    p.Field("reason", "reason", p.text(500), required=True),
]


def _expected_version(required: bool = True) -> int | None:
    version = p.if_match_version(request.headers.get("If-Match"))
    if version is None and required:
        raise VersionRequired()
    return version


def _case_response(case: Case, status: int = 200):
    facts = case_facts(case, today(), services.terms())
    response = jsonify(case_json(case, facts))
    response.status_code = status
    response.headers["ETag"] = f'"{case.version}"'
    return response


def _load(case_id: int, *, edit: bool = False) -> Case:
    require(g.api_user, Capability.READ_CASES)
    case = get_visible_case(g.api_user, case_id)  # 404 first: out of scope must not learn it exists
    if edit:
        require(g.api_user, Capability.EDIT_CASES)  # 403 before the body is validated
    return case


def _read_activity() -> str:
    user: User = g.api_user
    return read_activity(user.role)


@bp.post("/cases")
def create_case():
    require(g.api_user, Capability.EDIT_CASES)
    body = p.json_body()
    problems: list[InvalidParam] = []
    pupil = body.get("pupil")
    if not isinstance(pupil, dict):
        problems.append(InvalidParam("pupil", "required", "Stuur de leerling als object."))
        pupil_values: dict[str, Any] = {}
    else:
        pupil_values = p.parse(pupil, PUPIL_FIELDS, prefix="pupil.", problems=problems)
    case_values = p.parse({k: v for k, v in body.items() if k != "pupil"}, CREATE_FIELDS, problems=problems)
    if problems:
        raise InvalidRequest(problems)
    case_values.setdefault("out_of_school_since", None)
    if case_values.get("status") is None:
        case_values.pop("status", None)
    case = services.create_case(services.CaseInput(**pupil_values, **case_values), actor=g.api_user, today=today())
    db.session.commit()
    response = _case_response(case, 201)
    response.headers["Location"] = url_for("api.get_case", case_id=case.id)
    return response


def _search_terms(query: str | None, problems: list[InvalidParam]) -> SearchTerms | None:
    """What `q` asks for (cases/search.py), None without it; a query that cannot be searched joins `problems`."""
    if query is None:
        return None
    require(g.api_user, Capability.SEARCH_CASES)
    terms = read_query(query)
    if isinstance(terms, InvalidParam):
        problems.append(terms)
        return None
    return terms


def _case_page(flt: CaseFilter, page: int, page_size: int):
    """A page of cases in scope as the collection answers it, logged as a list read (a search when `q` was
    given: the event names the cases shown, never the query)."""
    day = today()
    result = paginate_cases(filtered_cases(g.api_user, flt, day), page=page, per_page=page_size)
    response = jsonify({"items": [case_list_item(case, day) for case in result.items], "page": page,
                        "pageSize": page_size, "total": result.total})
    case_ids = [case.id for case in result.items]
    if flt.search is not None:
        search.record_search(flt.search, actor_id=g.api_user.id, activity=_read_activity(), case_ids=case_ids,
                             listed_on=request.path)
    else:
        record_list_read("case.list", actor_id=g.api_user.id, activity=_read_activity(), case_ids=case_ids,
                         listed_on=request.path)
    db.session.commit()
    return response


@bp.get("/cases")
def list_cases():
    require(g.api_user, Capability.READ_CASES)
    args = request.args
    problems = []
    page, page_size = p.page_params(args, current_app.config["API_MAX_PAGE_SIZE"], problems)
    terms = _search_terms(args.get("q"), problems)
    status = args.get("status")
    if status is not None and status not in spec.CASE_STATUSES:
        problems.append(InvalidParam("status", "unknown_value", f"Kies uit: {', '.join(spec.CASE_STATUSES)}."))
    overdue_arg = args.get("overdue")
    if overdue_arg is not None and overdue_arg not in {"true", "false"}:
        problems.append(InvalidParam("overdue", "unknown_value", "Kies true of false."))
    stage = args.get("stage")
    if stage is not None and stage not in (*spec.STEP_KINDS, "none"):
        problems.append(InvalidParam("stage", "unknown_value", "Onbekende stap."))
    if problems:
        raise InvalidRequest(problems)
    flt = CaseFilter(status=status, overdue=None if overdue_arg is None else overdue_arg == "true", stage=stage,
                     swv_code=args.get("swvCode") or None, gemeente_code=args.get("gemeenteCode") or None,
                     school_brin=args.get("schoolBrin") or None, search=terms)
    return _case_page(flt, page, page_size)


SEARCH_FIELDS = [
    p.Field("q", "q", p.text(search.MAX_LENGTH), required=True),
    p.Field("page", "page", p.integer(1, 100_000)),
    p.Field("pageSize", "page_size", p.integer(1, 100)),
]


@bp.post("/cases/search")
def search_cases():
    """`GET /cases?q=` with the query in the body: a name or a BSN stays out of every URL (docs/security.md)."""
    require(g.api_user, Capability.READ_CASES)
    require(g.api_user, Capability.SEARCH_CASES)
    values = p.parse(p.json_body(), SEARCH_FIELDS)
    problems: list[InvalidParam] = []
    terms = _search_terms(values["q"], problems)
    page_size = values.get("page_size") or 50
    if page_size > current_app.config["API_MAX_PAGE_SIZE"]:
        problems.append(InvalidParam("pageSize", "out_of_range",
                                     f"Hoogstens {current_app.config['API_MAX_PAGE_SIZE']} per pagina."))
    if problems:
        raise InvalidRequest(problems)
    return _case_page(CaseFilter(search=terms), values.get("page") or 1, page_size)


@bp.get("/cases/<int:case_id>")
def get_case(case_id: int):
    case = _load(case_id)
    record("case.read", actor_id=g.api_user.id, activity=_read_activity(), case_id=case.id, object_type="case",
           object_id=case.id)
    db.session.commit()
    return _case_response(case)


@bp.patch("/cases/<int:case_id>")
def update_case(case_id: int):
    case = _load(case_id, edit=True)
    body = p.json_body()
    problems: list[InvalidParam] = []
    pupil = body.get("pupil", {})
    if not isinstance(pupil, dict):
        problems.append(InvalidParam("pupil", "invalid_type", "Stuur de leerling als object."))
        pupil = {}
    # Parsed also when absent: a service problem about the pupil (its date of birth) is then named pupil.*.
    values: dict[str, Any] = p.parse(pupil, PUPIL_FIELDS, prefix="pupil.", partial=True, problems=problems)
    editable = [f for f in CASE_FIELDS if f.attr != "swv_code"]
    values |= p.parse({k: v for k, v in body.items() if k != "pupil"}, editable, partial=True, problems=problems)
    if problems:
        raise InvalidRequest(problems)
    services.update_case(case, values, expected_version=_expected_version(), actor=g.api_user, today=today())
    db.session.commit()
    return _case_response(case)


@bp.post("/cases/<int:case_id>/steps")
def add_step(case_id: int):
    case = _load(case_id, edit=True)
    body = p.json_body()
    kind = body.get("kind")
    if kind not in spec.STEP_KINDS:
        raise InvalidRequest([InvalidParam("kind", "unknown_value", f"Kies uit: {', '.join(spec.STEP_KINDS)}.")])
    values = p.parse({k: v for k, v in body.items() if k != "kind"}, STEP_FIELDS[kind])
    expected = _expected_version(required=False)
    step = services.add_step(case, kind, values, expected_version=case.version if expected is None else expected,
                             actor=g.api_user, today=today())
    db.session.commit()
    return _step_response(case, step, 201)


def _step_response(case: Case, step: Step, status: int = 200):
    response = jsonify(step_json(step_facts(step, today(), services.terms(), enrolled=case_enrolled(case))))
    response.status_code = status
    response.headers["ETag"] = f'"{case.version}"'
    if status == 201:
        response.headers["Location"] = url_for("api.get_case", case_id=case.id) + f"/steps/{step.id}"
    return response


@bp.patch("/cases/<int:case_id>/steps/<int:step_id>")
def update_step(case_id: int, step_id: int):
    case = _load(case_id, edit=True)
    step = next((s for s in case.steps if s.id == step_id), None)
    if step is None:
        raise NotFound()
    body = p.json_body()
    if body.get("kind") == step.kind:
        body.pop("kind")  # echoing the kind back is fine; changing it is not
    values = p.parse(body, STEP_FIELDS[step.kind], partial=True)
    services.update_step(case, step.id, values, expected_version=_expected_version(), actor=g.api_user,
                         today=today())
    db.session.commit()
    return _step_response(case, step)


@bp.post("/cases/<int:case_id>/close")
def close_case(case_id: int):
    case = _load(case_id, edit=True)
    values = p.parse(p.json_body(), CLOSE_FIELDS)
    services.close_case(case, outcome=values["outcome"], offer_started_on=values.get("offer_started_on"),
                        closed_on=values.get("closed_on"), school_brin=values.get("school_brin"),
                        note=values.get("note"), expected_version=_expected_version(), actor=g.api_user,
                        today=today())
    db.session.commit()
    return _case_response(case)


@bp.post("/cases/<int:case_id>/reopen")
def reopen_case(case_id: int):
    case = _load(case_id, edit=True)
    values = p.parse(p.json_body(), REOPEN_FIELDS)
    services.reopen_case(case, reason=values["reason"], expected_version=_expected_version(), actor=g.api_user,
                         today=today())
    db.session.commit()
    return _case_response(case)


@bp.post("/cases/<int:case_id>/transfer")
def transfer_case(case_id: int):
    case = _load(case_id, edit=True)
    values = p.parse(p.json_body(), TRANSFER_FIELDS)
    services.transfer_case(case, swv_code=values["swv_code"], gemeente_code=values.get("gemeente_code"),
                           reason=values["reason"], expected_version=_expected_version(), actor=g.api_user,
                           today=today())
    db.session.commit()
    return _case_response(case)


@bp.get("/cases/<int:case_id>/events")
def case_events(case_id: int):
    case = _load(case_id)
    events = db.session.execute(
        select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
        .options(selectinload(AuditEvent.note))
        .where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
    ).all()
    items = [event_json(event, actor) for event, actor in events]
    record("case.events.read", actor_id=g.api_user.id, activity=_read_activity(), case_id=case.id,
           object_type="case", object_id=case.id)
    db.session.commit()
    return jsonify({"items": items})


# --- OpenAPI --------------------------------------------------------------------------------------------

_DATE = {"type": "string", "format": "date"}
_NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
_CASE_REF = {"$ref": "#/components/schemas/Case"}
_JSON = "application/json"


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {_JSON: {"schema": schema}}}


def _ok(description: str, schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {_JSON: {"schema": schema}}}}


def _props(fields: list[p.Field]) -> dict[str, Any]:
    props = {}
    for f in fields:
        kind = f.parse.__name__ if hasattr(f.parse, "__name__") else ""
        if f.parse is p.iso_date:
            props[f.name] = {"type": ["string", "null"], "format": "date"}
        elif f.parse is p.boolean:
            props[f.name] = {"type": ["boolean", "null"]}
        elif kind == "parse" and f.parse.__qualname__.startswith("integer"):
            props[f.name] = {"type": ["integer", "null"]}
        else:
            props[f.name] = {"type": ["string", "null"]}
    return props


def _object(fields: list[p.Field], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False,
            "properties": {**_props(fields), **(extra or {})},
            "required": [f.name for f in fields if f.required]}


_Q_DESCRIPTION = ("Zoekt op casusnummer (geheel of het begin), op een deel van de voor- of achternaam (hoofdletters en "
                  "accenten tellen niet mee) of op een exact BSN van 9 cijfers. Een naam of BSN hoort niet in een "
                  "URL: gebruik daarvoor `POST /cases/search`.")
_CASE_PAGE = {"type": "object", "required": ["items", "page", "pageSize", "total"], "properties": {
    "items": {"type": "array", "items": {"type": "object"}}, "page": {"type": "integer"},
    "pageSize": {"type": "integer"}, "total": {"type": "integer"}}}
_CASE_ID = {"name": "caseId", "in": "path", "required": True, "schema": {"type": "integer"}}
_STEP_ID = {"name": "stepId", "in": "path", "required": True, "schema": {"type": "integer"}}
_IF_MATCH = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
             "description": "De versie van de casus, zoals in de ETag."}

register(
    {
        "/cases": {
            "get": {
                "summary": "Casussen binnen uw scope",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"enum": list(spec.CASE_STATUSES)}},
                    {"name": "overdue", "in": "query", "schema": {"enum": ["true", "false"]}},
                    {"name": "swvCode", "in": "query", "schema": {"type": "string"}},
                    {"name": "gemeenteCode", "in": "query", "schema": {"type": "string"}},
                    {"name": "schoolBrin", "in": "query", "schema": {"type": "string"}},
                    {"name": "stage", "in": "query", "schema": {"enum": [*spec.STEP_KINDS, "none"]}},
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": search.MAX_LENGTH},
                     "description": _Q_DESCRIPTION},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "pageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                ],
                "responses": _ok("Een pagina casussen", _CASE_PAGE) | problem_responses(400, 401, 403),
            },
            "post": {
                "summary": "Een thuiszitter registreren, of een signaal (status signaal, zonder outOfSchoolSince)",
                "requestBody": _body(_object(CREATE_FIELDS, {"pupil": _object(PUPIL_FIELDS)}) | {
                    "required": ["pupil", *[f.name for f in CREATE_FIELDS if f.required]]}),
                "responses": _ok("De nieuwe casus", _CASE_REF, "201") | problem_responses(400, 401, 403),
            },
        },
        "/cases/search": {
            "post": {"summary": "Casussen zoeken (zoekterm in de body, niet in de URL)",
                     "description": "Als `GET /cases?q=`, met de zoekterm in de body: een naam of BSN komt zo in "
                                    "geen URL, proxy- of browserlog terecht. " + _Q_DESCRIPTION,
                     "requestBody": _body(_object(SEARCH_FIELDS)),
                     "responses": _ok("Een pagina gevonden casussen", _CASE_PAGE) | problem_responses(400, 401, 403)},
        },
        "/cases/{caseId}": {
            "get": {"summary": "Eén casus", "parameters": [_CASE_ID],
                    "responses": _ok("De casus", _CASE_REF) | problem_responses(401, 403, 404)},
            "patch": {"summary": "Casus wijzigen", "parameters": [_CASE_ID, _IF_MATCH],
                      "requestBody": _body(_object([f for f in CASE_FIELDS if f.attr != "swv_code"],
                                                   {"pupil": {"type": "object"}}) | {"required": []}),
                      "responses": _ok("De gewijzigde casus", _CASE_REF)
                      | problem_responses(400, 401, 403, 404, 409, 412, 428)},
        },
        "/cases/{caseId}/steps": {
            "post": {"summary": "Een stap toevoegen", "parameters": [_CASE_ID],
                     "requestBody": _body(NEW_STEP),
                     "responses": _ok("De stap", STEP, "201")
                     | problem_responses(400, 401, 403, 404, 409, 412)},
        },
        "/cases/{caseId}/steps/{stepId}": {
            "patch": {"summary": "Een stap wijzigen", "parameters": [_CASE_ID, _STEP_ID, _IF_MATCH],
                      "requestBody": _body(STEP_PATCH),
                      "responses": _ok("De stap", STEP)
                      | problem_responses(400, 401, 403, 404, 409, 412, 428)},
        },
        "/cases/{caseId}/close": {
            "post": {"summary": "Casus sluiten met een uitkomst", "parameters": [_CASE_ID, _IF_MATCH],
                     "requestBody": _body(_object(CLOSE_FIELDS)),
                     "responses": _ok("De gesloten casus", _CASE_REF)
                     | problem_responses(400, 401, 403, 404, 409, 412, 428)},
        },
        "/cases/{caseId}/reopen": {
            "post": {"summary": "Casus heropenen", "parameters": [_CASE_ID, _IF_MATCH],
                     "requestBody": _body(_object(REOPEN_FIELDS)),
                     "responses": _ok("De heropende casus", _CASE_REF)
                     | problem_responses(400, 401, 403, 404, 409, 412, 428)},
        },
        "/cases/{caseId}/transfer": {
            "post": {"summary": "Casus overdragen aan een ander samenwerkingsverband (verhuizing)",
                     "parameters": [_CASE_ID, _IF_MATCH], "requestBody": _body(_object(TRANSFER_FIELDS)),
                     "responses": _ok("De overgedragen casus", _CASE_REF)
                     | problem_responses(400, 401, 403, 404, 409, 412, 428)},
        },
        "/cases/{caseId}/events": {
            "get": {"summary": "Tijdlijn van de casus", "parameters": [_CASE_ID],
                    "responses": _ok("Gebeurtenissen", {"type": "object", "properties": {
                        "items": {"type": "array", "items": {"type": "object"}}}})
                    | problem_responses(401, 403, 404)},
        },
    },
    {
        "Case": {
            "type": "object",
            "required": ["id", "reference", "status", "pupil", "swvCode", "gemeenteCode", "absenceKind",
                         "outOfSchoolSince", "returnDeadline", "daysOutOfSchool", "overdue", "goalMet", "stage",
                         "steps", "warnings", "outcome", "version"],
            "properties": {
                "id": {"type": "integer"}, "reference": {"type": "string"},
                "status": {"enum": list(spec.CASE_STATUSES)}, "pupil": {"type": "object"},
                "swvCode": {"type": "string"}, "gemeenteCode": {"type": "string"},
                "schoolBrin": {"type": ["string", "null"]}, "absenceKind": {"enum": list(spec.ABSENCE_KINDS)},
                # None for a signal: no first day out of school, no return deadline, no days out of school yet.
                "outOfSchoolSince": _NULLABLE_DATE, "returnDeadline": _NULLABLE_DATE,
                "daysOutOfSchool": {"type": ["integer", "null"]},
                "overdue": {"type": "boolean"}, "goalMet": {"type": ["boolean", "null"]},
                "stage": {"type": ["string", "null"]}, "steps": {"type": "array", "items": STEP},
                "warnings": {"type": "array", "items": {"type": "object"}}, "nextAction": {"type": "string"},
                "outcome": {"type": ["object", "null"]}, "version": {"type": "integer"},
            },
        },
        **STEP_SCHEMAS,
    },
)
