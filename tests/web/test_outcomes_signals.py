"""Issue 16 in the web UI, the API, the PDF and the dashboards: signals, honest outcomes, who counts, mbo.

Today is 2 November 2026 (config/testing.py) unless a test sets the clock.
"""
from __future__ import annotations

import io
import re
from datetime import date

import pypdf
import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_from
from thuiszitters import create_app
from thuiszitters.cases.models import Case
from thuiszitters.cases.services import CaseInput, close_case, create_case
from thuiszitters.extensions import db
from thuiszitters.settings import ConfigError

VERSION_RE = re.compile(r'name="version"[^>]*value="(\d*)"')
TODAY = date(2026, 11, 2)


@pytest.fixture
def w(app):
    world = factories.world()
    world.school = factories.school("07NU00", swv_obj=world.swv1, gemeente_obj=world.gem1, name="De Regenboog")
    world.mbo = factories.school("31MB00", school_type="mbo", swv_obj=world.swv1, gemeente_obj=world.gem1,
                                 name="ROC Noord")
    db.session.commit()
    return world


def _submit(client, path: str, data: dict):
    page = client.get(path).get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page)}
    version = VERSION_RE.search(page)
    if version:
        fields["version"] = version.group(1)
    return client.post(path, data=fields | data)


def _errors_of(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def _case(w, **overrides) -> Case:
    data = CaseInput(first_name="Noah", last_name="de Vries", date_of_birth=date(2014, 3, 1), gemeente_code="GM0363",
                     swv_code="PO 27-01", absence_kind="absoluut_verzuim", out_of_school_since=date(2026, 7, 1))
    for key, value in overrides.items():
        setattr(data, key, value)
    case = create_case(data, actor=w.coordinator, today=TODAY)
    db.session.commit()
    return case


NEW_CASE_FORM = {"first_name": "Fenna", "last_name": "Visser", "date_of_birth": "12-05-2015", "bsn": "",
                 "swv_code": "PO 27-01", "gemeente_code": "GM0363", "school_brin": "07NU00",
                 "absence_kind": "relatief_verzuim", "note": ""}


# --- Signals in the web UI ----------------------------------------------------------------------------------


def test_a_signal_is_registered_without_a_first_day_listed_apart_and_opened_by_recording_one(w, auth, client):
    auth.login("coord1@example.nl")
    response = _submit(client, "/casussen/nieuw", NEW_CASE_FORM | {"status": "signaal", "out_of_school_since": ""})
    assert response.status_code == 302, _errors_of(response.get_data(as_text=True), "out_of_school_since")
    signal = db.session.scalar(select(Case).where(Case.status == "signaal"))
    assert signal.out_of_school_since is None and signal.return_deadline is None

    page = client.get(f"/casussen/{signal.id}").get_data(as_text=True)
    assert "Signaal (dreigend thuiszitter)" in page and "Nog niet: dit is een signaal" in page
    assert "Signaal sluiten" in page
    listed = client.get("/casussen?status=signaal").get_data(as_text=True)
    assert signal.reference in listed
    assert signal.reference not in client.get("/casussen?status=open").get_data(as_text=True)

    edited = _submit(client, f"/casussen/{signal.id}/bewerken", NEW_CASE_FORM | {"out_of_school_since": "05-10-2026"})
    assert edited.status_code == 302
    db.session.expire_all()
    opened = db.session.get(Case, signal.id)
    assert (opened.status, opened.out_of_school_since, opened.return_deadline) == (
        "open", date(2026, 10, 5), date(2027, 1, 5))


def test_an_open_case_needs_its_first_day_and_a_signal_refuses_one(w, auth, client):
    auth.login("coord1@example.nl")
    missing = _submit(client, "/casussen/nieuw", NEW_CASE_FORM | {"status": "open", "out_of_school_since": ""})
    assert missing.status_code == 400
    assert "of registreer een signaal" in _errors_of(missing.get_data(as_text=True), "out_of_school_since")
    both = _submit(client, "/casussen/nieuw",
                   NEW_CASE_FORM | {"status": "signaal", "out_of_school_since": "01-10-2026"})
    assert both.status_code == 400
    assert "heeft nog geen eerste dag thuis" in _errors_of(both.get_data(as_text=True), "out_of_school_since")
    assert db.session.scalar(select(Case.id)) is None


def test_a_signal_closes_only_as_geen_thuiszitter_and_reopens_as_a_signal(w, auth, client):
    signal = _case(w, status="signaal", out_of_school_since=None)
    auth.login("coord1@example.nl")
    form = client.get(f"/casussen/{signal.id}/sluiten").get_data(as_text=True)
    assert 'value="geen_thuiszitter"' in form and 'value="vrijstelling"' not in form
    refused = _submit(client, f"/casussen/{signal.id}/sluiten", {"outcome": "vrijstelling", "closed_on": ""})
    assert refused.status_code == 400  # not one of the signal's choices
    closed = _submit(client, f"/casussen/{signal.id}/sluiten", {"outcome": "geen_thuiszitter", "closed_on": ""})
    assert closed.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Case, signal.id)
    assert (stored.status, stored.outcome, stored.closed_on, stored.offer_started_on) == (
        "closed", "geen_thuiszitter", TODAY, None)
    assert _submit(client, f"/casussen/{signal.id}/heropenen", {"reason": "Toch weer verzuim"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, signal.id).status == "signaal"


# --- Honest outcomes in the web UI --------------------------------------------------------------------------


def test_an_exemption_records_its_closing_date_and_is_not_a_passend_aanbod(w, auth, client):
    case = _case(w)
    auth.login("coord1@example.nl")
    form = client.get(f"/casussen/{case.id}/sluiten").get_data(as_text=True)
    assert 'value="geen_thuiszitter"' not in form  # only a signal closes that way
    refused = _submit(client, f"/casussen/{case.id}/sluiten", {
        "outcome": "vrijstelling", "offer_started_on": "01-10-2026", "closed_on": "", "school_brin": "", "note": ""})
    assert refused.status_code == 400
    assert "laat de startdatum van het aanbod leeg" in _errors_of(refused.get_data(as_text=True), "offer_started_on")
    closed = _submit(client, f"/casussen/{case.id}/sluiten", {
        "outcome": "vrijstelling", "offer_started_on": "", "closed_on": "15-10-2026", "school_brin": "", "note": ""})
    assert closed.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert (stored.outcome, stored.offer_started_on, stored.closed_on) == ("vrijstelling", None, date(2026, 10, 15))
    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert "Niet van toepassing: geen passend aanbod" in page


def test_an_offer_outcome_needs_its_start_and_the_closing_date_defaults_to_today(w, auth, client):
    case = _case(w)
    auth.login("coord1@example.nl")
    missing = _submit(client, f"/casussen/{case.id}/sluiten", {
        "outcome": "maatwerk", "offer_started_on": "", "closed_on": "", "school_brin": "", "note": ""})
    assert missing.status_code == 400
    assert "Vul de datum in waarop het passend aanbod begon." in _errors_of(missing.get_data(as_text=True),
                                                                             "offer_started_on")
    assert _submit(client, f"/casussen/{case.id}/sluiten", {
        "outcome": "maatwerk", "offer_started_on": "01-10-2026", "closed_on": "", "school_brin": "",
        "note": ""}).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert (stored.offer_started_on, stored.closed_on) == (date(2026, 10, 1), TODAY)
    assert "Doel gehaald</dt><dd>Ja" in client.get(f"/casussen/{case.id}").get_data(as_text=True)


# --- mbo outside the chain, on the form -----------------------------------------------------------------------


def test_an_aanmelding_at_an_mbo_school_is_refused_beside_the_field(w, auth, client):
    case = _case(w)
    auth.login("coord1@example.nl")
    response = _submit(client, f"/casussen/{case.id}/stappen/nieuw/aanmelding", {
        "school_brin": "31MB00", "received_on": "01-10-2026", "out_of_order_reason": ""})
    assert response.status_code == 400
    assert "mbo-school valt buiten het samenwerkingsverband" in _errors_of(response.get_data(as_text=True),
                                                                             "school_brin")
    assert not db.session.get(Case, case.id).steps


# --- The API ------------------------------------------------------------------------------------------------


@pytest.fixture
def api(w, client):
    tokens = {"coordinator": factories.token(w.coordinator)}
    db.session.commit()

    def call(method, path, json=None, version=None):
        headers = {"Authorization": f"Bearer {tokens['coordinator']}"}
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        return client.open(f"/api/v1{path}", method=method, json=json, headers=headers)

    return call


API_CASE = {"pupil": {"firstName": "Sara", "lastName": "Bakker", "dateOfBirth": "2015-04-01",
                      "gemeenteCode": "GM0363"}, "swvCode": "PO 27-01", "absenceKind": "relatief_verzuim"}


def _params(response) -> dict[str, str]:
    assert response.mimetype == "application/problem+json", response.get_json()
    return {p["name"]: p["code"] for p in response.get_json()["invalidParams"]}


def test_api_signal_lifecycle(api):
    created = api("POST", "/cases", json=API_CASE | {"status": "signaal"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["status"], body["outOfSchoolSince"], body["returnDeadline"], body["daysOutOfSchool"]) == (
        "signaal", None, None, None)
    listed = api("GET", "/cases?status=signaal").get_json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert api("GET", "/cases?status=open").get_json()["total"] == 0
    assert _params(api("GET", "/cases?status=dreigend")) == {"status": "unknown_value"}

    opened = api("PATCH", f"/cases/{body['id']}", json={"outOfSchoolSince": "2026-10-05"}, version=body["version"])
    assert opened.status_code == 200, opened.get_json()
    assert (opened.get_json()["status"], opened.get_json()["returnDeadline"]) == ("open", "2027-01-05")
    # Relatief verzuim of four weeks exactly (5 Oct – 1 Nov) does not count yet; from 2 November it does.
    assert "relatief_verzuim_under_4_weeks" not in [w["code"] for w in opened.get_json()["warnings"]]


def test_api_open_case_needs_its_first_day_and_a_signal_closes_only_as_geen_thuiszitter(api):
    assert _params(api("POST", "/cases", json=API_CASE)) == {"outOfSchoolSince": "required"}
    signal = api("POST", "/cases", json=API_CASE | {"status": "signaal"}).get_json()
    refused = api("POST", f"/cases/{signal['id']}/close", json={"outcome": "vrijstelling"},
                  version=signal["version"])
    assert refused.status_code == 400 and _params(refused) == {"outcome": "signal_outcome"}
    closed = api("POST", f"/cases/{signal['id']}/close", json={"outcome": "geen_thuiszitter"},
                 version=signal["version"])
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["outcome"]["closedOn"] == "2026-11-02" and closed.get_json()["goalMet"] is None


def test_api_close_body_per_outcome(api):
    created = api("POST", "/cases", json=API_CASE | {"absenceKind": "absoluut_verzuim",
                                                     "outOfSchoolSince": "2026-07-01"}).get_json()
    cid, version = created["id"], created["version"]
    refused = api("POST", f"/cases/{cid}/close", json={"outcome": "verhuisd", "offerStartedOn": "2026-10-01",
                                                       "closedOn": "2026-11-05"}, version=version)
    assert _params(refused) == {"offerStartedOn": "offer_not_applicable", "closedOn": "future_date"}
    reasons = {p["name"]: p["reason"] for p in refused.get_json()["invalidParams"]}
    assert "begint geen passend aanbod" in reasons["offerStartedOn"]
    assert _params(api("POST", f"/cases/{cid}/close", json={"outcome": "maatwerk"}, version=version)) == {
        "offerStartedOn": "required"}
    moved = api("POST", f"/cases/{cid}/close", json={"outcome": "verhuisd", "closedOn": "2026-10-20"},
                version=version)
    assert moved.status_code == 200, moved.get_json()
    body = moved.get_json()
    assert body["goalMet"] is None and body["daysOutOfSchool"] == (date(2026, 10, 20) - date(2026, 7, 1)).days
    assert body["outcome"] == {"outcome": "verhuisd", "offerStartedOn": None, "schoolBrin": None, "note": None,
                               "closedOn": "2026-10-20"}


@pytest.mark.parametrize(("born", "code"), [
    ("2021-07-01", None),  # 5 on the first day out (1 July 2026)
    ("2021-07-02", "too_young"),  # 4: turns 5 the day after
    ("2008-07-02", None),  # 17, turns 18 the day after (and is 18 today)
    ("2008-07-01", "too_old"),  # the 18th birthday is the first day out
])
def test_api_age_on_the_first_day_out(api, born, code):
    response = api("POST", "/cases", json=API_CASE | {"absenceKind": "absoluut_verzuim",
                                                      "outOfSchoolSince": "2026-07-01",
                                                      "pupil": API_CASE["pupil"] | {"dateOfBirth": born}})
    if code is None:
        assert response.status_code == 201, response.get_json()
    else:
        assert _params(response) == {"pupil.dateOfBirth": code}


def test_api_refuses_mbo_steps_with_a_dutch_reason(api, w):
    created = api("POST", "/cases", json=API_CASE | {"absenceKind": "absoluut_verzuim",
                                                     "outOfSchoolSince": "2026-07-01"}).get_json()
    refused = api("POST", f"/cases/{created['id']}/steps", json={"kind": "aanmelding", "schoolBrin": "31MB00",
                                                                  "receivedOn": "2026-10-01"})
    assert _params(refused) == {"schoolBrin": "mbo_outside_chain"}
    assert "mbo-school" in refused.get_json()["invalidParams"][0]["reason"]
    at_mbo = api("POST", "/cases", json=API_CASE | {"absenceKind": "relatief_verzuim", "schoolBrin": "31MB00",
                                                    "outOfSchoolSince": "2026-07-01"}).get_json()
    gpo = api("POST", f"/cases/{at_mbo['id']}/steps", json={
        "kind": "geschillencommissie", "subject": "verwijdering", "filedOn": "2026-10-01",
        "outOfOrderReason": "Direct naar de commissie"})
    assert gpo.status_code == 400 and "mbo_outside_chain" in _params(gpo).values()


# --- Dashboards and the PDF ---------------------------------------------------------------------------------


def _figure(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>([^<]*)</dd>", html)
    assert match, f"no key figure {label!r}"
    return match.group(1)


def test_dashboards_count_thuiszitters_only_and_show_signals_and_other_outcomes_beside(w, auth, client):
    # Relatief verzuim counts from its first day out + 4 weeks: from 2 November for 5 October, not yet for 6 October.
    _case(w, out_of_school_since=date(2026, 10, 5), absence_kind="relatief_verzuim")
    _case(w, out_of_school_since=date(2026, 10, 6), absence_kind="relatief_verzuim")
    _case(w, status="signaal", out_of_school_since=None)
    met = _case(w, out_of_school_since=date(2026, 6, 1))
    close_case(met, outcome="maatwerk", offer_started_on=date(2026, 8, 1), school_brin=None, note=None,
               expected_version=met.version, actor=w.coordinator, today=TODAY)
    exempted = _case(w, out_of_school_since=date(2026, 3, 2))
    close_case(exempted, outcome="vrijstelling", offer_started_on=None, closed_on=date(2026, 9, 1), school_brin=None,
               note=None, expected_version=exempted.version, actor=w.coordinator, today=TODAY)
    db.session.commit()

    auth.login("coord1@example.nl")
    html = client.get("/dashboard").get_data(as_text=True)
    assert _figure(html, "Open casussen") == "1"
    assert _figure(html, "Signalen (dreigend thuiszitter)") == "1"
    assert _figure(html, "Relatief verzuim, nog geen 4 weken") == "1"
    # The exemption is beside the rate, not in it: one case with a passend aanbod, goal met.
    assert _figure(html, "Doel gehaald (passend aanbod, 12 maanden)") == "100%"
    assert re.search(r"<th scope=\"row\">Vrijstelling verleend</th><td>1</td>", html)
    auth.logout()
    auth.login("insp@example.nl")
    national = client.get("/dashboard/inspectie").get_data(as_text=True)
    assert _figure(national, "Signalen (dreigend thuiszitter)") == "1"
    assert _figure(national, "Doel gehaald dit schooljaar (passend aanbod)") == "100%"


def test_the_pdf_says_the_goal_does_not_apply_to_an_exemption(w, auth, client):
    case = _case(w, out_of_school_since=date(2026, 3, 2))
    close_case(case, outcome="vrijstelling", offer_started_on=None, closed_on=date(2026, 9, 1), school_brin=None,
               note=None, expected_version=case.version, actor=w.coordinator, today=TODAY)
    db.session.commit()
    auth.login("coord1@example.nl")
    response = client.get(f"/casussen/{case.id}/samenvatting.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert "Niet van toepassing: geen passend aanbod" in text
    assert "Gesloten op" in text and "01-09-2026" in text


# --- Terms at start-up --------------------------------------------------------------------------------------


@pytest.mark.parametrize("terms", [
    {"temporary_enrolment_weeks": 9},
    {"decision_weeks": 0},
    {"gpo_follow_up_weeks": -5},
    {"decision_wekes": 6},
])
def test_start_up_refuses_terms_that_do_not_fit_together(database_url, terms):
    with pytest.raises(ConfigError, match="TERMS"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "TERMS": terms})


def test_api_temporary_enrolment_term_only_for_a_pupil_enrolled_nowhere(api):
    enrolled = api("POST", "/cases", json=API_CASE | {"schoolBrin": "07NU00", "outOfSchoolSince": "2026-07-01"})
    nowhere = api("POST", "/cases", json=API_CASE | {"absenceKind": "absoluut_verzuim",
                                                     "outOfSchoolSince": "2026-07-01"})
    terms = {}
    for name, created in (("enrolled", enrolled), ("nowhere", nowhere)):
        step = api("POST", f"/cases/{created.get_json()['id']}/steps", json={
            "kind": "aanmelding", "schoolBrin": "07NU00", "receivedOn": "2026-08-24"})
        assert step.status_code == 201, step.get_json()
        case = api("GET", f"/cases/{created.get_json()['id']}").get_json()
        assert case["steps"][0]["temporaryEnrolmentFrom"] == step.get_json()["temporaryEnrolmentFrom"]
        terms[name] = step.get_json()["temporaryEnrolmentFrom"]
    assert terms == {"enrolled": None, "nowhere": "2026-11-02"}
