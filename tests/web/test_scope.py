"""Every user sees only its scope; a case outside it is a 404, in the UI and the API."""
from datetime import date

from tests import factories
from thuiszitters.extensions import db


def _cases(w):
    own = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), first_name="Eigen")
    other = factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 9, 1), first_name="Ander")
    db.session.commit()
    return own, other


def test_coordinator_gets_404_for_a_case_of_another_swv_in_the_ui(app, auth, client):
    w = factories.world()
    own, other = _cases(w)
    auth.login("coord1@example.nl")
    assert client.get(f"/casussen/{own.id}").status_code == 200
    response = client.get(f"/casussen/{other.id}")
    assert response.status_code == 404
    assert "Ander" not in response.get_data(as_text=True)
    listing = client.get("/casussen").get_data(as_text=True)
    assert "Eigen" in listing and "Ander" not in listing


def test_coordinator_gets_404_for_a_case_of_another_swv_in_the_api(app, client):
    w = factories.world()
    own, other = _cases(w)
    token = factories.token(w.coordinator)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/cases/{own.id}", headers=headers).status_code == 200
    response = client.get(f"/api/v1/cases/{other.id}", headers=headers)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_leerplicht_sees_cases_of_pupils_in_its_gemeente_only(app, auth, client):
    w = factories.world()
    own, other = _cases(w)
    auth.login("lp1@example.nl")
    assert client.get(f"/casussen/{own.id}").status_code == 200
    assert client.get(f"/casussen/{other.id}").status_code == 404


def test_inspectie_gets_403_on_the_case_api_and_no_case_pages(app, auth, client):
    w = factories.world()
    _cases(w)
    token = factories.token(w.inspectie)
    db.session.commit()
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    auth.login("insp@example.nl")
    assert client.get("/casussen").status_code == 403


def test_admin_without_scope_sees_no_case_content(app, auth, client):
    w = factories.world()
    own, _ = _cases(w)
    auth.login("admin@example.nl")
    assert client.get(f"/casussen/{own.id}").status_code == 404


def test_api_without_or_with_a_revoked_token_is_401(app, client):
    w = factories.world()
    token = factories.token(w.coordinator)
    db.session.commit()
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get("/api/v1/cases", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    from thuiszitters.accounts.services import revoke_token

    revoke_token(w.coordinator, w.coordinator.tokens[0].id, actor_id=None)
    db.session.commit()
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["API-Version"].startswith("1.")


def test_tokens_are_stored_hashed(app):
    w = factories.world()
    token = factories.token(w.coordinator)
    db.session.commit()
    stored = w.coordinator.tokens[0].token_hash
    assert token not in stored and len(stored) == 64
