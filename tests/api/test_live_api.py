"""The live API as the ADR and RFC 9110 ask (issue 17): CORS on the document, 406, 415, every invalid field in one
answer, camelCase event changes, a step's kind; every answer as the OpenAPI document describes it."""
from __future__ import annotations

import re

from tests.api.conftest import NEW_CASE
from thuiszitters.api.openapi import API_VERSION

PROBLEM = "application/problem+json"
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def _total(api) -> int:
    return api.call("GET", "/cases").get_json()["total"]


def test_any_origin_may_read_the_openapi_document_and_only_that(api, client):
    document = client.get("/api/v1/openapi.json")  # no token: the document is public
    assert document.status_code == 200
    assert document.headers["Access-Control-Allow-Origin"] == "*"
    assert document.headers["API-Version"] == API_VERSION
    api.assert_documented(document, "GET", "/openapi.json")
    assert "Access-Control-Allow-Origin" not in api.call("GET", "/cases").headers


def test_an_accept_the_api_cannot_answer_in_is_a_406_problem(api):
    case = api.new_case()
    for path in ("/cases", f"/cases/{case['id']}", f"/cases/{case['id']}/events", "/swvs"):
        refused = api.call("GET", path, headers={"Accept": "application/xml"})
        assert refused.status_code == 406, path
        assert refused.mimetype == PROBLEM and refused.headers["API-Version"] == API_VERSION
        assert "application/json" in refused.get_json()["detail"]
    api.assert_documented(refused, "GET", "/swvs")
    for accept in ("application/json", "*/*", "application/*;q=0.5, text/html", "text/html, */*;q=0.1"):
        assert api.call("GET", f"/cases/{case['id']}", headers={"Accept": accept}).status_code == 200, accept
    assert api.call("GET", "/cases", headers={"Accept": "application/json;q=0"}).status_code == 406
    # The summary is a PDF: asking it as JSON is what cannot be given.
    summary = f"/cases/{case['id']}/summary"
    assert api.call("GET", summary, headers={"Accept": "application/pdf"}).status_code == 200
    assert api.call("GET", summary, headers={"Accept": "application/json"}).status_code == 406
    # A refused Accept changes nothing either.
    assert api.call("POST", "/cases", json=NEW_CASE, headers={"Accept": "text/xml"}).status_code == 406
    assert _total(api) == 1


