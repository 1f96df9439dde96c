"""Sign-in through the organisation that must let nobody in, against a real OpenID Provider on loopback.

Every refusal answers a Dutch page (never a 500), leaves no logged-in session, and writes one log line that names
the reason and no personal data (no e-mail address, no ``sub``, no name, no token).
"""
from __future__ import annotations

import json
import logging
import socket
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests import factories
from tests.oidc import OTHER_CLIENT_ID, ProviderBrowser, account, params, with_param
from thuiszitters import create_app
from thuiszitters.accounts.models import OidcIdentity, User, UserSession
from thuiszitters.extensions import db
from thuiszitters.logs import JsonFormatter

ANNA = account("sub-anna-7f3a", "coord1@example.nl", name="Anna Geheimnaam")
PERSONAL = ("sub-anna-7f3a", "coord1@example.nl", "Anna Geheimnaam", "coord2@example.nl", "sub-other-19c2")


@pytest.fixture
def app_overrides(provider):
    return provider.app_settings()


@pytest.fixture
def world(app, provider):
    w = factories.world()
    db.session.commit()
    provider.set_accounts({"anna": ANNA})
    return w


@pytest.fixture
def log_lines():
    """JSON log lines of the app, as they would reach the log."""
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(JsonFormatter().format(record))

    logger = logging.getLogger("thuiszitters")
    handler = Capture()
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def start(client) -> str:
    response = client.get("/login/oidc")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def assert_refused(client, response, status: int, text: str, log_lines: list[str], reason: str,
                   detail: str = "", *, other_sessions: int = 0) -> None:
    """The Dutch page, no session, and exactly the expected log line without personal data.

    ``other_sessions``: logged-in sessions of others that exist on purpose (the victim of a replay)."""
    html = response.get_data(as_text=True)
    assert response.status_code == status, html
    assert text in html
    assert "Inloggen met e-mailadres en wachtwoord" in html
    assert client.get("/account/tweestapsverificatie").status_code == 302  # not logged in
    assert db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id.is_not(None))) == other_sessions
    refusals = [json.loads(line) for line in log_lines if "oidc sign-in refused" in line]
    assert len(refusals) == 1, log_lines
    message = refusals[0]["message"]
    assert message.startswith(f"oidc sign-in refused: {reason}"), message
    assert detail in message
    for line in log_lines:
        for secret in PERSONAL:
            assert secret not in line, f"{secret!r} in log line {line}"
        assert "eyJ" not in line  # no token


# --- forged or replayed callbacks ----------------------------------------------------------------------------

def test_a_callback_with_a_forged_state_is_refused(client, world, log_lines):
    callback = ProviderBrowser().authorize(start(client), "anna")
    response = client.get(with_param(callback, state="forged-state-value"))
    assert_refused(client, response, 400, "Deze inlogpoging is niet geldig", log_lines, "invalid_callback", "state")


def test_a_callback_without_code_or_state_is_refused(client, world, log_lines):
    response = client.get("/login/oidc/callback")
    assert_refused(client, response, 400, "Deze inlogpoging is niet geldig", log_lines, "invalid_callback")


def test_a_callback_replayed_in_another_browser_is_refused(app, client, world, log_lines):
    callback = ProviderBrowser().authorize(start(client), "anna")
    assert client.get(callback).status_code == 302  # the real sign-in
    attacker = app.test_client()
    response = attacker.get(callback)
    assert_refused(attacker, response, 400, "Deze inlogpoging is niet geldig", log_lines, "invalid_callback", "state",
                   other_sessions=1)


def test_a_callback_replayed_in_the_same_browser_is_refused(client, world, log_lines):
    callback = ProviderBrowser().authorize(start(client), "anna")
    client.get(callback)
    client.post("/logout", data={"csrf_token": _csrf(client)})
    response = client.get(callback)
    assert_refused(client, response, 400, "Deze inlogpoging is niet geldig", log_lines, "invalid_callback", "state")


