"""The plan van aanpak's and the meetings' endpoints (API.md, "Casework"): the API face of casework/plan_services.

Actions carry their own version: `POST` needs no `If-Match`, `PATCH` needs the action's own (its ETag). A meeting is
posted with its agreements; each becomes an action, and the answer names them in `actionIds`. A request's own
problems (types, unknown fields) and the rules' problems (an owner who cannot see the case, a meeting in the future,
an agreement without an owner) come back together, every field in one problem; an agreement's fields are named
`agreements.<n>.<field>`.
"""
from __future__ import annotations

from typing import Any

from flask import g, url_for

from thuiszitters.api import inputs as p
from thuiszitters.api.blueprint import bp
from thuiszitters.api.openapi import (
    CASE_ID,
    DEFAULT_MAX_PAGE_SIZE,
    ID,
    operation,
    page_schema,
    path_id,
    ref,
    register,
    response,
)
from thuiszitters.api.subresources import (
    load_case,
    paged_read,
    parse_body,
    refuse_together,
    version_to_change,
    versioned_response,
)
from thuiszitters.casework import plan_rules as rules
from thuiszitters.casework import plan_services as services
from thuiszitters.casework.models import Action, Meeting
from thuiszitters.clock import today
from thuiszitters.errors import InvalidParam
from thuiszitters.extensions import db
from thuiszitters.http.problems import name_fields_as_sent
from thuiszitters.parsing import MAX_ID, ParseError
from thuiszitters.permissions import Capability
from thuiszitters.text import utc_timestamp

_ID = p.integer(1, MAX_ID)
# Texts longer than this are refused by the parser already (the rules name the real limits, which are lower).
_TEXT = p.text(100_000)


def _id_list(value: Any, _name: str) -> list[int]:
    if not isinstance(value, list) or any(isinstance(i, bool) or not isinstance(i, int) for i in value):
        raise ParseError("invalid_type", "Verwacht een lijst van ids (gehele getallen).")
    if len(value) > rules.MAX_PARTICIPANTS_PER_ENTRY:
        raise ParseError("too_many", f"Noem ten hoogste {rules.MAX_PARTICIPANTS_PER_ENTRY} betrokkenen.")
    return value


def _list(value: Any, _name: str) -> list[Any]:
    if not isinstance(value, list) or any(not isinstance(item, dict) for item in value):
        raise ParseError("invalid_type", "Verwacht een lijst van afspraken (objecten).")
    if len(value) > rules.MAX_AGREEMENTS:
        raise ParseError("too_many", f"Leg ten hoogste {rules.MAX_AGREEMENTS} afspraken vast.")
    return value


ACTION_FIELDS = [
    p.Field("description", "description", _TEXT, required=True),
    p.Field("ownerUserId", "owner_user_id", _ID),
    p.Field("ownerParticipantId", "owner_participant_id", _ID),
    p.Field("dueOn", "due_on", p.iso_date, required=True),
]
ACTION_UPDATE_FIELDS = [
    *ACTION_FIELDS,
    p.Field("status", "status", p.choice(rules.ACTION_STATUSES), required=True),
    p.Field("doneOn", "done_on", p.iso_date),
]
_AGREEMENT_SCHEMA = p.object_schema(ACTION_FIELDS)
MEETING_FIELDS = [
    p.Field("heldOn", "held_on", p.iso_date, required=True),
    p.Field("kind", "kind", p.choice(rules.MEETING_KINDS), required=True),
    p.Field("participantIds", "participant_ids",
            p.Parser(_id_list, {"type": "array", "items": dict(ID), "maxItems": rules.MAX_PARTICIPANTS_PER_ENTRY})),
    p.Field("summary", "summary", _TEXT, required=True),
    p.Field("agreements", "agreements",
            p.Parser(_list, {"type": "array", "items": _AGREEMENT_SCHEMA, "maxItems": rules.MAX_AGREEMENTS})),
]


