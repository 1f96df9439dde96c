"""application/problem+json answers (RFC 9457), never with a stack trace."""
from __future__ import annotations

from typing import Any

from flask import Response, json

from thuiszitters.errors import DomainError, StaleVersion, ValidationFailed

PROBLEM_BASE = "https://thuiszitters.nl/problemen/"


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


def problem_from_domain(exc: DomainError, *, field_prefix: str = "") -> Response:
    extra: dict[str, Any] = dict(exc.extra)
    if isinstance(exc, ValidationFailed):
        extra["invalidParams"] = [
            {"name": param.name if "." in param.name or (param.name[:1].islower() and "_" not in param.name)
             else camel(param.name), "code": param.code, "reason": param.reason}
            for param in exc.params
        ]
    if isinstance(exc, StaleVersion):
        extra["currentVersion"] = exc.current_version
    return problem(exc.status, exc.title, exc.detail, code=exc.code, **extra)
