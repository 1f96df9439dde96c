"""Login, logout and deny-by-default."""
from tests import factories
from thuiszitters.extensions import db


def test_login_with_the_right_password_lands_on_the_case_list(app, auth, client):
    factories.world()
    db.session.commit()
    response = auth.login("coord1@example.nl")
    assert response.status_code == 302
    assert client.get(response.headers["Location"], follow_redirects=True).status_code == 200


def test_wrong_password_and_unknown_address_get_the_same_answer(app, auth):
    factories.world()
    db.session.commit()
    wrong = auth.login("coord1@example.nl", "not-the-password-1")
    unknown = auth.login("nobody@example.nl", "not-the-password-1")
    assert wrong.status_code == unknown.status_code == 400
    assert "Onbekende combinatie" in wrong.get_data(as_text=True)
    assert "Onbekende combinatie" in unknown.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(app, client):
    factories.world()
    db.session.commit()
    response = client.post("/login", data={"email": "coord1@example.nl", "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/casussen").status_code == 302  # still not logged in


def test_pages_are_denied_to_anonymous_users(app, client):
    response = client.get("/casussen")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_is_post_only_and_ends_the_session(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get("/logout").status_code == 405
    auth.logout()
    assert client.get("/casussen").status_code == 302


def test_deactivated_user_is_logged_out_at_once(app, auth, client):
    w = factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get("/casussen").status_code == 200
    w.coordinator.active = False
    w.coordinator.session_epoch += 1
    db.session.commit()
    assert client.get("/casussen").status_code == 302


def test_inactive_user_cannot_log_in(app, auth, client):
    w = factories.world()
    w.coordinator.active = False
    db.session.commit()
    assert auth.login("coord1@example.nl").status_code == 400


def test_pages_carry_security_headers(app, client):
    response = client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
