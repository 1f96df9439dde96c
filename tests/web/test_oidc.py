"""Sign-in through the organisation against a real OpenID Provider (panva's oidc-provider on loopback).

Who gets in, the second factor, signing out at the provider too, and the provider's key rotation. The refusals
(forged and replayed callbacks, bad ID tokens, a provider that is down) are in test_oidc_refusals.py.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pyotp
import pytest
from sqlalchemy import event, func, insert, select

from tests import factories
from tests.oidc import APP_BASE, ProviderBrowser, account, params
from thuiszitters.accounts import mfa
from thuiszitters.accounts.models import OidcIdentity, User
from thuiszitters.audit.models import AuditEvent
from thuiszitters.clock import real_now_utc
from thuiszitters.extensions import db
from thuiszitters.http.templating import format_date


@pytest.fixture
def app_overrides(provider):
    return provider.app_settings()


@pytest.fixture
def world(app):
    w = factories.world()
    db.session.commit()
    return w


def start(client, path: str = "/login/oidc") -> str:
    response = client.get(path)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def sign_in(client, login: str, browser: ProviderBrowser | None = None, **how):
    """The whole round trip: the app sends the browser to the provider, the person signs in there, and the
    browser brings the answer back to the app."""
    browser = browser or ProviderBrowser()
    return client.get(browser.authorize(start(client), login, **how))


def logged_in(client) -> bool:
    return client.get("/account/tweestapsverificatie").status_code == 200


def login_methods(user_id: int) -> list[str]:
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.login",
                                                         AuditEvent.actor_id == user_id).order_by(AuditEvent.id))
    return [event.changes["method"][1] for event in events]


def identity_of(user_id: int) -> OidcIdentity | None:
    return db.session.scalar(select(OidcIdentity).where(OidcIdentity.user_id == user_id))


# --- the way in -----------------------------------------------------------------------------------------------

def test_the_login_page_offers_the_organisation_with_its_label(client, world):
    page = client.get("/login?next=/casussen").get_data(as_text=True)
    assert "Inloggen met Testorganisatie" in page
    assert 'href="/login/oidc?next=/casussen"' in page


def test_the_authorization_request_uses_state_nonce_and_pkce_s256(client, world, provider):
    request = params(start(client))
    assert request["response_type"] == "code" and request["client_id"] == "thuiszitters"
    assert request["redirect_uri"] == f"{APP_BASE}/login/oidc/callback"
    assert request["code_challenge_method"] == "S256" and len(request["code_challenge"]) == 43
    assert len(request["state"]) >= 20 and len(request["nonce"]) >= 20
    assert set(request["scope"].split()) == {"openid", "email", "profile"}
    # Two starts never share a state or nonce.
    again = params(start(client))
    assert again["state"] != request["state"] and again["nonce"] != request["nonce"]


def test_first_sign_in_matches_the_verified_email_binds_the_sub_and_keeps_role_and_scope(client, world, provider):
    provider.set_accounts({"anna": account("sub-anna", "COORD1@example.nl")})
    response = sign_in(client, "anna")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/casussen").status_code == 200  # a coordinator, with her own scope
    identity = identity_of(world.coordinator.id)
    assert identity is not None and identity.subject == "sub-anna" and identity.issuer == provider.issuer
    user = db.session.get(User, world.coordinator.id)
    assert user.role == "coordinator" and [s.code for s in user.swvs] == ["PO 27-01"]
    assert login_methods(user.id) == ["oidc"]
    binds = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.oidc_bind")).all()
    assert len(binds) == 1 and "sub-anna" not in str(binds[0].changes)


def test_the_next_page_survives_the_round_trip_but_only_a_local_one(client, world, provider):
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    browser = ProviderBrowser()
    response = client.get(browser.authorize(start(client, "/login/oidc?next=/casussen"), "anna"))
    assert response.headers["Location"] == "/casussen"
    client.post("/logout", data={"csrf_token": _csrf(client)})
    response = client.get(ProviderBrowser().authorize(start(client, "/login/oidc?next=//evil.example/x"), "anna"))
    assert response.headers["Location"] == "/"


def test_later_sign_ins_find_the_account_by_sub_even_after_the_email_changed(client, world, provider):
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    sign_in(client, "anna")
    client.post("/logout", data={"csrf_token": _csrf(client)})
    # At the provider her address changes to another user's: she still gets her own account, not theirs.
    provider.set_accounts({"anna": account("sub-anna", "coord2@example.nl")})
    sign_in(client, "anna")
    page = client.get("/account/tweestapsverificatie")
    assert page.status_code == 200
    assert login_methods(world.coordinator.id) == ["oidc", "oidc"]
    assert login_methods(world.coordinator2.id) == []
    assert identity_of(world.coordinator2.id) is None


@contextmanager
def another_request_binds(user_id: int, issuer: str, subject: str) -> Iterator[list[bool]]:
    """Another request (a second tab, another person) binds ``subject`` to the account and commits, on a
    connection of its own, right after this request looked whether the account was bound yet."""
    done: list[bool] = []

    def meanwhile(conn, cursor, statement, parameters, context, executemany):
        if not done and re.match(r"SELECT oidc_identity\.id\s+FROM oidc_identity", statement):
            done.append(True)
            with db.engine.begin() as other:
                other.execute(insert(OidcIdentity).values(user_id=user_id, issuer=issuer, subject=subject,
                                                          bound_at=real_now_utc(), last_login_at=real_now_utc()))

    event.listen(db.engine, "after_cursor_execute", meanwhile)
    try:
        yield done
    finally:
        event.remove(db.engine, "after_cursor_execute", meanwhile)


def test_two_first_sign_ins_of_one_person_at_once_both_get_in(client, world, provider):
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    with another_request_binds(world.coordinator.id, provider.issuer, "sub-anna") as happened:
        response = sign_in(client, "anna")
    assert happened and response.status_code == 302 and response.headers["Location"] == "/"
    assert logged_in(client)
    identities = db.session.scalars(select(OidcIdentity)).all()
    assert [(i.user_id, i.subject) for i in identities] == [(world.coordinator.id, "sub-anna")]


def test_a_first_sign_in_racing_another_persons_binding_does_not_take_the_account_over(client, world, provider):
    """Two accounts at the provider carry the same address; while the second signs in for the first time, the first
    one's binding is made. The second is refused, and the account stays bound to the first."""
    provider.set_accounts({"mallory": account("sub-mallory", "coord1@example.nl")})
    with another_request_binds(world.coordinator.id, provider.issuer, "sub-anna") as happened:
        response = sign_in(client, "mallory")
    assert happened and response.status_code == 403
    assert "hoort bij iemand anders" in response.get_data(as_text=True)
    assert not logged_in(client)
    identities = db.session.scalars(select(OidcIdentity)).all()
    assert [(i.user_id, i.subject) for i in identities] == [(world.coordinator.id, "sub-anna")]


