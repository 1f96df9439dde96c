"""The OpenAPI 3.1 document of /api/v1, assembled from the fragments each API module registers.

tests/web/test_openapi.py keeps it true: every route is documented with its methods, and nothing else is.
"""
from __future__ import annotations

from typing import Any

API_VERSION = "1.0.0"

_PATHS: dict[str, dict[str, Any]] = {}
_SCHEMAS: dict[str, Any] = {}


def register(paths: dict[str, dict[str, Any]], schemas: dict[str, Any] | None = None) -> None:
    """Called by each API module at import time with its paths (OpenAPI path templates) and schemas."""
    for path, operations in paths.items():
        _PATHS.setdefault(path, {}).update(operations)
    _SCHEMAS.update(schemas or {})


PROBLEM = {"$ref": "#/components/schemas/Problem"}


def problem_responses(*statuses: int) -> dict[str, Any]:
    texts = {400: "Ongeldige invoer", 401: "Niet geauthenticeerd", 403: "Rol heeft geen toegang",
             404: "Bestaat niet of buiten uw scope", 409: "Een domeinregel weigert de actie",
             412: "Versie komt niet overeen", 428: "If-Match ontbreekt"}
    return {str(s): {"description": texts[s], "content": {"application/problem+json": {"schema": PROBLEM}}}
            for s in statuses}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Thuiszitters API",
            "version": API_VERSION,
            "description": "Casussen, stappen, signalen en exports. Volgt de API Design Rules van de overheid.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {path: _PATHS[path] for path in sorted(_PATHS)},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                        "detail": {"type": "string"}, "code": {"type": "string"},
                        "invalidParams": {"type": "array", "items": {
                            "type": "object", "properties": {"name": {"type": "string"}, "code": {"type": "string"},
                                                             "reason": {"type": "string"}}}},
                        "missingSteps": {"type": "array", "items": {"type": "string"}},
                    },
                },
                **_SCHEMAS,
            },
        },
    }
