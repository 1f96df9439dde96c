"""The API face of the step spec: each kind's input fields and its OpenAPI schemas, derived from
``thuiszitters.escalation.spec`` (``serializers.step_json`` writes the JSON these schemas describe).

Names are the spec fields' camelCase; a required field may be left out of a PATCH but never set to null.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thuiszitters.api import inputs as p
from thuiszitters.escalation import spec


def _parser(kind: spec.FieldType) -> Callable[[Any, str], Any]:
    if isinstance(kind, spec.Date):
        return p.iso_date
    if isinstance(kind, spec.Choice):
        # Any short text for a choice that the rules explain when it is wrong (a TLV dispute is not for the GPO).
        return p.text(kind.api_text_length) if kind.api_text_length else p.choice(kind.values)
    if isinstance(kind, spec.Text | spec.SchoolRef):
        return p.text(kind.max_length)
    if isinstance(kind, spec.Flag):
        return p.boolean
    if isinstance(kind, spec.Count):
        return p.integer(kind.minimum, kind.maximum)
    raise TypeError(f"no API parser for {kind!r}")


def input_field(field: spec.Field) -> p.Field:
    return p.Field(field.api_name, field.name, _parser(field.type), required=field.required)


# What a POST or PATCH of a step of each kind accepts: its own fields, then the common ones.
STEP_FIELDS: dict[str, list[p.Field]] = {
    kind.name: [input_field(f) for f in spec.step_fields(kind.name)] for kind in spec.KINDS
}


# --- OpenAPI -------------------------------------------------------------------------------------------


_nullable = p.nullable_schema


def value_schema(field: spec.Field, *, nullable: bool) -> dict[str, Any]:
    """The JSON schema of one field's value."""
    kind = field.type
    schema: dict[str, Any]
    if isinstance(kind, spec.Date):
        schema = dict(p.DATE_SCHEMA)
    elif isinstance(kind, spec.Choice):
        schema = {"type": "string", "enum": list(kind.values)}
    elif isinstance(kind, spec.Text):
        schema = dict(_parser(kind).schema)
    elif isinstance(kind, spec.SchoolRef):
        schema = {**_parser(kind).schema, "description": "BRIN-code van de school"}
    elif isinstance(kind, spec.Flag):
        schema = {"type": "boolean"}
    elif isinstance(kind, spec.Count):
        schema = {"type": "integer", "minimum": kind.minimum, "maximum": kind.maximum}
    else:
        raise TypeError(f"no JSON schema for {kind!r}")
    schema["title"] = field.label
    return _nullable(schema) if nullable else schema


def _input_properties(kind: str) -> dict[str, Any]:
    # A required field can be left out of a PATCH, but null is refused in a POST and a PATCH alike.
    return {f.api_name: value_schema(f, nullable=not f.required) for f in spec.step_fields(kind)}


def _schema_name(kind: str, role: str) -> str:
    return role + "".join(part.title() for part in kind.split("_"))


def new_step_schema(kind: str) -> dict[str, Any]:
    """The body of ``POST /cases/{caseId}/steps`` for one kind."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {"kind": {"type": "string", "const": kind}, **_input_properties(kind)},
        "required": ["kind", *[f.api_name for f in spec.step_fields(kind) if f.required]],
    }


def step_patch_schema(kind: str) -> dict[str, Any]:
    """The body of ``PATCH /cases/{caseId}/steps/{stepId}`` for a step of one kind (echoing its kind is fine)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {"kind": {"type": "string", "const": kind}, **_input_properties(kind)},
    }


def step_schema(kind: str) -> dict[str, Any]:
    """A step of one kind as the API returns it (``serializers.step_json``): every key is always there."""
    terms = {
        term.api_name: {"type": ["string", "null"], "format": "date", "title": term.label, "readOnly": True}
        for term in spec.KIND[kind].terms
    }
    properties = {
        "id": {"type": "integer"},
        "kind": {"type": "string", "const": kind},
        "done": {"type": "boolean", "description": "De stap is afgerond (DOMAIN.md)."},
        **{f.api_name: value_schema(f, nullable=True) for f in spec.step_fields(kind)},
        **terms,
    }
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": list(properties)}


def _refs(role: str) -> list[dict[str, str]]:
    return [{"$ref": f"#/components/schemas/{_schema_name(kind, role)}"} for kind in spec.STEP_KINDS]


def _discriminated(role: str) -> dict[str, Any]:
    return {"oneOf": _refs(role), "discriminator": {"propertyName": "kind", "mapping": {
        kind: f"#/components/schemas/{_schema_name(kind, role)}" for kind in spec.STEP_KINDS}}}


# Named schemas (components) for every kind: NewStep<Kind>, StepPatch<Kind> and Step<Kind>.
SCHEMAS: dict[str, Any] = {
    **{_schema_name(kind, "NewStep"): new_step_schema(kind) for kind in spec.STEP_KINDS},
    **{_schema_name(kind, "StepPatch"): step_patch_schema(kind) for kind in spec.STEP_KINDS},
    **{_schema_name(kind, "Step"): step_schema(kind) for kind in spec.STEP_KINDS},
}
# A new step names its kind; a patch is one of a kind's patches (the stored step decides which); a step is one kind.
NEW_STEP = _discriminated("NewStep")
STEP_PATCH = {"anyOf": _refs("StepPatch")}
STEP = _discriminated("Step")
