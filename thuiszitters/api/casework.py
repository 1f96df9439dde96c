"""The network's and the journal's endpoints (API.md, "Casework"): the API face of thuiszitters.casework.services.

Participants and entries carry their own version: `POST` needs no `If-Match`, `PATCH` and `DELETE` need the
object's own (its ETag). A request's own problems (types, unknown fields) and the rules' problems (an empty text, a
date in the future, a participant of another case) come back together, every field in one problem.
"""
from __future__ import annotations

from typing import Any

from flask import Response, g, request, url_for

from thuiszitters.api import inputs as p
from thuiszitters.api.blueprint import bp
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
from thuiszitters.api.subresources import load_case, paged_read, parse_body, version_to_change, versioned_response
from thuiszitters.casework import rules, services
from thuiszitters.casework.models import JournalEntry, Participant
from thuiszitters.clock import today
from thuiszitters.errors import Forbidden, InvalidParam, InvalidRequest
from thuiszitters.extensions import db
from thuiszitters.parsing import ParseError
from thuiszitters.permissions import Capability
from thuiszitters.text import utc_timestamp


def _ids(value: Any, _name: str) -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or any(isinstance(i, bool) or not isinstance(i, int) for i in value):
        raise ParseError("invalid_type", "Verwacht een lijst van ids (gehele getallen).")
    if len(value) > rules.MAX_PARTICIPANTS_PER_ENTRY:
        raise ParseError("too_many", f"Noem ten hoogste {rules.MAX_PARTICIPANTS_PER_ENTRY} betrokkenen.")
    return value


# Texts longer than this are refused by the parser already (the rules name the real limits, which are lower).
_TEXT = p.text(100_000)
PARTICIPANT_FIELDS = [
    p.Field("role", "role", p.choice(rules.PARTICIPANT_ROLES), required=True),
    p.Field("name", "name", _TEXT, required=True),
    p.Field("organisation", "organisation", _TEXT),
    p.Field("email", "email", _TEXT),
    p.Field("phone", "phone", _TEXT),
    p.Field("consentToShare", "consent_to_share", p.boolean),
    p.Field("note", "note", _TEXT),
]
JOURNAL_FIELDS = [
    p.Field("occurredOn", "occurred_on", p.iso_date, required=True),
    p.Field("kind", "kind", p.choice(rules.JOURNAL_KINDS), required=True),
    p.Field("participantIds", "participant_ids", _ids),
    p.Field("summary", "summary", _TEXT, required=True),
]


def participant_json(participant: Participant) -> dict[str, Any]:
    return {"id": participant.id, "role": participant.role, "name": participant.name,
            "organisation": participant.organisation, "email": participant.email, "phone": participant.phone,
            "consentToShare": participant.consent_to_share, "note": participant.note,
            "version": participant.version}


def entry_json(entry: JournalEntry) -> dict[str, Any]:
    return {"id": entry.id, "occurredOn": entry.occurred_on.isoformat(), "kind": entry.kind,
            "participantIds": entry.participant_ids, "summary": entry.summary,
            "author": {"id": entry.author.id, "name": entry.author.name} if entry.author else None,
            "createdAt": utc_timestamp(entry.created_at),
            "history": [{"summary": r.summary, "occurredOn": r.occurred_on.isoformat(), "kind": r.kind,
                         "changedAt": utc_timestamp(r.replaced_at)} for r in reversed(entry.revisions)],
            "version": entry.version}


# --- the network ------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/participants")
def list_participants(case_id: int):
    case = load_case(case_id)
    return paged_read(services.network(case), participant_json,
                      lambda: services.record_network_read(case, g.api_user))


@bp.post("/cases/<int:case_id>/participants")
def add_participant(case_id: int):
    case = load_case(case_id, Capability.EDIT_CASES)
    values = parse_body(PARTICIPANT_FIELDS, lambda v: rules.check_participant(v)[1])
    participant = services.add_participant(case, values, actor=g.api_user)
    db.session.commit()
    return versioned_response(participant_json(participant), participant.version, 201,
                     url_for("api.list_participants", case_id=case.id) + f"/{participant.id}")


