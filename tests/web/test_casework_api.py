"""The network and the journal through the API: every endpoint, scope (404), role (403), versions (412/428), bad
input named field by field, and the reads in the processing log."""
from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from thuiszitters.audit.models import AuditEvent
from thuiszitters.casework.models import JournalEntry, Participant
from thuiszitters.extensions import db


@pytest.fixture
def api(app, client, clock):
    clock.set_today(date(2026, 10, 5))
    w = factories.world()
    school = factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1)
    own = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), school_obj=school)
    other = factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 9, 1))
    tokens = {name: factories.token(getattr(w, name)) for name in ("coordinator", "coordinator2", "leerplicht",
                                                                    "inspectie", "admin")}
    db.session.commit()

    class Api:
        world = w
        case = own
        other_case = other

        def call(self, method, path, who="coordinator", json=None, version=None):
            headers = {"Authorization": f"Bearer {tokens[who]}"}
            if version is not None:
                headers["If-Match"] = f'"{version}"'
            return client.open(f"/api/v1{path}", method=method, json=json, headers=headers)

    return Api()


def _names(response) -> set[str]:
    return {param["name"] for param in response.get_json()["invalidParams"]}


PARENT = {"role": "ouder", "name": "Fatima el Amrani", "email": "f.elamrani@example.nl", "phone": "06 1234 5678",
          "consentToShare": True}


def test_a_coordinator_builds_the_network_edits_and_removes_a_participant(api):
    base = f"/cases/{api.case.id}/participants"
    created = api.call("POST", base, json=PARENT)
    assert created.status_code == 201
    body = created.get_json()
    assert body["phone"] == "+31612345678" and body["consentToShare"] is True and body["version"] == 1
    assert created.headers["ETag"] == '"1"' and created.headers["Location"].endswith(f"{base}/{body['id']}")

    school = api.call("POST", base, json={"role": "school", "name": "De Regenboog", "organisation": "De Regenboog"})
    assert school.status_code == 201
    listed = api.call("GET", base).get_json()
    assert [p["name"] for p in listed["items"]] == ["Fatima el Amrani", "De Regenboog"]  # by role: ouder first
    assert listed["total"] == 2

    changed = api.call("PATCH", f"{base}/{body['id']}", json={"phone": "+32 470 12 34 56"}, version=1)
    assert changed.status_code == 200
    assert changed.get_json()["phone"] == "+32470123456" and changed.get_json()["name"] == "Fatima el Amrani"
    assert changed.headers["ETag"] == '"2"'

    stale = api.call("PATCH", f"{base}/{body['id']}", json={"name": "F. el Amrani"}, version=1)
    assert stale.status_code == 412
    assert stale.get_json()["title"] == "Deze betrokkene is intussen gewijzigd"
    assert api.call("PATCH", f"{base}/{body['id']}", json={"name": "X"}).status_code == 428

    assert api.call("DELETE", f"{base}/{body['id']}", version=1).status_code == 412
    assert api.call("DELETE", f"{base}/{body['id']}", version=2).status_code == 204
    assert [p["name"] for p in api.call("GET", base).get_json()["items"]] == ["De Regenboog"]
    removed = db.session.get(Participant, body["id"])
    assert removed.email is None and removed.phone is None and removed.name == "Fatima el Amrani"
    # A removed participant is gone for the API.
    assert api.call("PATCH", f"{base}/{body['id']}", json={"name": "X"}, version=3).status_code == 404


def test_every_bad_participant_field_is_named_in_one_problem_and_nothing_is_saved(api):
    response = api.call("POST", f"/cases/{api.case.id}/participants", json={
        "role": "buurman", "name": "   ", "email": "geen-adres", "phone": "12", "consentToShare": "ja",
        "note": "x" * 1001, "shoeSize": 42})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert _names(response) == {"role", "name", "email", "phone", "consentToShare", "note", "shoeSize"}
    # The rules' problems come with the request's own: the name is refused although the role already was.
    reasons = {p["name"]: p["reason"] for p in response.get_json()["invalidParams"]}
    assert reasons["name"] == "Vul de naam van de betrokkene in."
    assert db.session.scalars(select(Participant)).all() == []

    only_rules = api.call("POST", f"/cases/{api.case.id}/participants",
                          json={"role": "ouder", "name": "A" * 201, "phone": "020 12"})
    assert only_rules.status_code == 400 and _names(only_rules) == {"name", "phone"}


