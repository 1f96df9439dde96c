"""Parsing JSON request bodies into typed values, collecting every problem as an invalidParam.

`parse` also tells http/problems.py which JSON name the client used for each attribute, so a service's problem
about ``school_brin`` is answered as ``schoolBrin`` (or ``pupil.firstName``): the endpoints need no renaming.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import request

from thuiszitters.errors import InvalidParam, InvalidRequest
from thuiszitters.http.problems import name_fields_as_sent
from thuiszitters.parsing import ParseError, page_number, parse_date, whole_number


@dataclass(frozen=True)
class Field:
    """One JSON field: its camelCase name, the attribute it fills, and how to parse it."""

    name: str
    attr: str
    parse: Callable[[Any, str], Any]
    required: bool = False


def text(max_length: int) -> Callable[[Any, str], str | None]:
    def parse(value: Any, _name: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ParseError("invalid_type", "Verwacht een tekst.")
        if len(value) > max_length:
            raise ParseError("too_long", f"Hoogstens {max_length} tekens.")
        return value

    return parse


def iso_date(value: Any, _name: str) -> date | None:
    """Exactly YYYY-MM-DD, on the calendar, 1900 or later (thuiszitters.parsing)."""
    if value is None:
        return None
    return parse_date(value)


def boolean(value: Any, _name: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ParseError("invalid_type", "Verwacht true of false.")
    return value


def integer(minimum: int, maximum: int) -> Callable[[Any, str], int | None]:
    def parse(value: Any, _name: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParseError("invalid_type", "Verwacht een geheel getal.")
        if not minimum <= value <= maximum:
            raise ParseError("out_of_range", f"Verwacht een getal van {minimum} tot en met {maximum}.")
        return value

    return parse


def choice(values: tuple[str, ...]) -> Callable[[Any, str], str | None]:
    def parse(value: Any, _name: str) -> str | None:
        if value is None:
            return None
        if value not in values:
            raise ParseError("unknown_value", f"Kies uit: {', '.join(values)}.")
        return value

    return parse


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 problem for anything else."""
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
            bounded("pageSize", 50, lambda raw: whole_number(raw, minimum=1, maximum=max_page_size,
                                                             name="pageSize")))


# A version is a database integer; its ETag is that number in quotes ("3"), weak (W/"3") accepted.
_MAX_VERSION = 2**63 - 1


def if_match_version(header: str | None) -> int | None:
    """The version an `If-Match` header names, None without the header; a malformed one is a 400 (never a 500)."""
    if header is None:
        return None
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    try:
        return whole_number(value, minimum=0, maximum=_MAX_VERSION, name="If-Match")
    except ParseError:
        raise InvalidRequest([InvalidParam(
            "If-Match", "invalid_version",
            'Stuur de versie van de casus als ETag, zoals in het antwoord: If-Match: "3".')]) from None
