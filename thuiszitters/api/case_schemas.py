"""The JSON schemas of a case as the API returns it (serializers.case_json, case_list_item, event_json), for the
OpenAPI document that api/cases.py registers."""
from __future__ import annotations

from typing import Any

from thuiszitters.api import inputs as p
from thuiszitters.api.steps import SCHEMAS as STEP_SCHEMAS
from thuiszitters.api.steps import STEP
from thuiszitters.escalation import spec

_DATE = p.DATE_SCHEMA
# None for a signal: no first day out of school, no return deadline, no days out of school yet.
_NULLABLE_DATE = p.nullable_schema(p.DATE_SCHEMA)
_TEXT_OR_NULL = {"type": ["string", "null"]}
_STAGE = {"type": ["string", "null"], "enum": [*spec.STEP_KINDS, None],
          "description": "De verste soort stap die de casus bereikte."}

_PUPIL = {
    "type": "object", "additionalProperties": False,
    "required": ["firstName", "lastName", "dateOfBirth", "bsn", "gemeenteCode"],
    "properties": {"firstName": {"type": "string"}, "lastName": {"type": "string"}, "dateOfBirth": _DATE,
                   "bsn": _TEXT_OR_NULL, "gemeenteCode": {"type": "string"}},
}
_LIST_PUPIL = {**_PUPIL, "required": ["firstName", "lastName", "dateOfBirth", "gemeenteCode"],
               "properties": {k: v for k, v in _PUPIL["properties"].items() if k != "bsn"}}
# The keys both shapes of a case share (serializers.case_json and case_list_item).
_CASE_COMMON = {
    "id": {"type": "integer"}, "reference": {"type": "string", "example": "TZ-2026-ABCDE"},
    "status": {"type": "string", "enum": list(spec.CASE_STATUSES)},
    "swvCode": {"type": "string"}, "gemeenteCode": {"type": "string"},
    "absenceKind": {"type": "string", "enum": list(spec.ABSENCE_KINDS)},
    "outOfSchoolSince": _NULLABLE_DATE, "returnDeadline": _NULLABLE_DATE,
    "daysOutOfSchool": {"type": ["integer", "null"]}, "overdue": {"type": "boolean"},
    "goalMet": {"type": ["boolean", "null"],
                "description": "Doel gehaald: true of false bij een aanbod-uitkomst, anders null."},
    "stage": _STAGE, "version": {"type": "integer", "minimum": 1},
}
_OUTCOME = {
    "type": "object", "additionalProperties": False,
    "required": ["outcome", "offerStartedOn", "schoolBrin", "note", "closedOn"],
    "properties": {"outcome": {"type": "string", "enum": list(spec.OUTCOMES)}, "offerStartedOn": _NULLABLE_DATE,
                   "schoolBrin": _TEXT_OR_NULL, "note": _TEXT_OR_NULL, "closedOn": _NULLABLE_DATE},
}
_EVENT = {
    "type": "object", "additionalProperties": False,
    "required": ["id", "at", "actor", "action", "processingActivity", "objectType", "objectId", "changes", "reason"],
    "properties": {
        "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
        "actor": {"type": ["string", "null"], "description": "De naam van wie het deed; null: het systeem."},
        "action": {"type": "string", "example": "case.update"},
        "processingActivity": {"type": ["string", "null"]}, "objectType": {"type": ["string", "null"]},
        "objectId": {"type": ["integer", "null"]},
        "changes": {"type": "object", "propertyNames": {"pattern": "^[a-z][a-zA-Z0-9]*$"},
                    "description": "Per veld (camelCase) wat veranderde, meestal [oud, nieuw]; persoonsgegevens "
                                   "als \"…\"."},
        "reason": _TEXT_OR_NULL,
    },
}

CASE_SCHEMAS: dict[str, Any] = {
    "Case": {
        "type": "object", "additionalProperties": False,
        "required": [*_CASE_COMMON, "pupil", "schoolBrin", "steps", "warnings", "nextAction", "outcome"],
        "properties": {
            **_CASE_COMMON,
            "pupil": _PUPIL,
            "schoolBrin": _TEXT_OR_NULL,
            "steps": {"type": "array", "items": STEP},
            "warnings": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
            "nextAction": {"type": ["string", "null"]},
            "outcome": {"oneOf": [{"type": "null"}, _OUTCOME]},
        },
    },
    "CaseListItem": {
        "type": "object", "additionalProperties": False,
        "required": [*_CASE_COMMON, "pupil"],
        "properties": {**_CASE_COMMON, "pupil": _LIST_PUPIL},
    },
    "Event": _EVENT,
    **STEP_SCHEMAS,
}
