"""The plan van aanpak and the meetings through the API: actions and meetings with their agreements, versions
(412/428), scope (404), roles (403), leerplicht marking its own action done, bad input named field by field, a
closed case, and the reads and changes in the processing log."""
from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from thuiszitters.audit.models import AuditEvent
from thuiszitters.casework.models import Action
from thuiszitters.extensions import db


@pytest.fixture
def api(app, client, clock):
    clock.set_today(date(2026, 10, 5))
    w = factories.world()
    own = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1))
    other = factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 9, 1))
    parent = factories.participant(own, w.coordinator, role="ouder", name="Fatima el Amrani")
    school = factories.participant(own, w.coordinator, role="school", name="De Regenboog")
    tokens = {name: factories.token(getattr(w, name)) for name in ("coordinator", "coordinator2", "leerplicht",
                                                                    "inspectie", "admin")}
    db.session.commit()

    class Api:
        world = w
        case = own
        other_case = other
        participants = (parent, school)

        def call(self, method, path, who="coordinator", json=None, version=None):
            headers = {"Authorization": f"Bearer {tokens[who]}"}
            if version is not None:
                headers["If-Match"] = f'"{version}"'
            return client.open(f"/api/v1{path}", method=method, json=json, headers=headers)

    return Api()


def _names(response) -> set[str]:
    return {param["name"] for param in response.get_json()["invalidParams"]}


