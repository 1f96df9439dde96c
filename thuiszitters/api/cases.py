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
from thuiszitters.api.case_schemas import CASE_SCHEMAS
from thuiszitters.api.openapi import (
    CASE_ID,
    DEFAULT_MAX_PAGE_SIZE,
    etag,
    if_match,
    operation,
    page_schema,
    path_id,
    ref,
    register,
    response,
)
from thuiszitters.api.serializers import case_json, case_list_item, event_json, step_json
from thuiszitters.api.steps import NEW_STEP, STEP, STEP_FIELDS, STEP_PATCH
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import read_activity, record, record_list_read
from thuiszitters.cases import search, services
from thuiszitters.cases.facts import case_enrolled, case_facts, step_facts
from thuiszitters.cases.models import Case, Step
from thuiszitters.cases.queries import CaseFilter, paginate_cases
from thuiszitters.cases.reference_checks import reference_problems
from thuiszitters.cases.scope import get_visible_case
from thuiszitters.cases.search import SearchTerms, read_query
from thuiszitters.clock import today
from thuiszitters.errors import (
    InvalidParam,
    InvalidRequest,
    NotFound,
    OtherStepKind,
    StaleVersion,
    VersionRequired,
)
from thuiszitters.escalation import spec
from thuiszitters.extensions import db
from thuiszitters.http.problems import client_field_name
from thuiszitters.permissions import Capability, require