def test_each_sign_in_gets_a_fresh_session_id(client, world, provider):
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    url = start(client)
    before = client.get_cookie("session").value
    client.get(ProviderBrowser().authorize(url, "anna"))
    after = client.get_cookie("session").value
    assert after != before
    client.set_cookie("session", before)
    assert not logged_in(client)


def test_the_admin_page_shows_when_a_user_last_signed_in_through_the_provider(client, auth, world, provider):
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    sign_in(client, "anna")
    client.post("/logout", data={"csrf_token": _csrf(client)})
    auth.login("admin@example.nl")
    page = client.get("/beheer/organisatie-accounts").get_data(as_text=True)
    assert "coord1@example.nl" in page and "sub-anna" in page
    identity = identity_of(world.coordinator.id)
    assert format_date(identity.last_login_at) in page  # "dd-mm-yyyy hh:mm", Amsterdam time
    assert "coord2@example.nl" not in page  # never signed in there


# --- the second factor ----------------------------------------------------------------------------------------

def _with_totp(user_id: int) -> str:
    user = db.session.get(User, user_id)
    secret = mfa.new_secret()
    mfa.enable_mfa(user, secret, pyotp.TOTP(secret).now(), real_now_utc())
    db.session.commit()
    return secret


def _next_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(totp.timecode(real_now_utc()) + 1)


