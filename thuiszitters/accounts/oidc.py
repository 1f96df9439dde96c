"""Sign-in through the organisation: the OpenID Connect client, built on Authlib.

Authlib does the protocol: the authorization code flow with ``state``, ``nonce`` and PKCE (S256), the code
exchange, and the ID token's checks (signature against the provider's published keys, issuer, audience, expiry,
nonce). The provider's discovery document and keys (JWKS) are kept per process; an ID token naming a key id that
is not among them makes Authlib fetch the keys once more, which is how a key rotation at the provider is followed.

What this module adds to Authlib:
- a timeout on every request to the provider (THUISZITTERS_OIDC_TIMEOUT_SECONDS), so a provider that hangs cannot
  hang a web worker;
- the discovery document must name the configured issuer, and so must the ``iss`` parameter of the callback
  (RFC 9207) when the provider sends one; the discovery document is read again after a day;
- the ID token's audience must contain our client id (Authlib on its own only refuses it through ``azp``); only
  asymmetric signature algorithms; a token response without an ID token is refused;
- every failure becomes one SignInRefused (oidc_rules.REFUSALS) carrying a reason code and protocol facts only
  (an error code, a claim name, an exception type; no e-mail address, no ``sub``, no token) for the log line.
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import FlaskOAuth2App, OAuth
from authlib.integrations.flask_client import OAuthError as AuthlibOAuthError
from flask import Flask, Response, current_app, request, url_for
from joserfc.errors import ClaimError, JoseError

from thuiszitters.accounts.oidc_rules import SignInRefused
from thuiszitters.settings import OidcSettings

log = logging.getLogger(__name__)

SCOPE = "openid email profile"
# Read the discovery document again after this long (endpoints can move; the keys are refreshed with it).
METADATA_MAX_AGE_SECONDS = 24 * 60 * 60
# ID tokens signed with anything else (a shared secret, or "none") are refused.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
_CLIENT_KEY = "oidc_client"
_SETTINGS_KEY = "oidc_settings"


class ProviderMisconfigured(Exception):
    """The provider's discovery document cannot be used (another issuer, no usable endpoints)."""


class _ProviderClient(FlaskOAuth2App):
    """Authlib's Flask client, with the discovery document checked and aged."""

    expected_issuer = ""

    def load_server_metadata(self) -> dict[str, Any]:
        loaded_at = self.server_metadata.get("_loaded_at")
        if loaded_at is not None and time.time() - loaded_at > METADATA_MAX_AGE_SECONDS:
            self.server_metadata = {}
        metadata = super().load_server_metadata()
        if metadata.get("issuer") != self.expected_issuer or not metadata.get("authorization_endpoint") \
                or not metadata.get("token_endpoint") or not metadata.get("jwks_uri"):
            self.server_metadata = {}  # try again next time: it may be fixed by then
            raise ProviderMisconfigured("discovery document")
        offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        usable = [alg for alg in offered if alg in SIGNING_ALGORITHMS]
        if not usable:
            self.server_metadata = {}
            raise ProviderMisconfigured("no asymmetric ID token signing algorithm")
        metadata["id_token_signing_alg_values_supported"] = usable
        return metadata


class _OAuth(OAuth):
    oauth2_client_cls = _ProviderClient


def init_app(app: Flask) -> None:
    """Register the provider with Authlib when THUISZITTERS_OIDC_ISSUER is set (one client per app)."""
    settings: OidcSettings | None = app.extensions.get(_SETTINGS_KEY)
    if settings is None or _CLIENT_KEY in app.extensions:
        return
    client = _OAuth(app).register(
        "oidc",
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=settings.discovery_url,
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": settings.timeout_seconds},
    )
    client.expected_issuer = settings.issuer
    app.extensions[_CLIENT_KEY] = client


def settings() -> OidcSettings | None:
    """The deployment's provider settings; None when sign-in through the organisation is not set up."""
    return current_app.extensions.get(_SETTINGS_KEY)