PUPIL_FIELDS = [
    p.Field("firstName", "first_name", p.text(100, non_blank=True), required=True),
    p.Field("lastName", "last_name", p.text(150, non_blank=True), required=True),
    p.Field("dateOfBirth", "date_of_birth", p.iso_date, required=True),
    p.Field("bsn", "bsn", p.text(20, description="Burgerservicenummer: 9 cijfers die de elfproef halen.")),
    p.Field("gemeenteCode", "gemeente_code", p.text(10, description="CBS-code, zoals in GET /gemeenten."),
            required=True),
]
CASE_FIELDS = [
    p.Field("swvCode", "swv_code", p.text(16, description="Zoals in GET /swvs; uw eigen swv."), required=True),
    p.Field("schoolBrin", "school_brin", p.text(10, description="BRIN-code, zoals in GET /schools.")),
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
REOPEN_FIELDS = [p.Field("reason", "reason", p.text(500, non_blank=True), required=True)]
TRANSFER_FIELDS = [
    p.Field("swvCode", "swv_code", p.text(16, description="Het swv dat de casus overneemt."), required=True),
    p.Field("gemeenteCode", "gemeente_code", p.text(10, description="De nieuwe gemeente, als die verandert.")),
    p.Field("reason", "reason", p.text(500, non_blank=True), required=True),
]
STEP_FIELD_NAMES = {f.name for fields in STEP_FIELDS.values() for f in fields}  # of any kind
UPDATE_FIELDS = [f for f in CASE_FIELDS if f.attr != "swv_code"]  # a move to another swv is a transfer


def _etag(case: Case) -> str:
    return f'"{case.version}"'


def _expected_version(case: Case, *, required: bool = True) -> int:
    """The version a change may be based on, by the request's If-Match (RFC 9110 13.1.1): `*` or a strong tag
    equal to the case's ETag is the current version; anything else is a 412 (a weak tag never matches)."""
    condition = p.if_match(request.headers.get("If-Match"))
    if condition is None:
        if required:
            raise VersionRequired()
        return case.version
    if condition.matches(_etag(case)):
        return case.version
    named = condition.versions()
    if named:
        return max(named)  # the service answers 412 with what changed since that version
    raise StaleVersion(case.version)


def _refuse(problems: list[InvalidParam], values: dict[str, Any]) -> None:
    """Refuse a request with problems of its own, adding what the reference data and the BSN rules say about its
    fields that did parse: every invalid field in one answer."""
    if not problems:
        return
    named = {problem.name for problem in problems}
    more = [InvalidParam(client_field_name(x.name), x.code, x.reason) for x in reference_problems(values)]
    raise InvalidRequest([*problems, *(x for x in more if x.name not in named)])


def _case_response(case: Case, status: int = 200):
    facts = case_facts(case, today(), services.terms())
    response = jsonify(case_json(case, facts))
    response.status_code = status
    response.headers["ETag"] = _etag(case)
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
    _refuse(problems, {**pupil_values, **case_values})
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
    result = paginate_cases(g.api_user, flt, day, page=page, per_page=page_size)
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
    values |= p.parse({k: v for k, v in body.items() if k != "pupil"}, UPDATE_FIELDS, partial=True,
                      problems=problems)
    _refuse(problems, values)
    services.update_case(case, values, expected_version=_expected_version(case), actor=g.api_user, today=today())
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
    step = services.add_step(case, kind, values, expected_version=_expected_version(case, required=False),
                             actor=g.api_user, today=today())
    db.session.commit()
    return _step_response(case, step, 201)


def _step_response(case: Case, step: Step, status: int = 200):
    response = jsonify(step_json(step_facts(step, today(), services.terms(), enrolled=case_enrolled(case))))
    response.status_code = status
    response.headers["ETag"] = _etag(case)
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
    kind = body.pop("kind", step.kind)  # echoing the kind back is fine; changing it is not
    if kind not in spec.STEP_KINDS:
        raise InvalidRequest([InvalidParam("kind", "unknown_value", f"Kies uit: {', '.join(spec.STEP_KINDS)}.")])
    own = {f.name for f in STEP_FIELDS[step.kind]}
    foreign = sorted(key for key in body if key not in own and key in STEP_FIELD_NAMES)
    if kind != step.kind or foreign:
        # A body another kind's PATCH schema allows, sent to this step: a conflict with what the step is (409).
        raise OtherStepKind(step.kind, ["kind"] if kind != step.kind else foreign)
    values = p.parse(body, STEP_FIELDS[step.kind], partial=True)
    services.update_step(case, step.id, values, expected_version=_expected_version(case), actor=g.api_user,
                         today=today())
    db.session.commit()
    return _step_response(case, step)


@bp.post("/cases/<int:case_id>/close")
def close_case(case_id: int):
    case = _load(case_id, edit=True)
    problems: list[InvalidParam] = []
    values = p.parse(p.json_body(), CLOSE_FIELDS, problems=problems)
    _refuse(problems, values)
    services.close_case(case, outcome=values["outcome"], offer_started_on=values.get("offer_started_on"),
                        closed_on=values.get("closed_on"), school_brin=values.get("school_brin"),
                        note=values.get("note"), expected_version=_expected_version(case), actor=g.api_user,
                        today=today())
    db.session.commit()
    return _case_response(case)


@bp.post("/cases/<int:case_id>/reopen")
def reopen_case(case_id: int):
    case = _load(case_id, edit=True)
    values = p.parse(p.json_body(), REOPEN_FIELDS)
    services.reopen_case(case, reason=values["reason"], expected_version=_expected_version(case), actor=g.api_user,
                         today=today())
    db.session.commit()
    return _case_response(case)


@bp.post("/cases/<int:case_id>/transfer")
def transfer_case(case_id: int):
    case = _load(case_id, edit=True)
    problems: list[InvalidParam] = []
    values = p.parse(p.json_body(), TRANSFER_FIELDS, problems=problems)
    _refuse(problems, values)
    services.transfer_case(case, swv_code=values["swv_code"], gemeente_code=values.get("gemeente_code"),
                           reason=values["reason"], expected_version=_expected_version(case), actor=g.api_user,
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

_DATE = p.DATE_SCHEMA
# None for a signal: no first day out of school, no return deadline, no days out of school yet.
_NULLABLE_DATE = p.nullable_schema(p.DATE_SCHEMA)
_TEXT_OR_NULL = {"type": ["string", "null"]}
_STAGE = {"type": ["string", "null"], "enum": [*spec.STEP_KINDS, None],
          "description": "De verste soort stap die de casus bereikte."}
_STEP_ID = path_id("stepId", "Het id van de stap (uit steps[].id).")
_IF_MATCH = if_match("de casus")
_ETAG = etag("de casus")
_LOCATION = {"Location": {"description": "Het adres van het nieuwe object.", "required": True,
                          "schema": {"type": "string"}}}
_CASE_REF = ref("Case")

_CASE_ERRORS = (403, 404, 409, 412, 428)
_Q_DESCRIPTION = ("Casusnummer (of het begin), een deel van een naam (hoofdletters en accenten tellen niet mee) of "
                  "een exact BSN. Een naam of BSN hoort niet in een URL: gebruik `POST /cases/search`.")

register(
    {
        "/cases": {
            "get": operation(
                "listCases", tag="Casussen", summary="Casussen binnen uw scope",
                description="Een pagina casussen van uw samenwerkingsverband of gemeente, eerste terugkeertermijn "
                            "eerst, zonder stappen. Elke lijst wordt vastgelegd in het logboek.",
                parameters=[
                    {"name": "status", "in": "query", "description": "Open of gesloten.",
                     "schema": {"type": "string", "enum": list(spec.CASE_STATUSES)}},
                    {"name": "overdue", "in": "query", "description": "Over de terugkeertermijn heen.",
                     "schema": {"type": "string", "enum": ["true", "false"]}},
                    {"name": "swvCode", "in": "query", "description": "Alleen casussen van dit swv (code).",
                     "schema": p.QUERY_TEXT},
                    {"name": "gemeenteCode", "in": "query", "description": "Alleen casussen van deze gemeente.",
                     "schema": p.QUERY_TEXT},
                    {"name": "schoolBrin", "in": "query", "description": "Alleen casussen van deze school (BRIN).",
                     "schema": p.QUERY_TEXT},
                    {"name": "stage", "in": "query", "description": "De verste stap; none: nog geen stap.",
                     "schema": {"type": "string", "enum": [*spec.STEP_KINDS, "none"]}},
                    {"name": "q", "in": "query", "description": _Q_DESCRIPTION,
                     "schema": {"type": "string", "minLength": 1, "maxLength": search.MAX_LENGTH}},
                    *p.page_parameters(DEFAULT_MAX_PAGE_SIZE),
                ],
                responses={"200": response("Een pagina casussen", page_schema(ref("CaseListItem")))},
                errors=(403,),
            ),
            "post": operation(
                "createCase", tag="Casussen", summary="Een thuiszitter of een signaal registreren",
                description="Registreert een casus in uw eigen samenwerkingsverband; met status signaal een dreigend "
                            "thuiszitter, zonder outOfSchoolSince. Elk ongeldig veld staat in één antwoord "
                            "(invalidParams), ook een BSN dat de elfproef niet haalt en onbekende codes. Een "
                            "`note` wordt een notitie in het journaal (`GET /cases/{caseId}/journal`).",
                body=p.object_schema(CREATE_FIELDS, extra={"pupil": p.object_schema(PUPIL_FIELDS)},
                                     required=["pupil"]),
                responses={"201": response("De nieuwe casus", _CASE_REF, headers={**_ETAG, **_LOCATION})},
                errors=(403,),
            ),
        },
        "/cases/search": {
            "post": operation(
                "searchCases", tag="Casussen", summary="Casussen zoeken (zoekterm in de body, niet in de URL)",
                description="Als `GET /cases?q=`, met de zoekterm in de body: een naam of BSN komt zo in geen URL, "
                            "proxy- of browserlog terecht. " + _Q_DESCRIPTION,
                body=p.object_schema(SEARCH_FIELDS),
                responses={"200": response("Een pagina gevonden casussen", page_schema(ref("CaseListItem")))},
                errors=(403,),
            ),
        },
        "/cases/{caseId}": {
            "get": operation(
                "getCase", tag="Casussen", summary="Eén casus",
                description="De casus met zijn stappen, termijnen en waarschuwingen; de ETag is zijn versie.",
                parameters=[CASE_ID],
                responses={"200": response("De casus", _CASE_REF, headers=_ETAG)},
                errors=(403, 404),
            ),
            "patch": operation(
                "updateCase", tag="Casussen", summary="Casus wijzigen",
                description="Wijzigt de meegestuurde velden; null maakt een optioneel veld leeg. Een ander "
                            "samenwerkingsverband is een overdracht (transfer). Een `note` wordt een nieuwe notitie "
                            "in het journaal; eerdere notities blijven staan.",
                parameters=[CASE_ID, _IF_MATCH],
                body=p.object_schema(UPDATE_FIELDS, partial=True,
                                     extra={"pupil": p.object_schema(PUPIL_FIELDS, partial=True)}),
                responses={"200": response("De gewijzigde casus", _CASE_REF, headers=_ETAG)},
                errors=_CASE_ERRORS,
            ),
        },
        "/cases/{caseId}/steps": {
            "post": operation(
                "addStep", tag="Stappen", summary="Een stap toevoegen",
                description="Voegt een stap van de escalatieketen toe; de velden hangen af van kind. If-Match is "
                            "hier niet verplicht. De poort van het interventieteam weigert met 409 en missingSteps.",
                parameters=[CASE_ID, {**_IF_MATCH, "required": False}],
                body=NEW_STEP,
                responses={"201": response("De nieuwe stap", STEP, headers={**_ETAG, **_LOCATION})},
                errors=(403, 404, 409, 412),
            ),
        },
        "/cases/{caseId}/steps/{stepId}": {
            "patch": operation(
                "updateStep", tag="Stappen", summary="Een stap wijzigen",
                description="Wijzigt de meegestuurde velden van de stap, volgens de velden van zijn soort (kind "
                            "mag mee, gelijk aan de opgeslagen soort). If-Match is de versie van de casus.",
                parameters=[CASE_ID, _STEP_ID, _IF_MATCH],
                body=STEP_PATCH,
                responses={"200": response("De gewijzigde stap", STEP, headers=_ETAG)},
                errors=_CASE_ERRORS,
            ),
        },
        "/cases/{caseId}/close": {
            "post": operation(
                "closeCase", tag="Casussen", summary="Casus sluiten met een uitkomst",
                description="Sluit de casus; goalMet volgt uit de terugkeertermijn en de start van het aanbod.",
                parameters=[CASE_ID, _IF_MATCH], body=p.object_schema(CLOSE_FIELDS),
                responses={"200": response("De gesloten casus", _CASE_REF, headers=_ETAG)},
                errors=_CASE_ERRORS,
            ),
        },
        "/cases/{caseId}/reopen": {
            "post": operation(
                "reopenCase", tag="Casussen", summary="Casus heropenen",
                description="Heropent een gesloten casus, met een reden.",
                parameters=[CASE_ID, _IF_MATCH], body=p.object_schema(REOPEN_FIELDS),
                responses={"200": response("De heropende casus", _CASE_REF, headers=_ETAG)},
                errors=_CASE_ERRORS,
            ),
        },
        "/cases/{caseId}/transfer": {
            "post": operation(
                "transferCase", tag="Casussen", summary="Casus overdragen aan een ander samenwerkingsverband",
                description="Bij een verhuizing: het nieuwe samenwerkingsverband neemt de casus over (daarna is "
                            "hij voor u 404).",
                parameters=[CASE_ID, _IF_MATCH], body=p.object_schema(TRANSFER_FIELDS),
                responses={"200": response("De overgedragen casus", _CASE_REF, headers=_ETAG)},
                errors=_CASE_ERRORS,
            ),
        },
        "/cases/{caseId}/events": {
            "get": operation(
                "listCaseEvents", tag="Casussen", summary="Tijdlijn van de casus",
                description="Wie wat wanneer deed, oudste eerst; persoonsgegevens staan er alleen als gewijzigd in.",
                parameters=[CASE_ID],
                responses={"200": response("De gebeurtenissen", {
                    "type": "object", "additionalProperties": False, "required": ["items"],
                    "properties": {"items": {"type": "array", "items": ref("Event")}}})},
                errors=(403, 404),
            ),
        },
    },
    CASE_SCHEMAS,
)
