"""The NL API Design Rules linter (Spectral, Logius ruleset) finds 0 errors in the served OpenAPI document.

Needs Node.js and `npm ci --prefix tests/api_lint --ignore-scripts`; without them these tests skip, except in CI
(CI=true), where that is a failure. `make lint-api` runs the same check from the command line.
"""
from __future__ import annotations

import copy
import os

import pytest

from tests.api_lint import lint

HTTPS_BASE = "https://thuiszitters.example.nl"


@pytest.fixture
def app_overrides() -> dict:
    return {"BASE_URL": HTTPS_BASE}


@pytest.fixture
def spectral() -> None:
    reason = lint.missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must install Node.js and run `npm ci --prefix tests/api_lint --ignore-scripts`")
        pytest.skip(reason)


def test_the_served_document_has_no_adr_linter_findings(app, client, spectral):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["servers"] == [{"url": f"{HTTPS_BASE}/api/v1", "description": "Deze installatie"}]
    assert lint.findings(document) == []


def test_the_linter_reports_what_the_issue_measured_when_it_is_missing(app, client, spectral):
    # The check can fail: take away the contact, a 400 and the version header of one answer.
    document = copy.deepcopy(client.get("/api/v1/openapi.json").get_json())
    del document["info"]["contact"]
    get_case = document["paths"]["/cases/{caseId}"]["get"]
    del get_case["responses"]["400"]
    del get_case["responses"]["200"]["headers"]
    errors = {(f["code"], f["path"]) for f in lint.findings(document) if f["severity"] == "error"}
    assert errors == {
        ("info-contact", "info"),
        ("nlgov:problem-invalid-input", "paths./cases/{caseId}.get.responses"),
        ("nlgov:missing-header", "paths./cases/{caseId}.get.responses.200"),
    }