def test_a_body_that_is_not_json_is_a_415_problem_and_changes_nothing(api):
    case = api.new_case()
    text = api.call("POST", "/cases", data='{"swvCode": "PO 27-01"}', headers={"Content-Type": "text/plain"})
    assert text.status_code == 415 and text.mimetype == PROBLEM
    assert text.get_json()["code"] == "unsupported_media_type"
    api.assert_documented(text, "POST", "/cases")
    form = api.call("PATCH", f"/cases/{case['id']}", version=case["version"], data="note=x",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415
    unlabelled = api.call("POST", f"/cases/{case['id']}/steps", data=b'{"kind": "aanmelding"}')
    assert unlabelled.status_code == 415
    assert _total(api) == 1
    current = api.call("GET", f"/cases/{case['id']}").get_json()
    assert current["steps"] == [] and current["version"] == case["version"]
    journal = api.call("GET", f"/cases/{case['id']}/journal").get_json()["items"]
    assert [e["summary"] for e in journal] == [NEW_CASE["note"]]  # the note it was registered with, nothing else
    # JSON with a charset, or a +json type, is JSON.
    assert api.call("PATCH", f"/cases/{case['id']}", version=case["version"], data='{"note": "Nieuw"}',
                    headers={"Content-Type": "application/json; charset=utf-8"}).status_code == 200


def test_every_invalid_field_of_a_new_case_is_named_in_one_answer(api):
    body = {**NEW_CASE, "swvCode": "PO 99-99", "schoolBrin": "99ZZ00", "outOfSchoolSince": "gisteren",
            "pupil": {"firstName": "Noor", "dateOfBirth": "2013-05-31", "bsn": "123456789",
                      "gemeenteCode": "GM9999"}}
    response = api.call("POST", "/cases", json=body)
    assert response.status_code == 400
    found = {(p["name"], p["code"]) for p in response.get_json()["invalidParams"]}
    assert found == {
        ("pupil.lastName", "required"),
        ("outOfSchoolSince", "invalid_date"),
        ("pupil.bsn", "bsn.invalid_checksum"),
        ("pupil.gemeenteCode", "unknown_gemeente"),
        ("swvCode", "unknown_swv"),
        ("schoolBrin", "unknown_school"),
    }
    api.assert_documented(response, "POST", "/cases")
    assert _total(api) == 0


def test_every_invalid_field_of_a_change_or_transfer_is_named_in_one_answer(api):
    case = api.new_case()
    change = api.call("PATCH", f"/cases/{case['id']}", version=case["version"],
                      json={"note": 5, "schoolBrin": "99ZZ00", "pupil": {"bsn": "123456789", "gemeenteCode": "GM1"}})
    assert change.status_code == 400
    assert {p["name"] for p in change.get_json()["invalidParams"]} == {"note", "schoolBrin", "pupil.bsn",
                                                                       "pupil.gemeenteCode"}
    transfer = api.call("POST", f"/cases/{case['id']}/transfer", version=case["version"],
                        json={"swvCode": "VO 99-99", "gemeenteCode": "GM9999", "reason": " "})
    assert transfer.status_code == 400
    assert {(p["name"], p["code"]) for p in transfer.get_json()["invalidParams"]} == {
        ("reason", "required"), ("swvCode", "unknown_swv"), ("gemeenteCode", "unknown_gemeente")}
    assert api.call("GET", f"/cases/{case['id']}").get_json()["version"] == case["version"]


def test_the_timeline_names_changed_fields_in_camel_case(api):
    case = api.new_case()
    changed = api.call("PATCH", f"/cases/{case['id']}", version=case["version"],
                       json={"schoolBrin": "12AB00", "outOfSchoolSince": "2026-08-24",
                             "absenceKind": "relatief_verzuim"})
    assert changed.status_code == 200, changed.get_json()
    assert api.call("POST", f"/cases/{case['id']}/steps", json={
        "kind": "aanmelding", "schoolBrin": "12AB00", "receivedOn": "2026-09-01"}).status_code == 201
    events = api.call("GET", f"/cases/{case['id']}/events")
    api.assert_documented(events, "GET", "/cases/{caseId}/events")
    items = events.get_json()["items"]
    keys = {key for event in items for key in event["changes"]}
    assert {"school", "outOfSchoolSince", "absenceKind", "receivedOn", "schoolBrin", "version"} <= keys
    assert [key for key in keys if not CAMEL.match(key)] == []


def test_a_step_change_meant_for_another_kind_is_a_conflict(api):
    case = api.new_case()
    step = api.call("POST", f"/cases/{case['id']}/steps", json={
        "kind": "aanmelding", "schoolBrin": "12AB00", "receivedOn": "2026-09-01"}).get_json()
    path = f"/cases/{case['id']}/steps/{step['id']}"
    version = api.call("GET", f"/cases/{case['id']}").get_json()["version"]
    other = api.call("PATCH", path, version=version, json={"startedOn": "2026-09-01"})  # a swv_inzet field
    assert other.status_code == 409 and other.get_json()["code"] == "other_step_kind"
    assert other.get_json()["fields"] == ["startedOn"]
    api.assert_documented(other, "PATCH", "/cases/{caseId}/steps/{stepId}")
    assert api.call("PATCH", path, version=version, json={"kind": "consulent"}).status_code == 409
    unknown = api.call("PATCH", path, version=version, json={"kind": "verhuizing"})
    assert unknown.status_code == 400 and unknown.get_json()["invalidParams"][0]["name"] == "kind"
    assert api.call("PATCH", path, version=version, json={"favouriteColour": "blauw"}).status_code == 400
    echoed = api.call("PATCH", path, version=version, json={"kind": "aanmelding", "decision": "toegelaten",
                                                             "decidedOn": "2026-09-02"})
    assert echoed.status_code == 200, echoed.get_json()
    api.assert_documented(echoed, "PATCH", "/cases/{caseId}/steps/{stepId}")


def test_each_answer_is_one_the_document_describes(api, client):
    created = api.call("POST", "/cases", json=NEW_CASE)
    api.assert_documented(created, "POST", "/cases")
    case = created.get_json()
    cid = case["id"]
    checks = [
        (api.call("GET", "/cases?pageSize=10"), "GET", "/cases"),
        (api.call("GET", "/cases?pageSize=101&status=weg"), "GET", "/cases"),
        (api.call("GET", "/cases", who="inspectie"), "GET", "/cases"),
        (client.get("/api/v1/cases"), "GET", "/cases"),
        (api.call("GET", f"/cases/{cid}"), "GET", "/cases/{caseId}"),
        (api.call("GET", f"/cases/{cid}", who="coordinator2"), "GET", "/cases/{caseId}"),
        (api.call("PATCH", f"/cases/{cid}", json={"note": "x"}), "PATCH", "/cases/{caseId}"),
        (api.call("PATCH", f"/cases/{cid}", version=999, json={"note": "x"}), "PATCH", "/cases/{caseId}"),
        (api.call("PATCH", f"/cases/{cid}", version=case["version"], json={"note": None}),
         "PATCH", "/cases/{caseId}"),
        (api.call("POST", f"/cases/{cid}/close", version=case["version"] + 999,
                  json={"outcome": "verhuisd", "offerStartedOn": "2026-09-01"}), "POST", "/cases/{caseId}/close"),
        (api.call("GET", "/swvs"), "GET", "/swvs"),
        (api.call("GET", "/gemeenten"), "GET", "/gemeenten"),
        (api.call("GET", "/schools?swvCode=PO%2027-01"), "GET", "/schools"),
        (api.call("GET", "/alerts", who="leerplicht"), "GET", "/alerts"),
        (api.call("GET", "/exports", who="inspectie"), "GET", "/exports"),
    ]
    for response, method, path in checks:
        api.assert_documented(response, method, path)
    assert [r.status_code for r, _, _ in checks] == [200, 400, 403, 401, 200, 404, 428, 412, 200, 412, 200, 200,
                                                      200, 200, 200]


def test_reopening_an_open_case_is_a_conflict_not_a_wrong_field(api):
    case = api.new_case()
    response = api.call("POST", f"/cases/{case['id']}/reopen", version=case["version"], json={"reason": "Nogmaals"})
    assert response.status_code == 409 and response.get_json()["code"] == "not_closed"
    api.assert_documented(response, "POST", "/cases/{caseId}/reopen")


def test_an_empty_if_match_is_no_if_match(api):
    case = api.new_case()
    response = api.call("PATCH", f"/cases/{case['id']}", json={"note": "x"}, headers={"If-Match": " "})
    assert response.status_code == 428 and response.get_json()["code"] == "version_required"


def test_an_id_beyond_32_bits_is_not_found_for_every_method(api):
    # Werkzeug answered 405 (Allow: GET) for a PATCH here while the GET itself was a 404.
    for method in ("GET", "PATCH"):
        response = api.call(method, "/cases/2147483648", json={"note": "x"}, version=1)
        assert response.status_code == 404, method
        assert response.mimetype == PROBLEM and response.headers["API-Version"] == API_VERSION
    assert api.call("DELETE", "/cases/1").status_code == 405  # a real route without DELETE stays a 405