def test_without_mfa_at_the_provider_the_apps_own_second_factor_is_asked(client, world, provider):
    secret = _with_totp(world.coordinator.id)
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    response = sign_in(client, "anna", amr="pwd")
    assert response.headers["Location"] == "/login/code"
    assert not logged_in(client)
    page = client.get("/login/code")
    response = client.post("/login/code", data={"code": _next_code(secret),
                                                "csrf_token": _csrf_of(page.get_data(as_text=True))})
    assert response.status_code == 302 and logged_in(client)
    assert login_methods(world.coordinator.id) == ["oidc+totp"]


@pytest.mark.parametrize(("how", "method"), [({"mfa": True}, "oidc+mfa"), ({"acr": "urn:test:loa:2"}, "oidc+mfa")])
def test_mfa_at_the_provider_skips_the_apps_own_second_factor(client, world, provider, how, method):
    _with_totp(world.coordinator.id)
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    response = sign_in(client, "anna", **how)
    assert response.headers["Location"] == "/"
    assert logged_in(client)
    assert login_methods(world.coordinator.id) == [method]


def test_an_acr_that_is_not_configured_as_mfa_does_not_skip_the_second_factor(client, world, provider):
    _with_totp(world.coordinator.id)
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    response = sign_in(client, "anna", acr="urn:test:loa:1", amr="pwd otp")
    assert response.headers["Location"] == "/login/code"
    assert not logged_in(client)


class TestWhereMfaIsRequired:
    """As in production: a user without the app's own second factor is sent to enrol, unless the provider asked
    one."""

    @pytest.fixture
    def app_overrides(self, provider):
        return provider.app_settings(MFA_REQUIRED=True)

    def test_mfa_at_the_provider_counts(self, client, world, provider):
        provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
        sign_in(client, "anna", mfa=True)
        assert client.get("/casussen").status_code == 200

    def test_without_it_the_user_must_enrol_first(self, client, world, provider):
        provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
        sign_in(client, "anna")
        response = client.get("/casussen")
        assert response.status_code == 302 and response.headers["Location"] == "/account/tweestapsverificatie"


# --- signing out ----------------------------------------------------------------------------------------------

def _csrf(client) -> str:
    return _csrf_of(client.get("/toegankelijkheid").get_data(as_text=True))


def _csrf_of(html: str) -> str:
    from tests.conftest import csrf_from

    return csrf_from(html)


def _end_session_url(html: str) -> str:
    import html as html_module

    marker = 'http-equiv="refresh" content="0; url='
    return html_module.unescape(html.split(marker, 1)[1].split('"', 1)[0])


def test_sign_out_ends_the_local_session_and_the_one_at_the_provider(client, world, provider):
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    browser = ProviderBrowser()
    sign_in(client, "anna", browser=browser)
    stolen = client.get_cookie("session").value
    page = client.post("/logout", data={"csrf_token": _csrf(client)})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    end_session = _end_session_url(html)
    assert end_session.startswith(f"{provider.issuer}/session/end")
    request = params(end_session)
    assert request["post_logout_redirect_uri"] == f"{APP_BASE}/login"
    assert request["id_token_hint"].count(".") == 2 and request["client_id"] == "thuiszitters"
    assert f'href="{end_session}"'.replace("&", "&amp;") in html  # a link too, for when the page does not move on
    # Locally the session is gone at once, also for a copy of the old cookie.
    assert not logged_in(client)
    client.set_cookie("session", stolen)
    assert not logged_in(client)
    # Before signing out there, the provider would let the person straight back in; afterwards it asks again.
    assert not browser.needs_login(start(client))
    back = browser.sign_out(end_session)
    assert back.startswith(f"{APP_BASE}/login")
    assert browser.needs_login(start(client))


def test_the_login_page_says_so_after_the_provider_sent_the_browser_back(client, world, provider):
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    browser = ProviderBrowser()
    sign_in(client, "anna", browser=browser)
    page = client.post("/logout", data={"csrf_token": _csrf(client)}).get_data(as_text=True)
    assert "U bent uitgelogd bij Thuiszitters" in page
    back = browser.sign_out(_end_session_url(page))
    assert "U bent uitgelogd." in client.get(back.removeprefix(APP_BASE)).get_data(as_text=True)