def test_a_coordinator_adds_an_action_lists_it_and_marks_it_done(api):
    base = f"/cases/{api.case.id}/actions"
    created = api.call("POST", base, json={"description": "School bellen over plaatsing.",
                                           "ownerUserId": api.world.coordinator.id, "dueOn": "2026-10-01"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "open" and body["overdue"] is True and body["version"] == 1
    assert body["ownerParticipantId"] is None and body["meetingId"] is None and body["doneOn"] is None
    assert created.headers["ETag"] == '"1"' and created.headers["Location"].endswith(f"{base}/{body['id']}")

    listed = api.call("GET", base).get_json()
    assert [a["description"] for a in listed["items"]] == ["School bellen over plaatsing."]

    done = api.call("PATCH", f"{base}/{body['id']}", json={"status": "gedaan"}, version=1)
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["doneOn"] == "2026-10-05" and done.get_json()["overdue"] is False
    assert done.headers["ETag"] == '"2"'


def test_a_stale_patch_is_412_and_one_without_if_match_428(api):
    action = factories.action(api.case, api.world.coordinator)
    db.session.commit()
    path = f"/cases/{api.case.id}/actions/{action.id}"
    assert api.call("PATCH", path, json={"dueOn": "2026-11-01"}, version=1).status_code == 200
    stale = api.call("PATCH", path, json={"status": "vervallen"}, version=1)
    assert stale.status_code == 412
    assert stale.get_json()["currentVersion"] == 2
    assert api.call("PATCH", path, json={"status": "vervallen"}).status_code == 428
    assert db.session.get(Action, action.id).status == "open"


def test_an_mdo_with_agreements_becomes_actions_linked_to_it(api):
    parent, school = api.participants
    answer = api.call("POST", f"/cases/{api.case.id}/meetings", json={
        "heldOn": "2026-10-05", "kind": "mdo", "participantIds": [parent.id, school.id],
        "summary": "Besproken: een proefplaatsing op De Regenboog.",
        "agreements": [
            {"description": "Proefplaatsing regelen.", "ownerParticipantId": school.id, "dueOn": "2026-10-19"},
            {"description": "Terugkoppelen aan ouders.", "ownerUserId": api.world.coordinator.id,
             "dueOn": "2026-10-12"},
            {"description": "Gesprek met leerplicht.", "ownerUserId": api.world.leerplicht.id,
             "dueOn": "2026-10-07"},
        ]})
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert len(body["actionIds"]) == 3 and body["participantIds"] == [parent.id, school.id]
    actions = api.call("GET", f"/cases/{api.case.id}/actions").get_json()["items"]
    assert {a["id"] for a in actions} == set(body["actionIds"])
    assert all(a["meetingId"] == body["id"] for a in actions)
    assert [a["dueOn"] for a in actions] == ["2026-10-07", "2026-10-12", "2026-10-19"]  # soonest first
    meetings = api.call("GET", f"/cases/{api.case.id}/meetings").get_json()
    assert meetings["total"] == 1 and meetings["items"][0]["kind"] == "mdo"


def test_leerplicht_marks_its_own_action_done_but_not_others_nor_moves_dates(api):
    mine = factories.action(api.case, api.world.coordinator, owner=api.world.leerplicht)
    theirs = factories.action(api.case, api.world.coordinator)
    db.session.commit()
    base = f"/cases/{api.case.id}/actions"
    assert api.call("PATCH", f"{base}/{theirs.id}", "leerplicht", {"status": "gedaan"}, 1).status_code == 403
    assert api.call("PATCH", f"{base}/{mine.id}", "leerplicht", {"dueOn": "2026-12-01"}, 1).status_code == 403
    done = api.call("PATCH", f"{base}/{mine.id}", "leerplicht", {"status": "gedaan", "doneOn": "2026-10-04"}, 1)
    assert done.status_code == 200 and done.get_json()["doneOn"] == "2026-10-04"
    assert api.call("POST", base, "leerplicht", {"description": "x", "ownerUserId": api.world.leerplicht.id,
                                                 "dueOn": "2026-10-09"}).status_code == 403
    assert api.call("GET", base, "leerplicht").status_code == 200


def test_a_coordinator_rewords_and_reassigns_an_action_but_its_leerplicht_owner_may_not(api):
    action = factories.action(api.case, api.world.coordinator, owner=api.world.leerplicht)
    db.session.commit()
    path = f"/cases/{api.case.id}/actions/{action.id}"
    parent = api.participants[0]
    refused = api.call("PATCH", path, "leerplicht", {"ownerParticipantId": parent.id}, 1)
    assert refused.status_code == 403
    assert api.call("PATCH", path, "leerplicht", {"description": "Iets anders"}, 1).status_code == 403
    wrong = api.call("PATCH", path, json={"description": "", "ownerUserId": api.world.coordinator2.id,
                                          "dueOn": "2030-01-01"}, version=1)
    assert wrong.status_code == 400
    assert _names(wrong) == {"description", "ownerUserId", "dueOn"}
    # Naming one owner replaces the other: the leerplicht owner makes way for the parent.
    moved = api.call("PATCH", path, json={"description": "Ouders bellen.", "ownerParticipantId": parent.id},
                     version=1)
    assert moved.status_code == 200, moved.get_json()
    body = moved.get_json()
    assert (body["description"], body["ownerUserId"], body["ownerParticipantId"], body["version"]) == (
        "Ouders bellen.", None, parent.id, 2)
    both = api.call("PATCH", path, json={"ownerUserId": api.world.coordinator.id,
                                         "ownerParticipantId": parent.id}, version=2)
    assert both.status_code == 400 and _names(both) == {"ownerParticipantId"}


def test_another_scope_is_404_and_inspectie_403(api):
    action = factories.action(api.case, api.world.coordinator)
    db.session.commit()
    for path in ("actions", "meetings"):
        assert api.call("GET", f"/cases/{api.case.id}/{path}", "coordinator2").status_code == 404
        assert api.call("POST", f"/cases/{api.case.id}/{path}", "coordinator2", {}).status_code == 404
        assert api.call("GET", f"/cases/{api.case.id}/{path}", "inspectie").status_code == 403
        assert api.call("POST", f"/cases/{api.case.id}/{path}", "inspectie", {}).status_code == 403
    path = f"/cases/{api.case.id}/actions/{action.id}"
    assert api.call("PATCH", path, "coordinator2", {"status": "gedaan"}, 1).status_code == 404
    assert api.call("PATCH", path, "inspectie", {"status": "gedaan"}, 1).status_code == 403
    # An action of this case is not found under another case the caller sees.
    mine = factories.case(api.world.swv1, api.world.gem1, out_of_school_since=date(2026, 9, 1))
    db.session.commit()
    assert api.call("PATCH", f"/cases/{mine.id}/actions/{action.id}", json={"status": "gedaan"},
                    version=1).status_code == 404


def test_bad_input_names_every_field_at_once(api):
    outsider = api.world.coordinator2  # cannot see the case
    wrong = api.call("POST", f"/cases/{api.case.id}/actions", json={
        "description": " ", "ownerUserId": outsider.id, "dueOn": "2026-08-01"})
    assert wrong.status_code == 400
    assert wrong.headers["Content-Type"].startswith("application/problem+json")
    assert _names(wrong) == {"description", "ownerUserId", "dueOn"}

    both = api.call("POST", f"/cases/{api.case.id}/actions", json={
        "description": "Bellen", "ownerUserId": api.world.coordinator.id,
        "ownerParticipantId": api.participants[0].id, "dueOn": "2026-31-01"})
    assert both.status_code == 400 and _names(both) == {"ownerParticipantId", "dueOn"}

    meeting = api.call("POST", f"/cases/{api.case.id}/meetings", json={
        "heldOn": "2026-10-06", "kind": "mdo", "summary": "Overleg.",
        "agreements": [{"description": "Zonder eigenaar", "dueOn": "2026-10-10"},
                       {"description": "Goed", "ownerUserId": api.world.coordinator.id, "dueOn": "2026-10-10"},
                       {"description": "Te vroeg", "ownerUserId": api.world.coordinator.id, "dueOn": "2020-01-01",
                        "colour": "rood"}]})
    assert meeting.status_code == 400
    assert _names(meeting) == {"heldOn", "agreements.0.ownerUserId", "agreements.2.colour", "agreements.2.dueOn"}
    reasons = {p["name"]: p["reason"] for p in meeting.get_json()["invalidParams"]}
    assert "toekomst" in reasons["heldOn"] and "eigenaar" in reasons["agreements.0.ownerUserId"]
    assert db.session.scalar(select(Action.id).limit(1)) is None  # nothing saved

    # Only the rules' problems (the request itself is well-formed): still named as the client sent them.
    rules_only = api.call("POST", f"/cases/{api.case.id}/meetings", json={
        "heldOn": "2026-10-05", "kind": "mdo", "summary": "Overleg.",
        "agreements": [{"description": "Goed", "ownerUserId": api.world.coordinator.id, "dueOn": "2026-10-10"},
                       {"description": "Wie?", "ownerUserId": api.world.coordinator.id,
                        "ownerParticipantId": api.participants[0].id, "dueOn": "2026-10-10"}]})
    assert rules_only.status_code == 400 and _names(rules_only) == {"agreements.1.ownerParticipantId"}


def test_a_closed_case_takes_no_new_actions(api):
    api.case.status = "closed"
    api.case.closed_on = date(2026, 10, 2)
    db.session.commit()
    refused = api.call("POST", f"/cases/{api.case.id}/actions", json={
        "description": "Nog iets", "ownerUserId": api.world.coordinator.id, "dueOn": "2026-10-10"})
    assert refused.status_code == 409 and refused.get_json()["code"] == "case_closed"
    without = api.call("POST", f"/cases/{api.case.id}/meetings", json={
        "heldOn": "2026-10-05", "kind": "overleg", "summary": "Nazorg besproken."})
    assert without.status_code == 201 and without.get_json()["actionIds"] == []


def test_reads_and_changes_are_in_the_processing_log_without_the_text(api):
    action = factories.action(api.case, api.world.coordinator, description="Bellen met Fatima el Amrani.")
    db.session.commit()
    api.call("GET", f"/cases/{api.case.id}/actions", "leerplicht")
    read = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plan.read"))
    assert read is not None and read.actor_id == api.world.leerplicht.id and read.case_id == api.case.id
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "action.create",
                                                         AuditEvent.object_id == action.id))
    assert created is not None and "Fatima" not in str(created.changes)
    assert created.changes["description"] == [None, "…"]