@bp.patch("/cases/<int:case_id>/participants/<int:participant_id>")
def update_participant(case_id: int, participant_id: int):
    case = load_case(case_id, Capability.EDIT_CASES)
    participant = services.get_participant(case, participant_id)
    stored = {name: getattr(participant, name) for name in rules.PARTICIPANT_FIELDS}
    values = parse_body(PARTICIPANT_FIELDS, lambda v: rules.check_participant(stored | v)[1], partial=True)
    services.update_participant(participant, values, expected_version=version_to_change(participant), actor=g.api_user)
    db.session.commit()
    return versioned_response(participant_json(participant), participant.version)


@bp.delete("/cases/<int:case_id>/participants/<int:participant_id>")
def remove_participant(case_id: int, participant_id: int):
    case = load_case(case_id, Capability.EDIT_CASES)
    participant = services.get_participant(case, participant_id)
    services.remove_participant(participant, expected_version=version_to_change(participant), actor=g.api_user)
    db.session.commit()
    return Response(status=204)


# --- the journal ------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/journal")
def list_journal(case_id: int):
    case = load_case(case_id)
    kind = request.args.get("kind")
    if kind is not None and kind not in rules.JOURNAL_KINDS:
        raise InvalidRequest([InvalidParam("kind", "unknown_value", f"Kies uit: {', '.join(rules.JOURNAL_KINDS)}.")])
    return paged_read(services.journal(case, kind), entry_json, lambda: services.record_journal_read(case, g.api_user))


@bp.post("/cases/<int:case_id>/journal")
def add_journal_entry(case_id: int):
    case = load_case(case_id, Capability.WRITE_JOURNAL)
    day = today()
    values = parse_body(JOURNAL_FIELDS, lambda v: services.check_entry(case, v, day)[1])
    entry = services.add_entry(case, values, actor=g.api_user, today=day)
    db.session.commit()
    return versioned_response(entry_json(entry), entry.version, 201,
                     url_for("api.list_journal", case_id=case.id) + f"/{entry.id}")


@bp.patch("/cases/<int:case_id>/journal/<int:entry_id>")
def correct_journal_entry(case_id: int, entry_id: int):
    case = load_case(case_id, Capability.WRITE_JOURNAL)
    entry = services.get_entry(case, entry_id)
    if not services.may_correct(entry, g.api_user):
        raise Forbidden("Alleen wie het journaalbericht schreef, kan het corrigeren.")
    day = today()
    values = parse_body(JOURNAL_FIELDS, lambda v: services.check_entry(case, v, day, entry)[1], partial=True)
    services.correct_entry(entry, values, expected_version=version_to_change(entry), actor=g.api_user, today=day)
    db.session.commit()
    return versioned_response(entry_json(entry), entry.version)


# --- OpenAPI ----------------------------------------------------------------------------------------------------

_STRING = {"type": ["string", "null"]}
_TEXT = {"type": "string"}
_TIMESTAMP = {"type": "string", "format": "date-time"}


_IF_MATCH = if_match("het object")
_PAGE = p.page_parameters(DEFAULT_MAX_PAGE_SIZE)
_INPUT_TYPES: dict[str, dict[str, Any]] = {
    "role": {"enum": list(rules.PARTICIPANT_ROLES)}, "consentToShare": {"type": ["boolean", "null"]},
    "occurredOn": {"type": "string", "format": "date"}, "kind": {"enum": list(rules.JOURNAL_KINDS)},
    "participantIds": {"type": "array", "items": {"type": "integer"}, "maxItems": rules.MAX_PARTICIPANTS_PER_ENTRY},
}


def _input(fields: list[p.Field], *, patch: bool = False) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False,
            # A field the API requires is never null, not even in a PATCH (it can be left out there).
            "properties": {f.name: _INPUT_TYPES.get(f.name, _TEXT if f.required else _STRING) for f in fields},
            "required": [] if patch else [f.name for f in fields if f.required]}


def _ok(description: str, schema: dict[str, Any], *, versioned: bool = False) -> dict[str, Any]:
    return response(description, schema, headers=etag("het object") if versioned else None)


_TAG = "Netwerk en journaal"
_PARTICIPANT_ID = path_id("participantId", "Het id van de betrokkene.")
_ENTRY_ID = path_id("entryId", "Het id van het journaalbericht.")

