"""The case API end to end: register, walk the chain, the interventieteam gate, close, reopen, locking, bad input."""
from datetime import date

import pytest

from tests import factories
from thuiszitters.extensions import db


@pytest.fixture
def api(app, client):
    w = factories.world()
    factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1)
    factories.school("12AB00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Nieuwe School")
    tokens = {name: factories.token(getattr(w, name)) for name in ("coordinator", "coordinator2", "leerplicht",
                                                                    "inspectie")}
    db.session.commit()

    class Api:
        world = w

        def call(self, method, path, who="coordinator", json=None, version=None):
            headers = {"Authorization": f"Bearer {tokens[who]}"}
            if version is not None:
                headers["If-Match"] = f'"{version}"'
            return client.open(f"/api/v1{path}", method=method, json=json, headers=headers)

    return Api()


NEW_CASE = {
    "pupil": {"firstName": "Łukasz", "lastName": "Şahin", "dateOfBirth": "2013-05-31", "bsn": "111222333",
              "gemeenteCode": "GM0363"},
    "swvCode": "PO 27-01", "schoolBrin": "07NU00", "absenceKind": "absoluut_verzuim",
    "outOfSchoolSince": "2026-08-31", "note": "Ouders zoeken een school dichterbij.",
}


def test_a_case_goes_through_every_step_to_the_interventieteam_and_is_closed(api, clock):
    clock.set_today(date(2026, 9, 2))
    created = api.call("POST", "/cases", json=NEW_CASE)
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    assert created.headers["Location"].endswith(f"/cases/{case['id']}")
    assert created.headers["ETag"] == f'"{case["version"]}"'
    assert case["returnDeadline"] == "2026-11-30"  # 31 August + 3 months
    assert case["stage"] is None and case["goalMet"] is None
    cid = case["id"]

    step = api.call("POST", f"/cases/{cid}/steps", json={"kind": "aanmelding", "schoolBrin": "12AB00",
                                                           "receivedOn": "2026-09-01"})
    assert step.status_code == 201, step.get_json()
    assert step.get_json()["decisionDueOn"] == "2026-10-13"  # 6 weeks
    assert step.get_json()["temporaryEnrolmentFrom"] == "2026-11-10"  # 10 weeks

    refused = api.call("POST", f"/cases/{cid}/steps", json={"kind": "interventieteam", "reportedOn": "2026-09-02"})
    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["missingSteps"] == ["aanmelding", "swv_inzet", "consulent"]

    clock.set_today(date(2026, 10, 20))
    version = api.call("GET", f"/cases/{cid}").get_json()["version"]
    decided = api.call("PATCH", f"/cases/{cid}/steps/{step.get_json()['id']}", version=version,
                       json={"decision": "afgewezen", "decidedOn": "2026-10-10"})
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["done"] is True
    assert api.call("POST", f"/cases/{cid}/steps", json={
        "kind": "swv_inzet", "startedOn": "2026-09-15", "action": "arrangement", "endedOn": "2026-10-15",
        "description": "Arrangement met extra begeleiding"}).status_code == 201
    assert api.call("POST", f"/cases/{cid}/steps", json={
        "kind": "consulent", "consulentType": "onderwijszorgconsulent", "parentalConsent": True,
        "requestedOn": "2026-10-01", "adviceOn": "2026-10-19"}).status_code == 201
    gpo = api.call("POST", f"/cases/{cid}/steps", json={
        "kind": "geschillencommissie", "subject": "toelating", "schoolDecisionOn": "2026-10-10",
        "filedOn": "2026-10-16"})
    assert gpo.status_code == 201
    assert gpo.get_json()["verdictDueOn"] == "2026-12-25"

    still_refused = api.call("POST", f"/cases/{cid}/steps", json={"kind": "interventieteam",
                                                                   "reportedOn": "2026-10-20"})
    assert still_refused.status_code == 409
    assert still_refused.get_json()["missingSteps"] == ["geschillencommissie"]

    clock.set_today(date(2026, 12, 10))
    version = api.call("GET", f"/cases/{cid}").get_json()["version"]
    assert api.call("PATCH", f"/cases/{cid}/steps/{gpo.get_json()['id']}", version=version, json={
        "verdict": "gegrond", "verdictOn": "2026-12-01"}).status_code == 200
    team = api.call("POST", f"/cases/{cid}/steps", json={"kind": "interventieteam", "reportedOn": "2026-12-10"})
    assert team.status_code == 201, team.get_json()

    current = api.call("GET", f"/cases/{cid}").get_json()
    assert current["stage"] == "interventieteam"
    assert current["overdue"] is True  # past 30 November and still open
    closed = api.call("POST", f"/cases/{cid}/close", version=current["version"], json={
        "outcome": "terug_naar_school", "offerStartedOn": "2026-12-07", "schoolBrin": "12AB00"})
    assert closed.status_code == 200, closed.get_json()
    body = closed.get_json()
    assert body["status"] == "closed" and body["goalMet"] is False and body["overdue"] is False
    assert body["daysOutOfSchool"] == (date(2026, 12, 7) - date(2026, 8, 31)).days

    no_step = api.call("POST", f"/cases/{cid}/steps", json={"kind": "swv_inzet", "startedOn": "2026-12-10"})
    assert no_step.status_code == 409 and no_step.get_json()["code"] == "case_closed"

    reopened = api.call("POST", f"/cases/{cid}/reopen", version=body["version"], json={"reason": "Plaatsing mislukt"})
    assert reopened.status_code == 200 and reopened.get_json()["status"] == "open"

    events = api.call("GET", f"/cases/{cid}/events").get_json()["items"]
    actions = [e["action"] for e in events]
    assert actions[0] == "case.create" and "case.close" in actions and actions[-1] == "case.reopen"
    assert all(e["at"].endswith("Z") for e in events)
    assert "Łukasz" not in str(events)  # the timeline logs that names changed, never the names


