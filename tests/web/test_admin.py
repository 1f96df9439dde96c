"""Admin pages: create, edit, deactivate users, set scope, revoke tokens."""
from sqlalchemy import select

from tests import factories
from thuiszitters.accounts.models import User
from thuiszitters.extensions import db


def test_admin_creates_a_coordinator_with_a_scope(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    token = auth.csrf("/beheer/gebruikers/nieuw")
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": token, "email": "nieuw@example.nl", "name": "Nina Nieuw", "role": "coordinator",
        "swvs": ["PO 27-01"], "active": "y", "password": "een-lang-wachtwoord-42"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nieuw@example.nl"))
    assert [s.code for s in user.swvs] == ["PO 27-01"]


def test_a_coordinator_without_swv_is_refused_with_a_message_beside_the_field(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    token = auth.csrf("/beheer/gebruikers/nieuw")
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": token, "email": "x@example.nl", "name": "X", "role": "coordinator",
        "password": "een-lang-wachtwoord-42"})
    assert response.status_code == 400
    assert "minstens één samenwerkingsverband" in response.get_data(as_text=True)


def test_deactivating_a_user_ends_its_session_and_revoking_a_token_stops_it(app, auth, client):
    w = factories.world()
    token = factories.token(w.coordinator)
    db.session.commit()
    other = app.test_client()
    from tests.conftest import Auth

    Auth(other).login("coord1@example.nl")
    assert other.get("/casussen").status_code == 200

    auth.login("admin@example.nl")
    page = f"/beheer/gebruikers/{w.coordinator.id}"
    csrf = auth.csrf(page)
    response = client.post(page, data={"csrf_token": csrf, "email": "coord1@example.nl", "name": "Coord",
                                       "role": "coordinator", "swvs": ["PO 27-01"]})
    assert response.status_code == 302
    assert other.get("/casussen").status_code == 302

    token_id = w.coordinator.tokens[0].id
    client.post(f"{page}/tokens/{token_id}/intrekken", data={"csrf_token": auth.csrf(page)})
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_non_admins_get_403_on_admin_pages(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get("/beheer/gebruikers").status_code == 403
