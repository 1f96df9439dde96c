"""The OpenAPI document is exact (issue 17): every operation named, tagged and described; every status the server
answers with, and the API-Version header on each; real schemas; bodies as strict as the parsers; the server URL and
the page size from the configuration."""
from __future__ import annotations

from typing import Any

import pytest

from thuiszitters.api.openapi import TAGS

BASE_URL = "https://zaak.gemeente.example.nl"


@pytest.fixture
def app_overrides() -> dict:
    return {"BASE_URL": BASE_URL + "/", "API_MAX_PAGE_SIZE": 40}


@pytest.fixture
def document(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def _resolve(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _walk(schema: Any):
    """Every schema inside `schema` (properties, items, oneOf/anyOf, ...), depth first."""
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from _walk(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _walk(value)


def test_the_server_is_the_configured_https_address(document):
    assert document["servers"][0]["url"] == f"{BASE_URL}/api/v1"
    assert set(document["info"]["contact"]) == {"name", "email", "url"}


def test_every_operation_has_an_id_a_known_tag_a_summary_and_a_description(document):
    ids = []
    for label, operation in _operations(document):
        ids.append(operation["operationId"])
        assert operation["operationId"][0].islower() and "_" not in operation["operationId"], label
        assert len(operation["tags"]) == 1 and operation["tags"][0] in {t["name"] for t in TAGS}, label
        assert operation["summary"] and operation["description"], label
    assert len(ids) == len(set(ids)) >= 17


def test_every_answer_declares_the_version_header_and_every_operation_its_shared_refusals(document):
    for label, operation in _operations(document):
        statuses = set(operation["responses"])
        assert {"400", "406"} <= statuses, label
        assert ("401" in statuses) == (operation.get("security") != []), label
        assert ("415" in statuses) == ("requestBody" in operation), label
        for status, answer in operation["responses"].items():
            assert answer["headers"]["API-Version"] == {"$ref": "#/components/headers/API-Version"}, (label, status)
            if status.startswith("4"):
                assert list(answer["content"]) == ["application/problem+json"], (label, status)


def test_no_schema_is_a_bare_object(document):
    schemas = [document["components"]["schemas"]]
    schemas += [answer.get("content", {}) for _, op in _operations(document) for answer in op["responses"].values()]
    for schema in _walk(schemas):
        types = schema.get("type")
        if types == "object" or (isinstance(types, list) and "object" in types):
            assert {"properties", "additionalProperties", "propertyNames"} & set(schema), schema


def test_request_bodies_are_closed_and_their_required_fields_never_null(document):
    bodies = 0
    for label, operation in _operations(document):
        if "requestBody" not in operation:
            continue
        # JSON everywhere; a document upload is multipart/form-data, held to the same rule.
        (media,) = operation["requestBody"]["content"].values()
        for schema in _walk(media["schema"]):
            schema = _resolve(document, schema)
            if "properties" not in schema:
                continue
            bodies += 1
            assert schema["additionalProperties"] is False, label
            for name in schema.get("required", []):
                value = schema["properties"][name]
                assert "null" not in (value.get("type") if isinstance(value.get("type"), list) else [value.get("type")])
    assert bodies >= 18  # a step body counts once per kind, a pupil once more


def test_the_step_patch_body_is_typed_per_kind(document):
    patch = document["paths"]["/cases/{caseId}/steps/{stepId}"]["patch"]["requestBody"]["content"]
    variants = [_resolve(document, s) for s in patch["application/json"]["schema"]["anyOf"]]
    assert [v["properties"]["kind"]["const"] for v in variants] == ["aanmelding", "swv_inzet", "consulent",
                                                                     "geschillencommissie", "interventieteam"]


def test_page_size_is_bounded_as_configured_in_the_document_and_the_server(api, document):
    for path in ("/cases", "/alerts"):
        parameters = {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"]}
        assert parameters["pageSize"]["maximum"] == 40 and parameters["page"]["minimum"] == 1
    assert api.call("GET", "/cases?pageSize=40").status_code == 200
    assert api.call("GET", "/cases?pageSize=41").status_code == 400
    assert api.call("GET", "/alerts?pageSize=41", who="leerplicht").status_code == 400
