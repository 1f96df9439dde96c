"""Server-side sessions, the second factor and login throttling, as a user (or an attacker) meets them."""
from datetime import timedelta

import pyotp
from sqlalchemy import func, select, update

from tests import factories
from tests.conftest import Auth, csrf_from
from thuiszitters.accounts import mfa
from thuiszitters.accounts.models import UserSession
from thuiszitters.accounts.throttle import MAX_ACCOUNT_FAILURES
from thuiszitters.clock import real_now_utc
from thuiszitters.extensions import db


def _session_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(UserSession))


def _enable_mfa(user) -> tuple[str, list[str]]:
    secret = mfa.new_secret()
    codes = mfa.enable_mfa(user, secret, pyotp.TOTP(secret).now(), real_now_utc())
    db.session.commit()
    return secret, codes


def _next_code(secret: str) -> str:
    """The code of the next 30-second step: valid now, and never the one already used."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(real_now_utc()) + 1)


# --- sessions -------------------------------------------------------------------------------------------------

def test_the_session_cookie_holds_only_a_random_token_and_is_http_only(app, auth, client):
    factories.world()
    db.session.commit()
    response = auth.login("coord1@example.nl")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = client.get_cookie("session").value
    assert "." not in token  # not a signed cookie carrying data
    assert db.session.scalar(select(UserSession.token_hash)) != token  # only the hash is stored


def test_login_issues_a_new_session_id(app, auth, client):
    factories.world()
    db.session.commit()
    client.get("/login")
    before = client.get_cookie("session").value
    auth.login("coord1@example.nl")
    after = client.get_cookie("session").value
    assert after != before
    # The id known before login (e.g. planted by an attacker) no longer works.
    client.set_cookie("session", before)
    assert client.get("/casussen").status_code == 302


def test_logout_deletes_the_session_on_the_server(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    stolen = client.get_cookie("session").value
    auth.logout()
    client.set_cookie("session", stolen)
    assert client.get("/casussen").status_code == 302


def test_idle_sessions_expire_after_thirty_minutes(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get("/casussen").status_code == 200
    db.session.execute(update(UserSession).values(last_seen_at=real_now_utc() - timedelta(minutes=31)))
    db.session.commit()
    assert client.get("/casussen").status_code == 302


def test_sessions_end_after_twelve_hours_even_when_active(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    db.session.execute(update(UserSession).values(created_at=real_now_utc() - timedelta(hours=12, minutes=1)))
    db.session.commit()
    assert client.get("/casussen").status_code == 302


def test_admin_ends_all_sessions_of_a_user(app, auth, client):
    w = factories.world()
    db.session.commit()
    laptop, phone = app.test_client(), app.test_client()
    Auth(laptop).login("coord1@example.nl")
    Auth(phone).login("coord1@example.nl")
    assert laptop.get("/casussen").status_code == 200

    auth.login("admin@example.nl")
    page = f"/beheer/gebruikers/{w.coordinator.id}"
    response = client.post(f"{page}/sessies-beeindigen", data={"csrf_token": auth.csrf(page)},
                           follow_redirects=True)
    assert "2 sessie(s)" in response.get_data(as_text=True)
    assert laptop.get("/casussen").status_code == 302
    assert phone.get("/casussen").status_code == 302


def test_anonymous_visitors_without_a_form_leave_no_session_row(app, client):
    client.get("/toegankelijkheid")
    client.get("/healthz")
    assert _session_rows() == 0


def test_production_cookies_are_secure_and_host_only(app):
    from thuiszitters.settings import check_config

    config = dict(app.config, ENV="production", SECRET_KEY="Zq3-vN8_pX1rT6wL0yB5cH2kM9sJ4fD7gA",
                  INSPECTIE_KEY="e1Rw7_Ku4Pn0Xa-9Lm2Vq6Hb3Ts8Yc5Jd", FIXED_TODAY="",
                  SQLALCHEMY_DATABASE_URI="postgresql+psycopg://db/x", MAIL_SERVER="smtp.example.nl",
                  MAIL_SENDER="thuiszitters@example.nl", BASE_URL="https://thuiszitters.example.nl")
    check_config(config)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert config["MFA_REQUIRED"] is True


# --- second factor ---------------------------------------------------------------------------------------------

def test_with_mfa_the_password_alone_does_not_log_in(app, auth, client):
    w = factories.world()
    db.session.commit()
    _enable_mfa(w.coordinator)
    response = auth.login("coord1@example.nl")
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/casussen").status_code == 302  # not logged in yet


def test_the_code_completes_the_login_and_cannot_be_replayed(app, auth, client):
    w = factories.world()
    db.session.commit()
    secret, _ = _enable_mfa(w.coordinator)
    auth.login("coord1@example.nl")
    code = _next_code(secret)
    page = client.get("/login/code")
    response = client.post("/login/code", data={"code": code, "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert client.get("/casussen").status_code == 200

    # Someone who saw the code over the shoulder tries it within the same 30 seconds.
    other = app.test_client()
    Auth(other).login("coord1@example.nl")
    page = other.get("/login/code")
    replay = other.post("/login/code", data={"code": code, "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert replay.status_code == 400
    assert "al gebruikt" in replay.get_data(as_text=True)
    assert other.get("/casussen").status_code == 302


def test_a_recovery_code_works_once(app, auth, client):
    w = factories.world()
    db.session.commit()
    _, codes = _enable_mfa(w.coordinator)
    auth.login("coord1@example.nl")
    page = client.get("/login/code")
    response = client.post("/login/code", data={"code": codes[3].upper(),
                                                "csrf_token": csrf_from(page.get_data(as_text=True))},
                           follow_redirects=True)
    assert "nog 9" in response.get_data(as_text=True)
    auth.logout()

    auth.login("coord1@example.nl")
    page = client.get("/login/code")
    again = client.post("/login/code", data={"code": codes[3], "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert again.status_code == 400
    assert w.coordinator.recovery_codes is not None and codes[3] not in w.coordinator.recovery_codes


def test_enrolment_shows_a_qr_code_and_needs_a_first_code(app, auth, client):
    w = factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    page = client.get("/account/tweestapsverificatie")
    html = page.get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in html
    secret = html.split('class="secret">')[1].split("<")[0]
    wrong = client.post("/account/tweestapsverificatie", data={"code": "000000", "csrf_token": csrf_from(html)})
    assert wrong.status_code == 400
    db.session.refresh(w.coordinator)
    assert w.coordinator.totp_secret is None

    done = client.post("/account/tweestapsverificatie", data={"code": pyotp.TOTP(secret).now(),
                                                               "csrf_token": csrf_from(html)})
    codes_html = done.get_data(as_text=True)
    assert done.status_code == 200 and "alleen nu" in codes_html
    assert codes_html.count("<li><code>") == 10
    db.session.refresh(w.coordinator)
    assert w.coordinator.totp_secret == secret
    # Only hashes are stored.
    first_code = codes_html.split("<li><code>")[1].split("<")[0]
    assert first_code not in (w.coordinator.recovery_codes or "")


def test_when_mfa_is_required_users_without_it_must_enrol_first(app, auth, client):
    app.config["MFA_REQUIRED"] = True
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    response = client.get("/casussen")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/tweestapsverificatie")
    assert client.get("/account/tweestapsverificatie").status_code == 200
    assert auth.logout().status_code == 302


def test_admin_resets_a_lost_second_factor(app, auth, client):
    w = factories.world()
    db.session.commit()
    _enable_mfa(w.coordinator)
    auth.login("admin@example.nl")
    page = f"/beheer/gebruikers/{w.coordinator.id}"
    client.post(f"{page}/tweestapsverificatie-resetten", data={"csrf_token": auth.csrf(page)})
    db.session.refresh(w.coordinator)
    assert w.coordinator.totp_secret is None and w.coordinator.recovery_codes is None


# --- throttling ------------------------------------------------------------------------------------------------

def test_an_account_is_throttled_after_five_failures_and_unknown_addresses_look_the_same(app, auth, client):
    factories.world()
    db.session.commit()
    for _ in range(MAX_ACCOUNT_FAILURES):
        assert auth.login("coord1@example.nl", "wrong-password-123").status_code == 400
        assert auth.login("nobody@example.nl", "wrong-password-123").status_code == 400
    known = auth.login("coord1@example.nl")  # even the right password is refused now
    unknown = auth.login("nobody@example.nl")
    assert known.status_code == unknown.status_code == 429
    assert "Te veel pogingen" in known.get_data(as_text=True)
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True).replace(
        "nobody@example.nl", "coord1@example.nl")
    # Another account from elsewhere is not affected.
    assert Auth(app.test_client()).login("coord2@example.nl").status_code == 302


def test_throttling_lifts_after_fifteen_minutes(app, auth, client):
    from thuiszitters.accounts.models import LoginAttempt

    factories.world()
    db.session.commit()
    for _ in range(MAX_ACCOUNT_FAILURES):
        auth.login("coord1@example.nl", "wrong-password-123")
    assert auth.login("coord1@example.nl").status_code == 429
    db.session.execute(update(LoginAttempt).values(occurred_at=real_now_utc() - timedelta(minutes=16)))
    db.session.commit()
    assert auth.login("coord1@example.nl").status_code == 302


def test_an_address_is_throttled_across_accounts(app, auth):
    factories.world()
    db.session.commit()
    for i in range(20):
        auth.login(f"guess{i}@example.nl", "wrong-password-123")
    assert auth.login("coord1@example.nl").status_code == 429


def test_wrong_codes_are_throttled_too(app, auth, client):
    w = factories.world()
    db.session.commit()
    _enable_mfa(w.coordinator)
    auth.login("coord1@example.nl")
    statuses = []
    for _ in range(MAX_ACCOUNT_FAILURES + 1):
        page = client.get("/login/code")
        statuses.append(client.post("/login/code", data={
            "code": "123456", "csrf_token": csrf_from(page.get_data(as_text=True))}).status_code)
    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_the_address_throttle_counts_the_client_not_the_proxy(database_url, tmp_path):
    from tests.conftest import IsolatedClient
    from thuiszitters import create_app
    from thuiszitters.extensions import db as _db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "TRUSTED_PROXY_COUNT": 1})
    app.test_client_class = IsolatedClient
    with app.app_context():
        try:
            factories.world()
            _db.session.commit()
            for i in range(20):
                client = app.test_client()
                client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
                Auth(client).login(f"guess{i}@example.nl", "wrong-password-123")
            elsewhere = app.test_client()
            elsewhere.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.9"
            assert Auth(elsewhere).login("coord1@example.nl").status_code == 302
            attacker = app.test_client()
            attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
            assert Auth(attacker).login("coord1@example.nl").status_code == 429
        finally:
            from tests.conftest import _empty_database

            _db.session.remove()
            _empty_database()
            _db.engine.dispose()


def test_a_browser_session_does_not_authenticate_the_api(app, auth, client):
    """The API takes bearer tokens only: a logged-in browser cannot be tricked into API calls (no CSRF there)."""
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get("/casussen").status_code == 200
    assert client.get("/api/v1/cases").status_code == 401