def test_a_used_code_is_refused_by_the_provider_even_with_a_valid_state(app, client, world, log_lines):
    callback = ProviderBrowser().authorize(start(client), "anna")
    client.get(callback)
    # An attacker starts their own sign-in (a state of their own) and sends the victim's used code with it.
    attacker = app.test_client()
    own_state = params(start(attacker))["state"]
    response = attacker.get(with_param(callback, state=own_state))
    assert_refused(attacker, response, 400, "Deze inlogpoging is niet geldig", log_lines, "code_refused",
                   "invalid_grant", other_sessions=1)


def test_a_code_stolen_before_its_use_is_refused_by_the_provider_for_want_of_the_pkce_verifier(app, client, world,
                                                                                               log_lines):
    """Code injection: an attacker intercepts the victim's callback before the victim's browser opens it and puts
    the unused code into a sign-in of their own (their own state, nonce and PKCE verifier). Only the victim's
    browser holds the verifier that matches the code's S256 challenge, so the provider does not exchange it."""
    callback = ProviderBrowser().authorize(start(client), "anna")
    attacker = app.test_client()
    own_state = params(start(attacker))["state"]
    response = attacker.get(with_param(callback, state=own_state))
    assert_refused(attacker, response, 400, "Deze inlogpoging is niet geldig", log_lines, "code_refused",
                   "invalid_grant")
    assert db.session.scalar(select(func.count()).select_from(OidcIdentity)) == 0


def test_an_id_token_with_another_nonce_is_refused(client, world, log_lines):
    authorization = with_param(start(client), nonce="a-nonce-the-app-never-sent")
    response = client.get(ProviderBrowser().authorize(authorization, "anna"))
    assert_refused(client, response, 400, "niet betrouwbaar", log_lines, "id_token_invalid", "nonce")


def test_an_iss_parameter_of_another_issuer_is_refused(client, world, log_lines):
    callback = ProviderBrowser().authorize(start(client), "anna")
    response = client.get(with_param(callback, iss="https://evil.example"))
    assert_refused(client, response, 400, "Deze inlogpoging is niet geldig", log_lines, "invalid_callback", "iss")


def test_an_error_from_the_provider_is_shown_in_dutch(client, world, log_lines):
    response = client.get(ProviderBrowser().authorize(start(client), cancel=True))
    assert_refused(client, response, 400, "Uw organisatie heeft het inloggen afgebroken", log_lines,
                   "provider_error", "access_denied")


# --- ID tokens that are not to be trusted --------------------------------------------------------------------

def test_an_id_token_issued_to_another_client_is_refused(client, world, provider, log_lines):
    """Token substitution: a genuine ID token of this provider, for another app (even with our nonce)."""
    authorization = start(client)
    nonce = params(authorization)["nonce"]
    other = _token_for_other_client(provider, nonce)
    provider.substitute_next_token(id_token=other["id_token"], access_token=other["access_token"])
    response = client.get(ProviderBrowser().authorize(authorization, "anna"))
    assert_refused(client, response, 400, "niet betrouwbaar", log_lines, "id_token_invalid", "aud")


@pytest.mark.parametrize(("change", "detail"), [
    ({"forge": "same-kid"}, "bad_signature"),
    ({"resign": {"iss": "https://evil.example"}}, "iss"),
    ({"resign": {"aud": OTHER_CLIENT_ID, "azp": "thuiszitters"}}, "aud"),  # our id as azp only: not for us
    ({"resign": {"aud": [OTHER_CLIENT_ID, "a-third-app"]}}, "aud"),
    ({"resign": {"exp": 1_000_000_000, "iat": 999_999_000}}, "exp"),
])
def test_a_forged_or_expired_id_token_is_refused(client, world, provider, log_lines, change, detail):
    provider.substitute_next_token(**change)
    response = client.get(ProviderBrowser().authorize(start(client), "anna"))
    assert_refused(client, response, 400, "niet betrouwbaar", log_lines, "id_token_invalid", detail)


