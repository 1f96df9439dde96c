"""Parsing JSON request bodies into typed values, collecting every problem as an invalidParam.

`parse` also tells http/problems.py which JSON name the client used for each attribute, so a service's problem
about ``school_brin`` is answered as ``schoolBrin`` (or ``pupil.firstName``): the endpoints need no renaming.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import request

from thuiszitters.errors import InvalidParam, InvalidRequest, UnsupportedMediaType
from thuiszitters.http.problems import name_fields_as_sent
from thuiszitters.parsing import (
    MAX_PAGE,
    MAX_YEAR,
    MIN_YEAR,
    ParseError,
    ascii_digits,
    page_number,
    parse_date,
    whole_number,
)

# A date as the API accepts it: YYYY-MM-DD, on the calendar (format), from MIN_YEAR to MAX_YEAR (pattern).
DATE_SCHEMA: dict[str, Any] = {"type": "string", "format": "date",
                               "pattern": "^(19[0-9]{2}|2[0-9]{3})-[0-9]{2}-[0-9]{2}$"}
assert (MIN_YEAR, MAX_YEAR) == (1900, 2999), "DATE_SCHEMA's pattern names these years"


# Any text, but no U+0000 (http/inputs.py refuses it in every request: no text column can hold it); and one with
# more than white space in it. JSON schema patterns, also for query parameters (QUERY_TEXT).
TEXT = r"^[^\x00]*$"
NON_BLANK_TEXT = r"^[^\x00]*[^\x00\s][^\x00]*$"
QUERY_TEXT: dict[str, Any] = {"type": "string", "pattern": TEXT}


@dataclass(frozen=True)
class Parser:
    """How one kind of JSON value is read (`parse(value, name)`, a ParseError when wrong) and its JSON schema,
    so the OpenAPI document says exactly what the parser takes. null is always read as None."""

    parse: Callable[[Any, str], Any]
    schema: dict[str, Any]

    def __call__(self, value: Any, name: str) -> Any:
        return None if value is None else self.parse(value, name)


@dataclass(frozen=True)
class Field:
    """One JSON field: its camelCase name, the attribute it fills, and how to parse it."""

    name: str
    attr: str
    parse: Parser
    required: bool = False

    def schema(self) -> dict[str, Any]:
        """Its value's JSON schema; null is allowed for an optional field (it clears it), never for a required
        one (the parser refuses it)."""
        return dict(self.parse.schema) if self.required else nullable_schema(self.parse.schema)


def nullable_schema(schema: dict[str, Any]) -> dict[str, Any]:
    result = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        result["enum"] = [*schema["enum"], None]
    return result


def text(max_length: int, *, non_blank: bool = False, description: str | None = None) -> Parser:
    """A text of at most `max_length` characters; with `non_blank`, one with more than spaces in it."""

    def parse(value: Any, _name: str) -> str:
        if not isinstance(value, str):
            raise ParseError("invalid_type", "Verwacht een tekst.")
        if len(value) > max_length:
            raise ParseError("too_long", f"Hoogstens {max_length} tekens.")
        if non_blank and not value.strip():
            raise ParseError("required", "Dit veld is verplicht.")
        return value

    schema: dict[str, Any] = {"type": "string", "maxLength": max_length,
                              "pattern": NON_BLANK_TEXT if non_blank else TEXT}
    if non_blank:
        schema["minLength"] = 1
    if description:
        schema["description"] = description
    return Parser(parse, schema)


def _iso_date(value: Any, _name: str) -> date:
    """Exactly YYYY-MM-DD, on the calendar, 1900 or later (thuiszitters.parsing)."""
    return parse_date(value)


iso_date = Parser(_iso_date, DATE_SCHEMA)


def _boolean(value: Any, _name: str) -> bool:
    if not isinstance(value, bool):
        raise ParseError("invalid_type", "Verwacht true of false.")
    return value


boolean = Parser(_boolean, {"type": "boolean"})


def integer(minimum: int, maximum: int) -> Parser:
    def parse(value: Any, _name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParseError("invalid_type", "Verwacht een geheel getal.")
        if not minimum <= value <= maximum:
            raise ParseError("out_of_range", f"Verwacht een getal van {minimum} tot en met {maximum}.")
        return value

    return Parser(parse, {"type": "integer", "minimum": minimum, "maximum": maximum})


def choice(values: tuple[str, ...]) -> Parser:
    def parse(value: Any, _name: str) -> str:
        if value not in values:
            raise ParseError("unknown_value", f"Kies uit: {', '.join(values)}.")
        return value

    return Parser(parse, {"type": "string", "enum": list(values)})


def object_schema(fields: list[Field], *, partial: bool = False, extra: dict[str, Any] | None = None,
                  required: list[str] | None = None) -> dict[str, Any]:
    """The JSON schema of a body that `parse(body, fields)` accepts: exactly these keys (and `extra`), the
    required ones required unless `partial` (a PATCH)."""
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False,
                              "properties": {**{f.name: f.schema() for f in fields}, **(extra or {})}}
    names = [*(required or []), *([] if partial else [f.name for f in fields if f.required])]
    if names:
        schema["required"] = names
    return schema


def json_body() -> dict[str, Any]:
    """The request's JSON object: a 415 problem for a body that is not JSON (by its Content-Type), a 400 for one
    that is no JSON object."""
    if not request.is_json:
        raise UnsupportedMediaType()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidRequest([InvalidParam("body", "invalid_json", "Stuur een JSON-object (application/json).")])
    return body


def parse(body: dict[str, Any], fields: list[Field], *, prefix: str = "", partial: bool = False,
          problems: list[InvalidParam] | None = None) -> dict[str, Any]:
    """Typed values for the fields present in `body`, keyed by attribute name.

    Unknown keys are refused (a typo must not be silently ignored). With `partial`, missing required fields are
    allowed (PATCH); an explicit null clears an optional field. The problems found here are the request's own
    (`InvalidRequest`, raised unless the caller collects them in `problems`); a service's later problems about
    these fields are named as the client sent them.
    """
    name_fields_as_sent({f.attr: prefix + f.name for f in fields})
    own_problems = problems if problems is not None else []
    known = {f.name for f in fields}
    for key in body:
        if key not in known:
            own_problems.append(InvalidParam(prefix + key, "unknown_field", "Onbekend veld."))
    values: dict[str, Any] = {}
    for f in fields:
        if f.name not in body:
            if f.required and not partial:
                own_problems.append(InvalidParam(prefix + f.name, "required", "Dit veld is verplicht."))
            continue
        try:
            value = f.parse(body[f.name], f.name)
        except ParseError as exc:
            own_problems.append(InvalidParam(prefix + f.name, exc.code, exc.reason))
            continue
        if value is None and f.required:
            own_problems.append(InvalidParam(prefix + f.name, "required", "Dit veld is verplicht."))
            continue
        values[f.attr] = value
    if problems is None and own_problems:
        raise InvalidRequest(own_problems)
    return values


def page_params(args: Mapping[str, str], max_page_size: int, problems: list[InvalidParam]) -> tuple[int, int]:
    """`page` and `pageSize` from the query string (API.md: default 1 and 50, at most `max_page_size`)."""

    def bounded(name: str, default: int, read: Callable[[str], int]) -> int:
        raw = args.get(name)
        if raw is None:
            return default
        try:
            return read(raw)
        except ParseError as exc:
            problems.append(InvalidParam(name, exc.code, exc.reason))
            return default

    return (bounded("page", 1, lambda raw: page_number(raw, "page")),
            bounded("pageSize", DEFAULT_PAGE_SIZE, lambda raw: whole_number(raw, minimum=1, maximum=max_page_size,
                                                             name="pageSize")))


DEFAULT_PAGE_SIZE = 50


def page_parameters(max_page_size: int) -> list[dict[str, Any]]:
    """`page` and `pageSize` as OpenAPI query parameters, with the bounds `page_params` holds them to."""
    return [
        {"name": "page", "in": "query", "description": "Het paginanummer (vanaf 1).",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
        {"name": "pageSize", "in": "query", "description": "Het aantal per pagina.",
         "schema": {"type": "integer", "minimum": 1, "maximum": max_page_size, "default": DEFAULT_PAGE_SIZE}},
    ]


# RFC 9110 (13.1.1, 8.8.3): If-Match is "*" or a comma-separated list of entity tags, each "opaque" or W/"opaque"
# (etagc: any visible character but DQUOTE, or obs-text). Our ETag is the case's version in quotes ("3"), strong.
_TAG = r'(W/)?"([^\x00-\x20"\x7f]*)"'
_ENTITY_TAG = re.compile(_TAG)
# The same grammar as a JSON schema pattern, for the OpenAPI document.
IF_MATCH_PATTERN = rf"^[ \t]*(\*|{_TAG}([ \t]*,[ \t]*{_TAG})*)[ \t]*$"
_IF_MATCH = re.compile(IF_MATCH_PATTERN)
MALFORMED_IF_MATCH = 'Stuur de versie van de casus als ETag, zoals in het antwoord: If-Match: "3".'


@dataclass(frozen=True)
class IfMatch:
    """A parsed If-Match: `*`, or the entity tags it lists (weak ones flagged)."""

    any: bool
    tags: tuple[tuple[bool, str], ...] = ()  # (weak, opaque tag)

    def matches(self, current_etag: str) -> bool:
        """RFC 9110 13.1.1: true for `*` (the case exists) or when a listed tag matches the current ETag by the
        strong comparison: both strong, character for character. A weak tag never matches."""
        return self.any or any(not weak and f'"{tag}"' == current_etag for weak, tag in self.tags)

    def versions(self) -> list[int]:
        """The versions the strong tags name, for saying what changed since (a tag that is no version: none)."""
        return [int(tag) for weak, tag in self.tags if not weak and ascii_digits(tag) and len(tag) < 19]


def if_match(header: str | None) -> IfMatch | None:
    """The `If-Match` header parsed, None without it; a header that is not `*` or a list of entity tags is a 400
    naming If-Match (never a 500)."""
    if header is None or not header.strip(" \t"):
        return None  # an empty field value lists nothing: as if it were not sent
    if _IF_MATCH.fullmatch(header) is None:
        raise InvalidRequest([InvalidParam("If-Match", "invalid_version", MALFORMED_IF_MATCH)])
    if header.strip(" \t") == "*":
        return IfMatch(any=True)
    return IfMatch(any=False, tags=tuple((weak is not None and weak != "", tag)
                                         for weak, tag in _ENTITY_TAG.findall(header)))
