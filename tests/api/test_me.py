"""GET /api/v1/me (API.md, "Casework"): who the key belongs to and which swv's and gemeenten they see."""
from __future__ import annotations


def test_each_key_tells_its_own_user_and_scope(api):
    coordinator = api.call("GET", "/me")
    assert coordinator.status_code == 200
    api.assert_documented(coordinator, "GET", "/me")
    body = coordinator.get_json()
    w = api.world
    assert body == {"id": w.coordinator.id, "name": w.coordinator.name, "role": "coordinator",
                    "swvCodes": [s.code for s in w.coordinator.swvs], "gemeenteCodes": []}
    leerplicht = api.call("GET", "/me", who="leerplicht").get_json()
    assert leerplicht["role"] == "leerplicht" and leerplicht["id"] == w.leerplicht.id
    assert leerplicht["gemeenteCodes"] == [g.code for g in w.leerplicht.gemeenten] and leerplicht["gemeenteCodes"]
    assert leerplicht["swvCodes"] == []


def test_without_a_key_there_is_no_one(api):
    response = api.client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
