"""An API client for the tests in tests/api: a small world with tokens, and a check of answers against the
OpenAPI document the app serves (schemathesis' own response validation)."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import schemathesis
from schemathesis.core.transport import Response

from tests import factories
from thuiszitters.extensions import db

NEW_CASE: dict[str, Any] = {
    "pupil": {"firstName": "Noor", "lastName": "Bakker", "dateOfBirth": "2013-05-31", "bsn": "111222333",
              "gemeenteCode": "GM0363"},
    "swvCode": "PO 27-01", "schoolBrin": "07NU00", "absenceKind": "absoluut_verzuim",
    "outOfSchoolSince": "2026-08-31", "note": "Ouders zoeken een school dichterbij.",
}


class Api:
    def __init__(self, app, client, world, tokens: dict[str, str]) -> None:
        self.app, self.client, self.world, self.tokens = app, client, world, tokens
        self._schema = None

    def call(self, method: str, path: str, *, who: str = "coordinator", json: Any = None, version: int | None = None,
             headers: dict[str, str] | None = None, data: str | bytes | None = None):
        sent = {"Authorization": f"Bearer {self.tokens[who]}", **(headers or {})}
        if version is not None:
            sent["If-Match"] = f'"{version}"'
        return self.client.open(f"/api/v1{path}", method=method, json=json, data=data, headers=sent)

    def new_case(self, **changes: Any) -> dict[str, Any]:
        response = self.call("POST", "/cases", json={**NEW_CASE, **changes})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def assert_documented(self, response, method: str, path: str) -> None:
        """The answer's status is documented for the operation, and its headers and body match the document."""
        if self._schema is None:
            self._schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", self.app)
        operation = self._schema[path][method]
        assert str(response.status_code) in operation.definition.raw["responses"], (method, path, response.status)
        self._schema.validate_response(operation, Response.from_any(response))


@pytest.fixture
def api(app, client, clock):
    clock.set_today(date(2026, 9, 2))
    w = factories.world()
    factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1)
    factories.school("12AB00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Nieuwe School")
    tokens = {name: factories.token(getattr(w, name)) for name in ("coordinator", "coordinator2", "leerplicht",
                                                                    "inspectie")}
    db.session.commit()
    return Api(app, client, w, tokens)
