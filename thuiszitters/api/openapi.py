"""The OpenAPI 3.1 document of /api/v1, assembled from the operations each API module registers.

Each module describes its operations with `operation(...)`, next to its routes and from the same field lists its
parser uses (api/inputs.py, api/steps.py for the steps' spec). This module adds what every operation shares, so
it is written once: the `API-Version` header on every answer, the problem+json answers (400, 401, 406 always; 415
with a body), the tags and the server URL from `THUISZITTERS_BASE_URL`. The live API reads the document back:
`media_types` tells the blueprint which `Accept` an operation can satisfy (406 otherwise).

tests/web/test_openapi.py keeps it true: every route is documented with its methods, and nothing else is;
`make lint-api` runs the NL API Design Rules linter on it (0 errors), `make fuzz-api` runs schemathesis.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import current_app, has_app_context

from thuiszitters.api.inputs import IF_MATCH_PATTERN
from thuiszitters.http.problems import camel
from thuiszitters.parsing import MAX_ID

API_VERSION = "1.0.0"
BASE_PATH = "/api/v1"
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
CONTACT = {"name": "Team Thuiszitters", "email": "api@thuiszitters.nl", "url": "https://thuiszitters.nl/api"}

TAGS = [
    {"name": "Casussen", "description": "Thuiszitters registreren, wijzigen, sluiten, heropenen en overdragen."},
    {"name": "Stappen", "description": "De escalatieketen van een casus: aanmelding tot interventieteam."},
    {"name": "Netwerk en journaal", "description": "Het netwerk van de leerling en het journaal van de casus."},
    {"name": "Plan van aanpak", "description": "Acties van een casus en overleggen (MDO) met hun afspraken."},
    {"name": "Documenten", "description": "Documenten bij een casus: uploaden, downloaden, verwijderen."},
    {"name": "Werkvoorraad", "description": "Wat u moet doen: termijnen, signalen en stilstaande casussen."},
    {"name": "Signalen", "description": "De wachtrij van leerplicht: verlopen termijnen en stilstaande casussen."},
    {"name": "Exports", "description": "De maandelijkse exports voor de inspectie."},
    {"name": "Referentiegegevens", "description": "Samenwerkingsverbanden, gemeenten en scholen."},
    {"name": "Over de API", "description": "Dit document, en wie de API-sleutel gebruikt."},
]
_TAG_NAMES = {tag["name"] for tag in TAGS}

_PATHS: dict[str, dict[str, Any]] = {}
_SCHEMAS: dict[str, Any] = {}

# What each problem status means, in the words a client reads in the document.
PROBLEM_TEXTS = {
    400: "Ongeldige invoer: elk ongeldig veld staat in invalidParams",
    401: "Niet geauthenticeerd: stuur Authorization: Bearer <sleutel>",
    403: "Uw rol heeft geen toegang tot deze functie",
    404: "Bestaat niet, of valt buiten uw scope",
    406: "Het antwoord kan niet in een van de gevraagde mediatypes (Accept)",
    409: "Een domeinregel weigert de actie (code; missingSteps bij de poort van het interventieteam)",
    412: "If-Match komt niet overeen met de huidige versie (currentVersion)",
    413: "Het verzoek is te groot",
    414: "Het adres (pad en query) is langer dan 4096 tekens",
    415: "De body is geen JSON (Content-Type: application/json)",
    428: "If-Match ontbreekt",
}

# The header every answer under /api/v1 carries (api/blueprint.py), declared once and referred to.
VERSION_HEADER = {"API-Version": {"$ref": "#/components/headers/API-Version"}}

# Ids in paths are 32-bit database ids (http/inputs.py: a larger number matches no route).
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def path_id(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": dict(ID)}


def page_schema(item: dict[str, Any]) -> dict[str, Any]:
    """A page of a collection (API.md): the items, the page, its size and the total."""
    return {"type": "object", "additionalProperties": False, "required": ["items", "page", "pageSize", "total"],
            "properties": {"items": {"type": "array", "items": item}, "page": {"type": "integer", "minimum": 1},
                           "pageSize": {"type": "integer", "minimum": 1}, "total": {"type": "integer", "minimum": 0}}}


def if_match(what: str, *, required: bool = True) -> dict[str, Any]:
    """The If-Match header of a write to `what` (RFC 9110: one or more strong ETags, or *)."""
    return {"name": "If-Match", "in": "header", "required": required,
            "description": f'De ETag van {what} zoals u die las ("3"), een lijst daarvan, of *. Een zwakke ETag '
                           "(W/) komt nooit overeen.",
            "schema": {"type": "string", "pattern": IF_MATCH_PATTERN, "example": '"3"'}}


def etag(what: str) -> dict[str, Any]:
    """The ETag header of an answer that carries `what`: its version, for If-Match."""
    return {"ETag": {"description": f"De versie van {what}, voor If-Match.", "required": True,
                     "schema": {"type": "string", "pattern": '^"[0-9]+"$'}}}


# The pageSize bound written at import; document() sets the app's API_MAX_PAGE_SIZE.
DEFAULT_MAX_PAGE_SIZE = 100

CASE_ID = path_id("caseId", "Het id van de casus.")


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def register(paths: dict[str, dict[str, Any]], schemas: dict[str, Any] | None = None) -> None:
    """Called by each API module at import time with its paths (OpenAPI path templates) and schemas."""
    for path, operations in paths.items():
        _PATHS.setdefault(path, {}).update(operations)
    _SCHEMAS.update(schemas or {})


def response(description: str, schema: dict[str, Any] | None = None, *, media_type: str = JSON,
             headers: Mapping[str, Any] | None = None, content: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One successful answer: its body (one media type, or `content` for several) and its headers."""
    body: dict[str, Any] = {"description": description, "headers": {**VERSION_HEADER, **(headers or {})}}
    if content is not None:
        body["content"] = dict(content)
    elif schema is not None:
        body["content"] = {media_type: {"schema": schema}}
    return body