def action_json(action: Action, day: Any) -> dict[str, Any]:
    return {"id": action.id, "description": action.description, "ownerUserId": action.owner_user_id,
            "ownerParticipantId": action.owner_participant_id, "dueOn": action.due_on.isoformat(),
            "status": action.status, "doneOn": action.done_on.isoformat() if action.done_on else None,
            "meetingId": action.meeting_id, "overdue": rules.is_overdue(action.status, action.due_on, day),
            "version": action.version}


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    return {"id": meeting.id, "heldOn": meeting.held_on.isoformat(), "kind": meeting.kind,
            "participantIds": meeting.participant_ids, "summary": meeting.summary,
            "agreements": [{"description": a.description, "ownerUserId": a.owner_user_id,
                            "ownerParticipantId": a.owner_participant_id, "dueOn": a.due_on.isoformat()}
                           for a in meeting.actions],
            "actionIds": [a.id for a in meeting.actions],
            "author": {"id": meeting.author.id, "name": meeting.author.name} if meeting.author else None,
            "createdAt": utc_timestamp(meeting.created_at), "version": meeting.version}


# --- actions ----------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/actions")
def list_actions(case_id: int):
    case = load_case(case_id)
    day = today()
    return paged_read(services.actions(case), lambda a: action_json(a, day),
                      lambda: services.record_plan_read(case, g.api_user))


@bp.post("/cases/<int:case_id>/actions")
def add_action(case_id: int):
    case = load_case(case_id, Capability.WRITE_PLAN)
    day = today()
    values = parse_body(ACTION_FIELDS, lambda v: services.check_action(case, v, day)[1])
    action = services.add_action(case, values, actor=g.api_user, today=day)
    db.session.commit()
    return versioned_response(action_json(action, day), action.version, 201,
                     url_for("api.list_actions", case_id=case.id) + f"/{action.id}")


@bp.patch("/cases/<int:case_id>/actions/<int:action_id>")
def update_action(case_id: int, action_id: int):
    case = load_case(case_id, Capability.COMPLETE_OWN_ACTIONS)
    action = services.get_action(case, action_id)
    day = today()
    values = parse_body(ACTION_UPDATE_FIELDS, lambda v: services.check_update(action, v, day)[1], partial=True)
    services.update_action(action, values, expected_version=version_to_change(action), actor=g.api_user, today=day)
    db.session.commit()
    return versioned_response(action_json(action, day), action.version)


# --- meetings ---------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/meetings")
def list_meetings(case_id: int):
    case = load_case(case_id)
    return paged_read(services.meetings(case), meeting_json, lambda: services.record_meetings_read(case, g.api_user))


@bp.post("/cases/<int:case_id>/meetings")
def add_meeting(case_id: int):
    case = load_case(case_id, Capability.WRITE_PLAN)
    day = today()
    problems: list[InvalidParam] = []
    values = p.parse(p.json_body(), MEETING_FIELDS, problems=problems)
    agreements: list[dict[str, Any]] = []
    names = {f.attr: f.name for f in MEETING_FIELDS}
    for index, body in enumerate(values.pop("agreements", None) or []):
        prefix = f"agreements.{index}."
        names |= {prefix + f.attr: prefix + f.name for f in ACTION_FIELDS}
        agreements.append(p.parse(body, ACTION_FIELDS, prefix=prefix, problems=problems))
    name_fields_as_sent(names)
    refuse_together(problems, lambda: services.check_meeting(case, values, agreements, day)[2], names)
    meeting = services.add_meeting(case, values, agreements, actor=g.api_user, today=day)
    db.session.commit()
    return versioned_response(meeting_json(meeting), meeting.version, 201,
                     url_for("api.list_meetings", case_id=case.id) + f"/{meeting.id}")


# --- OpenAPI ----------------------------------------------------------------------------------------------------

_TAG = "Plan van aanpak"
_ACTION_ID = path_id("actionId", "Het id van de actie.")
_IF_MATCH = {"name": "If-Match", "in": "header", "required": True, "description": "De versie van de actie, zoals "
             "in haar ETag.", "schema": {"type": "string", "pattern": p.IF_MATCH_PATTERN}}
_ETAG = {"ETag": {"description": "De versie van het object, voor If-Match.", "required": True,
                  "schema": {"type": "string"}}}
_DATE = p.DATE_SCHEMA
_NULL_DATE = p.nullable_schema(p.DATE_SCHEMA)
_NULL_ID = {"type": ["integer", "null"]}
_PAGE = p.page_parameters(DEFAULT_MAX_PAGE_SIZE)