def test_a_journal_entry_is_written_corrected_by_its_author_and_keeps_its_history(api):
    parent = factories.participant(api.case, api.world.coordinator)
    db.session.commit()
    base = f"/cases/{api.case.id}/journal"
    created = api.call("POST", base, json={"occurredOn": "2026-10-02", "kind": "telefoon",
                                           "participantIds": [parent.id], "summary": "Moeder gebeld."})
    assert created.status_code == 201
    entry = created.get_json()
    assert entry["author"]["name"] == api.world.coordinator.name and entry["participantIds"] == [parent.id]
    assert entry["history"] == [] and created.headers["ETag"] == '"1"'

    corrected = api.call("PATCH", f"{base}/{entry['id']}", json={"summary": "Moeder gebeld over de school."},
                         version=1)
    assert corrected.status_code == 200
    body = corrected.get_json()
    assert body["summary"] == "Moeder gebeld over de school." and body["version"] == 2
    assert [h["summary"] for h in body["history"]] == ["Moeder gebeld."]

    by_leerplicht = api.call("POST", base, who="leerplicht", json={"occurredOn": "2026-10-05", "kind": "huisbezoek",
                                                                   "summary": "Huisbezoek afgelegd."})
    assert by_leerplicht.status_code == 201
    # The leerplicht cannot correct the coordinator's entry, nor the coordinator the leerplicht's.
    assert api.call("PATCH", f"{base}/{entry['id']}", who="leerplicht", json={"summary": "Anders."},
                    version=2).status_code == 403
    assert api.call("PATCH", f"{base}/{by_leerplicht.get_json()['id']}", json={"summary": "Anders."},
                    version=1).status_code == 403
    assert api.call("PATCH", f"{base}/{entry['id']}", json={"summary": "Weer anders."}, version=1).status_code == 412

    listed = api.call("GET", base).get_json()
    assert [e["kind"] for e in listed["items"]] == ["huisbezoek", "telefoon"]  # newest contact first
    assert [e["kind"] for e in api.call("GET", f"{base}?kind=telefoon").get_json()["items"]] == ["telefoon"]
    assert api.call("GET", f"{base}?kind=fax").status_code == 400


def test_bad_journal_input_future_dates_and_other_cases_participants_are_refused_together(api):
    stranger = factories.participant(api.other_case, api.world.coordinator2)
    db.session.commit()
    base = f"/cases/{api.case.id}/journal"
    response = api.call("POST", base, json={"occurredOn": "2026-10-06", "kind": "brief",
                                            "participantIds": [stranger.id], "summary": ""})
    assert response.status_code == 400
    assert _names(response) == {"occurredOn", "kind", "participantIds", "summary"}
    reasons = {p["name"]: p["reason"] for p in response.get_json()["invalidParams"]}
    assert "in de toekomst" in reasons["occurredOn"]
    assert reasons["participantIds"] == "Kies alleen betrokkenen uit het netwerk van deze casus."

    too_long = api.call("POST", base, json={"occurredOn": "2026-08-01", "kind": "notitie", "summary": "x" * 5001,
                                            "participantIds": ["1"]})
    assert _names(too_long) == {"occurredOn", "summary", "participantIds"}
    assert db.session.scalars(select(JournalEntry)).all() == []


def test_scope_answers_404_and_roles_without_the_capability_403(api):
    other = api.other_case.id
    for method, path in (("GET", "participants"), ("POST", "participants"), ("GET", "journal"), ("POST", "journal")):
        assert api.call(method, f"/cases/{other}/{path}", json={}).status_code == 404, (method, path)
    mine = factories.participant(api.case, api.world.coordinator)
    entry = factories.journal_entry(api.case, api.world.coordinator)
    db.session.commit()
    assert api.call("PATCH", f"/cases/{other}/participants/{mine.id}", json={}, version=1).status_code == 404
    assert api.call("PATCH", f"/cases/{other}/journal/{entry.id}", json={}, version=1).status_code == 404
    # Leerplicht reads the network and writes the journal, but does not change the network.
    assert api.call("GET", f"/cases/{api.case.id}/participants", who="leerplicht").status_code == 200
    assert api.call("POST", f"/cases/{api.case.id}/participants", who="leerplicht",
                    json=PARENT).status_code == 403
    assert api.call("DELETE", f"/cases/{api.case.id}/participants/{mine.id}", who="leerplicht",
                    version=1).status_code == 403
    # Inspectie reads no case at all.
    assert api.call("GET", f"/cases/{api.case.id}/journal", who="inspectie").status_code == 403


def test_reads_of_the_journal_and_of_contact_details_are_logged(api):
    factories.participant(api.case, api.world.coordinator, email="ouder@example.nl")
    factories.journal_entry(api.case, api.world.coordinator)
    db.session.commit()
    api.call("GET", f"/cases/{api.case.id}/participants", who="leerplicht")
    api.call("GET", f"/cases/{api.case.id}/journal", who="leerplicht")
    reads = db.session.execute(select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.case_id)
                               .where(AuditEvent.action.in_(("network.read", "journal.read")))).all()
    assert sorted(reads) == [("journal.read", api.world.leerplicht.id, api.case.id),
                             ("network.read", api.world.leerplicht.id, api.case.id)]
    # The trail says that contact details changed, never what they are.
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.create"))
    assert "ouder@example.nl" not in str(created.changes) and created.changes["role"] == [None, "ouder"]


def test_a_closed_case_still_takes_journal_entries(api):
    api.case.status, api.case.closed_on = "closed", date(2026, 10, 1)
    db.session.commit()
    response = api.call("POST", f"/cases/{api.case.id}/journal",
                        json={"occurredOn": "2026-10-03", "kind": "email", "summary": "School mailt: het gaat goed."})
    assert response.status_code == 201