def test_a_stale_change_is_refused_with_412_and_a_missing_version_with_428(api, clock):
    clock.set_today(date(2026, 9, 2))
    case = api.call("POST", "/cases", json=NEW_CASE).get_json()
    first = api.call("PATCH", f"/cases/{case['id']}", version=case["version"], json={"note": "Eerste wijziging"})
    assert first.status_code == 200
    stale = api.call("PATCH", f"/cases/{case['id']}", version=case["version"], json={"note": "Tweede wijziging"})
    assert stale.status_code == 412
    assert stale.get_json()["currentVersion"] == first.get_json()["version"]
    assert api.call("PATCH", f"/cases/{case['id']}", json={"note": "Zonder versie"}).status_code == 428
    # The note of each accepted change is a journal entry (issue 18); the refused ones wrote nothing.
    journal = api.call("GET", f"/cases/{case['id']}/journal").get_json()["items"]
    assert [e["summary"] for e in journal if e["kind"] == "notitie"] == ["Eerste wijziging", NEW_CASE["note"]]


@pytest.mark.parametrize(
    ("change", "name", "code"),
    [
        ({"pupil": {**NEW_CASE["pupil"], "dateOfBirth": "2013-02-30"}}, "pupil.dateOfBirth", "invalid_date"),
        ({"pupil": {**NEW_CASE["pupil"], "dateOfBirth": "2023-01-01"}}, "pupil.dateOfBirth", "too_young"),
        ({"pupil": {**NEW_CASE["pupil"], "dateOfBirth": "2000-01-01"}}, "pupil.dateOfBirth", "too_old"),
        ({"pupil": {**NEW_CASE["pupil"], "bsn": "123456789"}}, "pupil.bsn", "bsn.invalid_checksum"),
        ({"pupil": {**NEW_CASE["pupil"], "gemeenteCode": "GM9999"}}, "pupil.gemeenteCode", "unknown_gemeente"),
        ({"swvCode": "PO 99-99"}, "swvCode", "unknown_swv"),
        ({"schoolBrin": "99ZZ00"}, "schoolBrin", "unknown_school"),
        ({"absenceKind": "spijbelen"}, "absenceKind", "unknown_value"),
        ({"outOfSchoolSince": "2027-01-01"}, "outOfSchoolSince", "future_date"),
        ({"outOfSchoolSince": 20260801}, "outOfSchoolSince", "invalid_date"),
        ({"favouriteColour": "blauw"}, "favouriteColour", "unknown_field"),
    ],
)
def test_bad_input_is_refused_with_invalid_params_and_nothing_is_saved(api, clock, change, name, code):
    clock.set_today(date(2026, 9, 2))
    response = api.call("POST", "/cases", json={**NEW_CASE, **change})
    assert response.status_code == 400, response.get_json()
    assert response.mimetype == "application/problem+json"
    params = response.get_json()["invalidParams"]
    assert {"name": name, "code": code} in [{"name": x["name"], "code": x["code"]} for x in params]
    assert api.call("GET", "/cases").get_json()["total"] == 0


@pytest.mark.parametrize(
    ("step", "name", "code"),
    [
        ({"kind": "aanmelding", "receivedOn": "2026-09-01", "decision": "toegelaten"}, "decidedOn", "required"),
        ({"kind": "aanmelding", "receivedOn": "2026-09-10", "decision": "toegelaten", "decidedOn": "2026-09-05"},
         "decidedOn", "date_order"),
        ({"kind": "consulent", "consulentType": "onderwijsconsulent", "parentalConsent": False,
          "requestedOn": "2026-09-01", "outOfOrderReason": "Spoed"}, "parentalConsent", "consent_required"),
        ({"kind": "geschillencommissie", "subject": "tlv", "filedOn": "2026-09-01", "outOfOrderReason": "x"},
         "subject", "tlv_not_gpo"),
        ({"kind": "swv_inzet", "startedOn": "2026-09-01"}, "outOfOrderReason", "reason_required"),
        ({"kind": "verhuizing"}, "kind", "unknown_value"),
    ],
)
def test_bad_steps_are_refused(api, clock, step, name, code):
    clock.set_today(date(2026, 9, 20))
    case = api.call("POST", "/cases", json=NEW_CASE).get_json()
    response = api.call("POST", f"/cases/{case['id']}/steps", json=step)
    assert response.status_code == 400, response.get_json()
    assert code in [x["code"] for x in response.get_json()["invalidParams"] if x["name"] == name]
    assert api.call("GET", f"/cases/{case['id']}").get_json()["steps"] == []