register(
    {
        "/cases/{caseId}/participants": {
            "get": operation(
                "listParticipants", tag=_TAG, summary="Het netwerk van de leerling",
                description="De betrokkenen met hun contactgegevens; elke inzage wordt vastgelegd in het logboek.",
                parameters=[CASE_ID, *_PAGE], responses={"200": _ok("Betrokkenen", page_schema(ref("Participant")))},
                errors=(403, 404)),
            "post": operation(
                "addParticipant", tag=_TAG, summary="Een betrokkene toevoegen aan het netwerk",
                description="Rol, naam, organisatie, e-mail, telefoon en toestemming van de ouders om te delen.",
                parameters=[CASE_ID], body=_input(PARTICIPANT_FIELDS),
                responses={"201": _ok("De betrokkene", ref("Participant"), versioned=True)}, errors=(403, 404)),
        },
        "/cases/{caseId}/participants/{participantId}": {
            "patch": operation(
                "updateParticipant", tag=_TAG, summary="Een betrokkene wijzigen",
                description="Alleen de meegestuurde velden; If-Match met de versie uit de ETag.",
                parameters=[CASE_ID, _PARTICIPANT_ID, _IF_MATCH], body=_input(PARTICIPANT_FIELDS, patch=True),
                responses={"200": _ok("De betrokkene", ref("Participant"), versioned=True)},
                errors=(403, 404, 412, 428)),
            "delete": operation(
                "removeParticipant", tag=_TAG, summary="Een betrokkene uit het netwerk verwijderen",
                description="De contactgegevens en de notitie worden gewist; rol en naam blijven voor het journaal.",
                parameters=[CASE_ID, _PARTICIPANT_ID, _IF_MATCH], responses={"204": response("Verwijderd")},
                errors=(403, 404, 412, 428)),
        },
        "/cases/{caseId}/journal": {
            "get": operation(
                "listJournal", tag=_TAG, summary="Het journaal van de casus, nieuwste eerst",
                description="Elke inzage wordt vastgelegd in het logboek.",
                parameters=[CASE_ID, {"name": "kind", "in": "query",
                                      "schema": {"type": "string", "enum": list(rules.JOURNAL_KINDS)}}, *_PAGE],
                responses={"200": _ok("Journaalberichten", page_schema(ref("JournalEntry")))}, errors=(403, 404)),
            "post": operation(
                "addJournalEntry", tag=_TAG, summary="Een journaalbericht schrijven",
                description="Door coördinatoren en leerplichtambtenaren; niet in de toekomst.",
                parameters=[CASE_ID], body=_input(JOURNAL_FIELDS),
                responses={"201": _ok("Het bericht", ref("JournalEntry"), versioned=True)}, errors=(403, 404)),
        },
        "/cases/{caseId}/journal/{entryId}": {
            "patch": operation(
                "correctJournalEntry", tag=_TAG, summary="Een eigen journaalbericht corrigeren",
                description="Alleen de schrijver; de eerdere tekst blijft leesbaar in history.",
                parameters=[CASE_ID, _ENTRY_ID, _IF_MATCH], body=_input(JOURNAL_FIELDS, patch=True),
                responses={"200": _ok("Het gecorrigeerde bericht", ref("JournalEntry"), versioned=True)},
                errors=(403, 404, 412, 428)),
        },
    },
    {
        "Participant": {
            "type": "object", "required": ["id", "role", "name", "version"],
            "properties": {"id": {"type": "integer"}, **_input(PARTICIPANT_FIELDS)["properties"],
                           "role": {"enum": list(rules.PARTICIPANT_ROLES)}, "name": {"type": "string"},
                           "version": {"type": "integer"}},
        },
        "JournalEntry": {
            "type": "object",
            "required": ["id", "occurredOn", "kind", "participantIds", "summary", "author", "createdAt", "history",
                         "version"],
            "properties": {
                "id": {"type": "integer"}, **_input(JOURNAL_FIELDS)["properties"], "summary": {"type": "string"},
                "author": {"type": ["object", "null"], "properties": {"id": {"type": "integer"},
                                                                       "name": {"type": "string"}}},
                "createdAt": _TIMESTAMP, "version": {"type": "integer"},
                "history": {"type": "array", "items": {"type": "object", "properties": {
                    "summary": {"type": "string"}, "occurredOn": {"type": "string", "format": "date"},
                    "kind": {"enum": list(rules.JOURNAL_KINDS)}, "changedAt": _TIMESTAMP}}},
            },
        },
    },
)