def problem_responses(*statuses: int) -> dict[str, Any]:
    return {str(s): {"description": PROBLEM_TEXTS[s], "headers": dict(VERSION_HEADER),
                     "content": {PROBLEM_JSON: {"schema": ref("Problem")}}} for s in sorted(statuses)}


def operation(operation_id: str, *, tag: str, summary: str, description: str,
              responses: Mapping[str, dict[str, Any]], errors: Iterable[int] = (),
              parameters: Sequence[dict[str, Any]] = (), body: dict[str, Any] | None = None,
              public: bool = False) -> dict[str, Any]:
    """An operation with what every operation shares: 400 and 406 always, 401 unless public, 415 with a body,
    414 with query parameters (an address too long for the server).

    `errors` are the operation's own refusals (403, 404, 409, 412, 428, ...).
    """
    assert tag in _TAG_NAMES, tag
    statuses = {400, 406, *errors} | (set() if public else {401}) | ({413, 415} if body is not None else set()) \
        | ({414} if any(p.get("in") == "query" for p in parameters) else set())
    result: dict[str, Any] = {
        "operationId": operation_id,
        "tags": [tag],
        "summary": summary,
        "description": description,
    }
    if parameters:
        result["parameters"] = list(parameters)
    if body is not None:
        result["requestBody"] = {"required": True, "content": {JSON: {"schema": body}}}
    result["responses"] = {**responses, **problem_responses(*statuses)}
    if public:
        result["security"] = []
    return result


def _server_url(base_url: str | None) -> str:
    if base_url is None and has_app_context():
        base_url = str(current_app.config.get("BASE_URL") or "")
    return (base_url or "").rstrip("/") + BASE_PATH


def document(base_url: str | None = None, *, max_page_size: int | None = None) -> dict[str, Any]:
    """The whole document; its server is `base_url` (default: the app's THUISZITTERS_BASE_URL) + /api/v1, and
    `pageSize` goes up to `max_page_size` (default: the app's API_MAX_PAGE_SIZE)."""
    if max_page_size is None and has_app_context():
        max_page_size = current_app.config.get("API_MAX_PAGE_SIZE")
    paths = copy.deepcopy({path: _PATHS[path] for path in sorted(_PATHS)})
    if max_page_size is not None:
        for operations in paths.values():
            for parameter in (p for op in operations.values() for p in op.get("parameters", ())):
                if parameter["name"] == "pageSize":
                    parameter["schema"]["maximum"] = max_page_size
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Thuiszitters API",
            "version": API_VERSION,
            "description": "Casussen, stappen, signalen en exports van thuiszitters. Volgt de API Design Rules van "
                           "de Nederlandse overheid: JSON in camelCase, fouten als application/problem+json, "
                           "de versie in de header API-Version, optimistische vergrendeling met ETag en If-Match.",
            "contact": dict(CONTACT),
        },
        "servers": [{"url": _server_url(base_url), "description": "Deze installatie"}],
        "security": [{"bearer": []}],
        "tags": TAGS,
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Een API-sleutel (flask users token E-MAIL)."}},
            "headers": {
                "API-Version": {"description": "De volledige versie van de API (semver).", "required": True,
                                "schema": {"type": "string", "example": API_VERSION}},
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string", "format": "uri"}, "title": {"type": "string"},
                        "status": {"type": "integer", "minimum": 400, "maximum": 599},
                        "detail": {"type": "string"}, "code": {"type": "string"},
                        "invalidParams": {"type": "array", "items": {
                            "type": "object", "required": ["name", "code", "reason"],
                            "properties": {"name": {"type": "string"}, "code": {"type": "string"},
                                           "reason": {"type": "string"}}}},
                        "missingSteps": {"type": "array", "items": {"type": "string"}},
                        "currentVersion": {"type": "integer"},
                        "stepKind": {"type": "string"}, "fields": {"type": "array", "items": {"type": "string"}},
                    },
                },
                **{name: _SCHEMAS[name] for name in sorted(_SCHEMAS)},
            },
        },
    }


def openapi_path(rule: str) -> str:
    """A Flask rule (/api/v1/cases/<int:case_id>) as its OpenAPI path (/cases/{caseId})."""
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + camel(m.group(1)) + "}", rule.removeprefix(BASE_PATH))


def media_types(rule: str, method: str) -> list[str]:
    """The media types an operation's successful answers come in (empty: unknown, anything goes)."""
    operation_ = _PATHS.get(openapi_path(rule), {}).get(method.lower(), {})
    types: list[str] = []
    for status, answer in operation_.get("responses", {}).items():
        if status.startswith("2"):
            types += [t for t in answer.get("content", {}) if t not in types]
    return types