ACTION_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "description", "ownerUserId", "ownerParticipantId", "dueOn", "status", "doneOn", "meetingId",
                 "overdue", "version"],
    "properties": {
        "id": {"type": "integer"}, "description": {"type": "string"}, "ownerUserId": _NULL_ID,
        "ownerParticipantId": _NULL_ID, "dueOn": _DATE,
        "status": {"type": "string", "enum": list(rules.ACTION_STATUSES)},
        "doneOn": _NULL_DATE, "meetingId": _NULL_ID,
        "overdue": {"type": "boolean", "description": "Open en de datum is verstreken."},
        "version": {"type": "integer"},
    },
}
MEETING_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "heldOn", "kind", "participantIds", "summary", "agreements", "actionIds", "author",
                 "createdAt", "version"],
    "properties": {
        "id": {"type": "integer"}, "heldOn": _DATE, "kind": {"type": "string", "enum": list(rules.MEETING_KINDS)},
        "participantIds": {"type": "array", "items": {"type": "integer"}}, "summary": {"type": "string"},
        "agreements": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["description", "ownerUserId", "ownerParticipantId", "dueOn"],
            "properties": {"description": {"type": "string"}, "ownerUserId": _NULL_ID,
                           "ownerParticipantId": _NULL_ID, "dueOn": _DATE}}},
        "actionIds": {"type": "array", "items": {"type": "integer"},
                      "description": "De acties waarin de afspraken zijn omgezet."},
        "author": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        "createdAt": {"type": "string", "format": "date-time"}, "version": {"type": "integer"},
    },
}

register(
    {
        "/cases/{caseId}/actions": {
            "get": operation(
                "listActions", tag=_TAG, summary="Het plan van aanpak: de acties van de casus",
                description="Open acties eerst, op datum; elke inzage wordt vastgelegd in het logboek.",
                parameters=[CASE_ID, *_PAGE], responses={"200": response("Acties", page_schema(ref("Action")))},
                errors=(403, 404)),
            "post": operation(
                "addAction", tag=_TAG, summary="Een actie toevoegen aan het plan van aanpak",
                description="Precies één eigenaar: ownerUserId (een gebruiker die de casus kan zien) of "
                            "ownerParticipantId (een betrokkene). Niet bij een gesloten casus (409).",
                parameters=[CASE_ID], body=p.object_schema(ACTION_FIELDS),
                responses={"201": response("De actie", ref("Action"), headers=_ETAG)}, errors=(403, 404, 409)),
        },
        "/cases/{caseId}/actions/{actionId}": {
            "patch": operation(
                "updateAction", tag=_TAG, summary="Een actie wijzigen (status, datum, omschrijving of eigenaar)",
                description="Alleen de meegestuurde velden; If-Match met de versie uit de ETag. Wie een eigenaar "
                            "noemt (ownerUserId of ownerParticipantId), vervangt de eigenaar. Leerplicht wijzigt "
                            "alleen de status (en de datum gedaan) van de eigen acties.",
                parameters=[CASE_ID, _ACTION_ID, _IF_MATCH], body=p.object_schema(ACTION_UPDATE_FIELDS, partial=True),
                responses={"200": response("De actie", ref("Action"), headers=_ETAG)},
                errors=(403, 404, 412, 428)),
        },
        "/cases/{caseId}/meetings": {
            "get": operation(
                "listMeetings", tag=_TAG, summary="De overleggen (MDO) van de casus, nieuwste eerst",
                description="Met wie er aanwezig was en de afspraken; elke inzage wordt vastgelegd in het logboek.",
                parameters=[CASE_ID, *_PAGE], responses={"200": response("Overleggen", page_schema(ref("Meeting")))},
                errors=(403, 404)),
            "post": operation(
                "addMeeting", tag=_TAG, summary="Een overleg met zijn afspraken vastleggen",
                description="Elke afspraak wordt een actie van het plan van aanpak (actionIds). Niet in de "
                            "toekomst; bij een gesloten casus zonder afspraken.",
                parameters=[CASE_ID], body=p.object_schema(MEETING_FIELDS),
                responses={"201": response("Het overleg", ref("Meeting"), headers=_ETAG)}, errors=(403, 404, 409)),
        },
    },
    {"Action": ACTION_SCHEMA, "Meeting": MEETING_SCHEMA},
)
