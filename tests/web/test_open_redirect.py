"""No redirect to another site, whatever `?next=` or the Referer says: through the real login, the second factor,
production mode and a refused action. Judged as a browser reads the Location header (thuiszitters/redirects.py)."""
from __future__ import annotations

import secrets
from datetime import date, timedelta

import pyotp
import pytest

from tests import factories
from tests.conftest import Auth, IsolatedClient, csrf_from
from thuiszitters import create_app
from thuiszitters.accounts import mfa
from thuiszitters.alerts.models import Alert
from thuiszitters.clock import now_utc, real_now_utc
from thuiszitters.extensions import db
from thuiszitters.http.redirects import as_browser_reads_it

# As they appear in the query string: percent-encoded the way an attacker would put them in a link.
HOSTILE_NEXT = [
    "/%09/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example", "/%0a/x", "%09//evil.example",
    "/%5Cevil.example", "%5C%5Cevil.example", "/%5C/evil.example", "%2F%2Fevil.example", "//evil.example",
    "https://evil.example/", "https:evil.example", "%20//evil.example", "%01//evil.example",
    "/%09%09/evil.example", "java%09script:alert(1)", "javascript:alert(1)", "//evil.example%2F..",
    "%E3%80%80//evil.example", "%0B//evil.example", "%7F//evil.example",
]


def _assert_same_site(location: str) -> None:
    # What the browser will follow: a path on this site, never "//host" or "scheme:".
    assert all(0x20 < ord(ch) < 0x7f for ch in location), repr(location)
    followed = as_browser_reads_it(location)
    assert followed.startswith("/") and not followed.startswith("//"), repr(location)
    assert "evil.example" not in followed.split("?")[0].split("/")[1:2]


def _login_page_then_post(client, next_query: str, email: str = "coord1@example.nl", **kwargs):
    page = client.get(f"/login?next={next_query}", **kwargs)
    return client.post(f"/login?next={next_query}", data={
        "email": email, "password": factories.PASSWORD, "csrf_token": csrf_from(page.get_data(as_text=True))},
        **kwargs)


def _enable_mfa(user) -> str:
    secret = mfa.new_secret()
    mfa.enable_mfa(user, secret, pyotp.TOTP(secret).now(), real_now_utc())
    db.session.commit()
    return secret


def _fresh_code(secret: str, offset: int) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(real_now_utc()) + offset)


@pytest.mark.parametrize("next_query", HOSTILE_NEXT)
def test_a_hostile_next_after_the_password_goes_home(app, client, next_query):
    factories.world()
    db.session.commit()
    response = _login_page_then_post(client, next_query)
    assert response.status_code == 302
    _assert_same_site(response.headers["Location"])
    assert response.headers["Location"] in ("/", "http://localhost/")
    assert client.get("/casussen").status_code == 200  # the login itself worked


@pytest.mark.parametrize("next_query", HOSTILE_NEXT)
def test_a_hostile_next_through_the_second_factor_goes_home(app, client, next_query):
    w = factories.world()
    db.session.commit()
    secret = _enable_mfa(w.coordinator)
    response = _login_page_then_post(client, next_query)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    page = client.get("/login/code")
    response = client.post("/login/code", data={"code": _fresh_code(secret, 1),
                                                "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    _assert_same_site(response.headers["Location"])
    assert response.headers["Location"] in ("/", "http://localhost/")


@pytest.mark.parametrize(("next_query", "location"), [
    ("/casussen%3Fstatus%3Dopen", "/casussen?status=open"),
    ("/casussen/12", "/casussen/12"),
    ("%2Fsignalen", "/signalen"),
    ("/casussen%3Fq%3D%C3%96zt%C3%BCrk", "/casussen?q=%C3%96zt%C3%BCrk"),
])
def test_a_same_site_next_is_still_followed_with_and_without_a_second_factor(app, client, next_query, location):
    w = factories.world()
    db.session.commit()
    assert _login_page_then_post(client, next_query).headers["Location"] == location
    Auth(client).logout()
    secret = _enable_mfa(w.coordinator)
    _login_page_then_post(client, next_query)
    page = client.get("/login/code")
    response = client.post("/login/code", data={"code": _fresh_code(secret, 1),
                                                "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.headers["Location"] == location


def test_a_hostile_next_in_production_mode_goes_home(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("production mode runs on PostgreSQL only (settings.check_config)")
    app = create_app({"ENV": "production", "SQLALCHEMY_DATABASE_URI": database_url, "FIXED_TODAY": "",
                      "SECRET_KEY": secrets.token_urlsafe(48), "INSPECTIE_KEY": secrets.token_urlsafe(48),
                      "MAIL_SERVER": "127.0.0.1", "MAIL_SENDER": "thuiszitters@example.nl",
                      "BASE_URL": "https://thuiszitters.example.nl", "EXPORT_DIR": str(tmp_path / "exports")})
    assert not app.testing and app.config["MFA_REQUIRED"]
    app.test_client_class = IsolatedClient  # each request its own app context, as in production
    try:
        with app.app_context():
            factories.world()
            hostile = ["/%09/evil.example", "/%0a/x", "/%5Cevil.example", "https://evil.example"]
            users = [factories.user("coordinator", email=f"prod{n}@example.nl", swvs=("PO 27-01",))
                     for n in range(len(hostile))]
            db.session.commit()
            # Over HTTPS Flask-WTF also checks that a form was posted from this site (the Referer).
            https = {"base_url": "https://thuiszitters.test",
                     "headers": {"Referer": "https://thuiszitters.test/login"}}
            for user, next_query in zip(users, hostile, strict=True):
                secret = _enable_mfa(user)  # production requires the second factor
                client = app.test_client()
                response = _login_page_then_post(client, next_query, email=user.email, **https)
                assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
                page = client.get("/login/code", **https)
                response = client.post("/login/code", data={
                    "code": _fresh_code(secret, 1), "csrf_token": csrf_from(page.get_data(as_text=True))}, **https)
                assert response.status_code == 302, response.get_data(as_text=True)[:300]
                _assert_same_site(response.headers["Location"])
                assert response.headers["Location"] == "/"
                assert client.get("/casussen", **https).status_code == 200
    finally:
        with app.app_context():
            from tests.conftest import _empty_database

            db.session.remove()
            _empty_database()
            db.engine.dispose()


@pytest.mark.parametrize("referrer", ["https://evil.example/casussen", "//evil.example", "/\t/evil.example",
                                      "http://localhost.evil.example/x"])
def test_a_refused_action_never_sends_the_user_back_to_a_foreign_referrer(app, auth, client, referrer):
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1))
    alert = Alert(case_id=case.id, kind="overdue", due_on=case.return_deadline + timedelta(days=1),
                  created_at=now_utc(), status="acknowledged", note="Al gedaan")
    db.session.add(alert)
    db.session.commit()
    auth.login("lp1@example.nl")
    token = auth.csrf("/signalen")
    response = client.post(f"/signalen/{alert.id}/afhandelen", data={"note": "Nog eens", "csrf_token": token},
                           headers={"Referer": referrer})
    assert response.status_code == 302
    _assert_same_site(response.headers["Location"])
    # Our own page as referrer still brings the user back there.
    back = client.post(f"/signalen/{alert.id}/afhandelen", data={"note": "Nog eens", "csrf_token": token},
                       headers={"Referer": "http://localhost/signalen?page=1"})
    assert back.headers["Location"] == "/signalen?page=1"