def _client() -> _ProviderClient:
    client = current_app.extensions.get(_CLIENT_KEY)
    if client is None:
        raise RuntimeError("sign-in through the organisation is not set up")
    return client


def _absolute(endpoint: str) -> str:
    """An address of this app as the provider must know it: from BASE_URL, never from the request's Host."""
    return str(current_app.config["BASE_URL"]).rstrip("/") + url_for(endpoint)


def _code(value: object) -> str:
    """A protocol error code, safe to log: letters, digits and ._- only, at most 40 characters."""
    return re.sub(r"[^A-Za-z0-9_.-]", "", str(value))[:40]


def authorization_redirect() -> Response:
    """The redirect to the provider's authorization endpoint; state, nonce and PKCE verifier go in the session."""
    try:
        return _client().authorize_redirect(_absolute("oidc.callback"))
    except ProviderMisconfigured as exc:
        raise SignInRefused("provider_misconfigured", str(exc)) from exc
    except (requests.RequestException, ValueError) as exc:
        raise SignInRefused("provider_unreachable", type(exc).__name__) from exc


@dataclass(frozen=True)
class ProviderSignIn:
    """A verified ID token: its issuer, its claims, and the token itself (the hint for signing out there)."""

    issuer: str
    claims: dict[str, Any]
    id_token: str


def finish_sign_in() -> ProviderSignIn:
    """Check the provider's callback and exchange the code; raises SignInRefused on anything wrong."""
    if "error" in request.args:
        raise SignInRefused("provider_error", _code(request.args["error"]))
    if not request.args.get("code") or not request.args.get("state"):
        raise SignInRefused("invalid_callback", "no code or state")
    client = _client()
    try:
        metadata = client.load_server_metadata()
        if "iss" in request.args and request.args["iss"] != metadata["issuer"]:
            raise SignInRefused("invalid_callback", "iss parameter")
        # Authlib checks the audience only through `azp`; ask it outright, with the issuer (OIDC Core 3.1.3.7).
        token = client.authorize_access_token(claims_options={
            "iss": {"essential": True, "values": [metadata["issuer"]]},
            "aud": {"essential": True, "values": [client.client_id]},
        })
    except MismatchingStateError as exc:
        raise SignInRefused("invalid_callback", "state") from exc
    except AuthlibOAuthError as exc:
        raise SignInRefused("code_refused", _code(exc.error)) from exc
    except ClaimError as exc:
        raise SignInRefused("id_token_invalid", f"{exc.error} {_code(exc.claim)}") from exc
    except (JoseError, AuthlibBaseError) as exc:
        raise SignInRefused("id_token_invalid", _code(exc.error) or type(exc).__name__) from exc
    except ProviderMisconfigured as exc:
        raise SignInRefused("provider_misconfigured", str(exc)) from exc
    except (requests.RequestException, ValueError) as exc:
        raise SignInRefused("provider_unreachable", type(exc).__name__) from exc
    except (KeyError, TypeError, RuntimeError) as exc:  # a token or key response without the expected shape
        raise SignInRefused("provider_misconfigured", type(exc).__name__) from exc
    claims = token.get("userinfo")
    if not token.get("id_token") or not claims or not claims.get("sub"):
        raise SignInRefused("id_token_invalid", "no id_token")
    return ProviderSignIn(issuer=metadata["issuer"], claims=dict(claims), id_token=token["id_token"])


def logout_url(id_token: str) -> str | None:
    """Where to end the session at the provider too (RP-initiated logout), or None when it offers no such thing
    or cannot be reached. The provider sends the browser back to the login page."""
    if settings() is None:
        return None
    client = _client()
    try:
        metadata = client.load_server_metadata()
    except (ProviderMisconfigured, requests.RequestException, ValueError) as exc:
        log.warning("oidc logout at the provider skipped: %s", type(exc).__name__)
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client.create_logout_url(post_logout_redirect_uri=_absolute("auth.login"), id_token_hint=id_token,
                                    client_id=client.client_id)["url"]