def test_without_an_end_session_endpoint_sign_out_is_local_only(client, world, provider):
    provider.reset({"anna": account("sub-anna", "coord1@example.nl")}, logout=False)
    sign_in(client, "anna")
    response = client.post("/logout", data={"csrf_token": _csrf(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not logged_in(client)
    assert "Sluit uw browser" in client.get("/login").get_data(as_text=True)


def test_a_provider_that_is_down_at_sign_out_does_not_keep_anyone_signed_in(app, database_url, client, world,
                                                                            provider):
    """Signed in through the provider, then the provider stops answering; the sign-out is handled by another web
    worker (a new process: it has not read the provider's discovery document yet). The session here ends at once,
    and the page says to close the browser, since the provider's session could not be ended."""
    from thuiszitters import create_app

    provider.set_accounts({"anna": account("sub-anna-5e1d", "coord1@example.nl", name="Anna Geheimnaam")})
    sign_in(client, "anna")
    cookie = client.get_cookie("session").value
    other_worker = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                               **provider.app_settings()}).test_client()
    other_worker.set_cookie("session", cookie)
    token = _csrf(other_worker)
    log_lines: list[str] = []
    capture = logging.Handler()
    capture.emit = lambda record: log_lines.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("thuiszitters").addHandler(capture)
    provider.hang(6000)
    try:
        began = time.monotonic()
        response = other_worker.post("/logout", data={"csrf_token": token})
        assert time.monotonic() - began < 5  # OIDC_TIMEOUT_SECONDS is 2 in these tests
    finally:
        provider.hang(0)
        logging.getLogger("thuiszitters").removeHandler(capture)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Sluit uw browser" in other_worker.get("/login").get_data(as_text=True)
    assert not logged_in(other_worker)
    client.set_cookie("session", cookie)
    assert not logged_in(client)
    assert [line for line in log_lines if "logout at the provider skipped" in line] != []
    assert not any(secret in line for line in log_lines for secret in ("sub-anna-5e1d", "coord1@", "Geheimnaam"))


def test_a_password_login_signs_out_as_before(client, auth, world, provider):
    auth.login("coord1@example.nl")
    response = auth.logout()
    assert response.status_code == 302 and response.headers["Location"] == "/login"


# --- the provider's keys --------------------------------------------------------------------------------------

def test_a_key_rotation_at_the_provider_is_followed_with_one_fetch_of_its_keys(app, client, world, provider):
    provider.set_accounts({"anna": account("sub-anna", "coord1@example.nl")})
    sign_in(client, "anna")
    assert provider.stats()["/jwks"] == 1
    client.post("/logout", data={"csrf_token": _csrf(client)})
    sign_in(client, "anna")
    assert provider.stats()["/jwks"] == 1  # the keys are kept
    client.post("/logout", data={"csrf_token": _csrf(client)})

    provider.rotate_keys()  # the provider now signs with a key the app has not seen
    sign_in(client, "anna")
    assert logged_in(client)
    assert provider.stats()["/jwks"] == 2  # one fetch for the unknown key id
    client.post("/logout", data={"csrf_token": _csrf(client)})
    sign_in(client, "anna")
    assert logged_in(client)
    assert provider.stats()["/jwks"] == 2
    assert provider.stats()["/.well-known/openid-configuration"] == 1


def test_nothing_is_created_for_anyone(client, world, provider):
    before = db.session.scalar(select(func.count()).select_from(User))
    provider.set_accounts({"nieuw": account("sub-nieuw", "nieuw@example.nl")})
    sign_in(client, "nieuw")
    assert db.session.scalar(select(func.count()).select_from(User)) == before
    assert db.session.scalar(select(func.count()).select_from(OidcIdentity)) == 0


@pytest.mark.parametrize("endpoint", ["oidc.login", "oidc.callback", "oidc.identities", "oidc.unbind"])
def test_the_authorization_matrix_holds_with_a_provider_set_up(app, provider, endpoint):
    """The matrix's own checks (refusals, headers, no 5xx) for the new routes, now with a real provider behind
    them: /login/oidc sends anyone to the provider, a bare callback gets the Dutch page."""
    from tests.web.test_authorization_matrix import ROLES, RULES, Scene, _check

    assert RULES[endpoint]  # the rule that test_authorization_matrix.py holds for this route
    scene = Scene()
    assert [problem for role in ROLES for problem in _check(app, scene, endpoint, role)] == []