def test_a_key_the_provider_never_published_is_refused_after_one_fetch_of_its_keys(client, world, provider,
                                                                                   log_lines):
    authorization = start(client)
    provider.substitute_next_token(forge="unknown-kid")
    response = client.get(ProviderBrowser().authorize(authorization, "anna"))
    assert_refused(client, response, 400, "niet betrouwbaar", log_lines, "id_token_invalid")
    assert provider.stats()["/jwks"] == 2  # the cached keys, and one more look for the unknown key id


# --- people who may not come in ------------------------------------------------------------------------------

@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_unverified_email_address_is_refused(client, world, provider, log_lines, verified):
    provider.set_accounts({"anna": account("sub-anna-7f3a", "coord1@example.nl", verified=verified)})
    response = client.get(ProviderBrowser().authorize(start(client), "anna"))
    assert_refused(client, response, 403, "Uw e-mailadres is niet bevestigd", log_lines, "email_unverified")
    assert db.session.scalar(select(func.count()).select_from(OidcIdentity)) == 0


def test_no_email_address_at_all_is_refused(client, world, provider, log_lines):
    provider.set_accounts({"anna": account("sub-anna-7f3a", None)})
    response = client.get(ProviderBrowser().authorize(start(client), "anna"))
    assert_refused(client, response, 403, "Uw e-mailadres is niet bevestigd", log_lines, "email_unverified")


def test_an_unknown_person_is_refused_and_nothing_is_created(client, world, provider, log_lines):
    users = db.session.scalar(select(func.count()).select_from(User))
    provider.set_accounts({"anna": account("sub-anna-7f3a", "niemand@example.nl")})
    response = client.get(ProviderBrowser().authorize(start(client), "anna"))
    assert_refused(client, response, 403, "Geen account in Thuiszitters", log_lines, "unknown_account")
    assert "niemand@example.nl" not in " ".join(log_lines)
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    assert db.session.scalar(select(func.count()).select_from(OidcIdentity)) == 0


def test_a_deactivated_account_is_refused_at_the_first_sign_in(client, world, log_lines):
    world.coordinator.active = False
    db.session.commit()
    response = client.get(ProviderBrowser().authorize(start(client), "anna"))
    assert_refused(client, response, 403, "Uw account is gedeactiveerd", log_lines, "account_deactivated")
    assert db.session.scalar(select(func.count()).select_from(OidcIdentity)) == 0


def test_a_deactivated_account_is_refused_after_it_was_bound(client, world, log_lines):
    client.get(ProviderBrowser().authorize(start(client), "anna"))
    client.post("/logout", data={"csrf_token": _csrf(client)})
    db.session.get(User, world.coordinator.id).active = False
    db.session.commit()
    log_lines.clear()
    response = client.get(ProviderBrowser().authorize(start(client), "anna"))
    assert_refused(client, response, 403, "Uw account is gedeactiveerd", log_lines, "account_deactivated")


def test_an_email_match_to_an_account_bound_to_another_sub_is_refused(client, world, provider, log_lines):
    client.get(ProviderBrowser().authorize(start(client), "anna"))  # coord1 is now bound to Anna's sub
    client.post("/logout", data={"csrf_token": _csrf(client)})
    # Someone else at the provider gets (or is given) coord1's address.
    provider.set_accounts({"other": account("sub-other-19c2", "coord1@example.nl")})
    log_lines.clear()
    response = client.get(ProviderBrowser().authorize(start(client), "other"))
    assert_refused(client, response, 403, "hoort bij iemand anders", log_lines, "account_bound_elsewhere")
    identity = db.session.scalar(select(OidcIdentity))
    assert identity.subject == "sub-anna-7f3a"  # not re-bound


# --- anything at all ------------------------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=TEXT, state=st.one_of(st.none(), TEXT), error=st.one_of(st.none(), TEXT),
       iss=st.one_of(st.none(), TEXT))
