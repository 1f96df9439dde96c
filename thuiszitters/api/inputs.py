"""Parsing JSON request bodies into typed values, collecting every problem as an invalidParam."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import request

from thuiszitters.errors import InvalidParam, ValidationFailed


@dataclass(frozen=True)
class Field:
    """One JSON field: its camelCase name, the attribute it fills, and how to parse it."""

    name: str
    attr: str
    parse: Callable[[Any, str], Any]
    required: bool = False


class ParseError(ValueError):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


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
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise ParseError("invalid_date", "Verwacht een datum als JJJJ-MM-DD.")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ParseError("invalid_date", "Deze datum bestaat niet.") from exc


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
        raise ValidationFailed([InvalidParam("body", "invalid_json", "Stuur een JSON-object (application/json).")])
    return body


def parse(body: dict[str, Any], fields: list[Field], *, prefix: str = "", partial: bool = False,
          problems: list[InvalidParam] | None = None) -> dict[str, Any]:
    """Typed values for the fields present in `body`, keyed by attribute name.

    Unknown keys are refused (a typo must not be silently ignored). With `partial`, missing required fields are
    allowed (PATCH); an explicit null clears an optional field.
    """
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
        raise ValidationFailed(own_problems)
    return values


def camel_name(attr: str, fields: list[Field], prefix: str = "") -> str:
    """The API name for a service's field name, so service problems point at the JSON the client sent."""
    for f in fields:
        if f.attr == attr:
            return prefix + f.name
    head, *rest = attr.split("_")
    return prefix + head + "".join(part.title() for part in rest)