def test_a_second_extension_of_the_decision_term_is_refused(api, clock):
    clock.set_today(date(2026, 10, 1))
    case = api.call("POST", "/cases", json=NEW_CASE).get_json()
    step = api.call("POST", f"/cases/{case['id']}/steps", json={
        "kind": "aanmelding", "receivedOn": "2026-09-01", "extendedOn": "2026-09-20", "extensionWeeks": 4}).get_json()
    assert step["decisionDueOn"] == "2026-11-10"  # 6 + 4 weeks
    version = api.call("GET", f"/cases/{case['id']}").get_json()["version"]
    again = api.call("PATCH", f"/cases/{case['id']}/steps/{step['id']}", version=version,
                     json={"extendedOn": "2026-09-30"})
    assert again.status_code == 400
    assert "second_extension" in [x["code"] for x in again.get_json()["invalidParams"]]


def test_the_list_filters_paginates_and_stays_in_scope(api, clock):
    w = api.world
    clock.set_today(date(2026, 11, 2))
    for day in range(1, 8):
        factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 7, day))  # overdue
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 10, 1))
    factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 7, 1))
    db.session.commit()
    page = api.call("GET", "/cases?overdue=true&pageSize=5&page=2").get_json()
    assert page["total"] == 7 and page["page"] == 2 and len(page["items"]) == 2
    deadlines = [i["returnDeadline"] for i in api.call("GET", "/cases?pageSize=100").get_json()["items"]]
    assert deadlines == sorted(deadlines) and len(deadlines) == 8
    assert api.call("GET", "/cases?overdue=false").get_json()["total"] == 1
    assert api.call("GET", "/cases?status=closed").get_json()["total"] == 0
    assert api.call("GET", "/cases?swvCode=VO%2027-02").get_json()["total"] == 0  # other swv: out of scope
    bad = api.call("GET", "/cases?pageSize=500&status=weg")
    assert bad.status_code == 400
    assert {x["name"] for x in bad.get_json()["invalidParams"]} == {"pageSize", "status"}


def test_leerplicht_reads_but_cannot_change_and_other_scope_is_404(api, clock):
    clock.set_today(date(2026, 9, 2))
    case = api.call("POST", "/cases", json=NEW_CASE).get_json()
    assert api.call("GET", f"/cases/{case['id']}", who="leerplicht").status_code == 200
    change = api.call("PATCH", f"/cases/{case['id']}", who="leerplicht", version=case["version"],
                      json={"note": "x"})
    assert change.status_code == 403
    assert api.call("GET", f"/cases/{case['id']}", who="coordinator2").status_code == 404
    assert api.call("GET", f"/cases/{case['id']}/events", who="coordinator2").status_code == 404
    assert api.call("POST", "/cases", who="leerplicht", json=NEW_CASE).status_code == 403
    assert api.call("GET", "/cases", who="inspectie").status_code == 403


def test_a_coordinator_cannot_register_a_case_for_another_swv(api, clock):
    clock.set_today(date(2026, 9, 2))
    response = api.call("POST", "/cases", json={**NEW_CASE, "swvCode": "VO 27-02"})
    assert response.status_code == 400
    assert "outside_scope" in [x["code"] for x in response.get_json()["invalidParams"]]


def test_transfer_to_another_swv_hands_over_the_case(api, clock):
    clock.set_today(date(2026, 9, 2))
    case = api.call("POST", "/cases", json=NEW_CASE).get_json()
    moved = api.call("POST", f"/cases/{case['id']}/transfer", version=case["version"], json={
        "swvCode": "VO 27-02", "gemeenteCode": "GM0479", "reason": "Gezin verhuisd naar Zaandam"})
    assert moved.status_code == 200
    assert moved.get_json()["swvCode"] == "VO 27-02"
    assert api.call("GET", f"/cases/{case['id']}").status_code == 404  # no longer ours
    assert api.call("GET", f"/cases/{case['id']}", who="coordinator2").status_code == 200


def test_malformed_json_and_wrong_types_never_give_a_500(api, app, client):
    token = factories.token(api.world.coordinator)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for body in ("{", "[]", "null", '"tekst"', '{"pupil": "x"}', '{"pupil": {"firstName": 3}}'):
        response = client.post("/api/v1/cases", data=body, headers=headers)
        assert response.status_code == 400, body
        assert response.mimetype == "application/problem+json"
