"""Deny by default, and the headers every answer carries.

Every page needs a signed-in user except the allow-list `PUBLIC_ENDPOINTS`; the API authenticates its own bearer
tokens (api/blueprint.py). Once signed in, each check that an area adds with `add_signed_in_check` may still send the
user elsewhere first (accounts: the second factor's enrolment, when it is required).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from thuiszitters.extensions import login_manager
from thuiszitters.http.problems import is_api_request

# Endpoints anyone may reach without logging in. Everything else is denied by default.
# oidc.login and oidc.callback: the way in through the organisation's provider, so necessarily before login.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "auth.second_factor", "oidc.login", "oidc.callback", "static",
                              "main.accessibility", "main.healthz"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

SignedInCheck = Callable[[], ResponseReturnValue | None]
_CHECKS = "signed_in_checks"


def add_signed_in_check(app: Flask, check: SignedInCheck) -> None:
    """`check` runs for every signed-in page request after authentication; an answer it returns is sent instead."""
    app.extensions.setdefault(_CHECKS, []).append(check)


def deny_by_default() -> ResponseReturnValue | None:
    if request.endpoint in PUBLIC_ENDPOINTS or is_api_request():
        return None
    if request.endpoint is None:
        return None  # 404 follows
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    for check in current_app.extensions.get(_CHECKS, ()):
        answer = check()
        if answer is not None:
            return answer
    return None


def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.endpoint != "static":
        # Pages and API answers may hold personal data: never keep them in a cache.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if proxies:
        # The client's address (for login throttling) and scheme, as told by our own reverse proxy only.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.before_request(deny_by_default)
    app.after_request(security_headers)