def test_any_callback_gets_a_page_and_never_a_server_error_or_a_session(app, client, world, code, state, error,
                                                                        iss):
    """Random and hostile callbacks; without a given state the one of a real start is used, so the code goes to
    the real provider's token endpoint."""
    query = {"code": code, "state": state if state is not None else params(start(client))["state"]}
    if error is not None:
        query["error"] = error
    if iss is not None:
        query["iss"] = iss
    response = client.get("/login/oidc/callback", query_string=query)
    assert response.status_code in (400, 403)
    assert client.get("/account/tweestapsverificatie").status_code == 302


# --- a provider that is down ----------------------------------------------------------------------------------

def _app_for_issuer(database_url: str, issuer: str):
    """A second app, for a provider at another address (create_app resets the log handlers: keep the capture)."""
    logger = logging.getLogger("thuiszitters")
    handlers = list(logger.handlers)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "OIDC_ISSUER": issuer,
                      "OIDC_CLIENT_ID": "thuiszitters", "OIDC_CLIENT_SECRET": "x", "OIDC_TIMEOUT_SECONDS": 1})
    logger.handlers[:] = handlers
    return app


def test_a_provider_that_refuses_connections_gets_a_dutch_page(database_url, world, log_lines):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    client = _app_for_issuer(database_url, f"http://127.0.0.1:{closed_port}").test_client()
    response = client.get("/login/oidc")
    assert_refused(client, response, 503, "Uw organisatie is niet bereikbaar", log_lines, "provider_unreachable",
                   "ConnectionError")


def test_a_provider_that_never_answers_times_out(database_url, world, log_lines):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    try:
        client = _app_for_issuer(database_url, f"http://127.0.0.1:{silent.getsockname()[1]}").test_client()
        began = time.monotonic()
        response = client.get("/login/oidc")
        assert time.monotonic() - began < 5
        assert_refused(client, response, 503, "Uw organisatie is niet bereikbaar", log_lines,
                       "provider_unreachable", "Timeout")
    finally:
        silent.close()


def test_a_provider_that_hangs_at_the_code_exchange_times_out(client, world, provider, log_lines):
    callback = ProviderBrowser().authorize(start(client), "anna")
    provider.hang(6000)
    try:
        began = time.monotonic()
        response = client.get(callback)
        assert time.monotonic() - began < 5  # OIDC_TIMEOUT_SECONDS is 2 in these tests
    finally:
        provider.hang(0)
    assert_refused(client, response, 503, "Uw organisatie is niet bereikbaar", log_lines, "provider_unreachable",
                   "Timeout")


def test_a_discovery_document_of_another_issuer_is_refused(database_url, world, provider, log_lines):
    # The same provider, configured under another name: its discovery document names another issuer.
    other_name = provider.issuer.replace("127.0.0.1", "localhost")
    client = _app_for_issuer(database_url, other_name).test_client()
    response = client.get("/login/oidc")
    assert_refused(client, response, 502, "niet goed ingesteld", log_lines, "provider_misconfigured")


# --- helpers --------------------------------------------------------------------------------------------------

def _csrf(client) -> str:
    from tests.conftest import csrf_from

    return csrf_from(client.get("/toegankelijkheid").get_data(as_text=True))


def _token_for_other_client(provider, nonce: str) -> dict:
    """A real sign-in at the provider by another app (as that app would do it), carrying the given nonce."""
    import base64
    import hashlib
    import secrets

    import requests

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = "http://thuiszitters.test/login/oidc/callback"
    authorization = with_param(f"{provider.issuer}/auth", response_type="code", client_id=OTHER_CLIENT_ID,
                               scope="openid email profile", redirect_uri=redirect_uri, state="other-app-state",
                               nonce=nonce, code_challenge=challenge, code_challenge_method="S256")
    callback = ProviderBrowser().authorize(authorization, "anna")
    from tests.oidc import CLIENT_SECRET

    token = requests.post(f"{provider.issuer}/token", timeout=10, auth=(OTHER_CLIENT_ID, CLIENT_SECRET), data={
        "grant_type": "authorization_code", "code": params(callback)["code"], "redirect_uri": redirect_uri,
        "code_verifier": verifier})
    token.raise_for_status()
    return token.json()
