"""application/problem+json answers (RFC 9457), never with a stack trace, and how their invalid fields are named.

Services name an invalid field after the model (``school_brin``); the client sent ``schoolBrin``, or
``pupil.firstName``. The input parser of the API (`api.inputs.parse`) tells this module, per request, which JSON
name the client used for each attribute (`name_fields_as_sent`); `problem_from_domain` names a service's problems
that way. Problems the parser found itself (`InvalidRequest`) already carry the client's names.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, g, has_request_context, json, request

from thuiszitters.errors import DomainError, InvalidRequest, StaleVersion, ValidationFailed

PROBLEM_BASE = "https://thuiszitters.nl/problemen/"
API_PREFIX = "/api/"
_NAMES = "client_field_names"


def is_api_request() -> bool:
    """Answers under /api/ are JSON and problem+json; everything else is a page."""
    return request.path.startswith(API_PREFIX)


def problem(status: int, title: str, detail: str, *, code: str | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (code or str(status)),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if code:
        body["code"] = code
    body.update(extra)
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def name_fields_as_sent(names: Mapping[str, str]) -> None:
    """In this request, a service problem about attribute ``key`` is about the client's field ``value``.

    A name told first stays (the pupil's fields are told before the case's)."""
    told: dict[str, str] = g.setdefault(_NAMES, {})
    for attribute, name in names.items():
        told.setdefault(attribute, name)


def _client_name(name: str, told: Mapping[str, str]) -> str:
    name = told.get(name, name)
    return name if "." in name or (name[:1].islower() and "_" not in name) else camel(name)


def client_field_name(name: str) -> str:
    """A service's name for an invalid field (``school_brin``) as the client sent it in this request."""
    return _client_name(name, g.get(_NAMES, {}) if has_request_context() else {})


def problem_from_domain(exc: DomainError) -> Response:
    extra: dict[str, Any] = dict(exc.extra)
    if isinstance(exc, ValidationFailed):
        told = {} if isinstance(exc, InvalidRequest) or not has_request_context() else g.get(_NAMES, {})
        extra["invalidParams"] = [
            {"name": _client_name(param.name, told), "code": param.code, "reason": param.reason}
            for param in exc.params
        ]
    if isinstance(exc, StaleVersion):
        extra["currentVersion"] = exc.current_version
    return problem(exc.status, exc.title, exc.detail, code=exc.code, **extra)
