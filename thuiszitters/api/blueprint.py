"""The API's blueprint: bearer tokens on every route but the OpenAPI document, content negotiation (406 for an
`Accept` the operation cannot give, from the media types the OpenAPI document declares), the API-Version header,
and CORS on the OpenAPI document (ADR /core/publish-openapi: any origin may read it)."""
from __future__ import annotations

from flask import Blueprint, g, request

from thuiszitters.accounts.services import user_for_token
from thuiszitters.api.openapi import API_VERSION, media_types
from thuiszitters.errors import NotAcceptable
from thuiszitters.extensions import csrf
from thuiszitters.http.problems import problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # tokens, not cookies: no CSRF possible


@bp.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if user is None:
        response = problem(401, "Niet geauthenticeerd",
                           "Stuur een geldige API-sleutel mee: Authorization: Bearer <sleutel>.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="thuiszitters"'
        return response
    g.api_user = user
    return None


@bp.before_request
def negotiate():
    # No Accept (or an empty one) accepts anything; otherwise one of the operation's media types must be acceptable.
    if request.url_rule is None or not request.accept_mimetypes:
        return
    available = media_types(request.url_rule.rule, request.method)
    if available and request.accept_mimetypes.best_match(available) is None:
        raise NotAcceptable(available)


@bp.after_app_request
def version_header(response):
    # On every answer under /api/v1, also those that never reached this blueprint: a 404 for an unknown path or
    # a trailing slash, a 405 from routing, a 500.
    if request.path == bp.url_prefix or request.path.startswith(f"{bp.url_prefix}/"):
        response.headers["API-Version"] = API_VERSION
        if request.endpoint == "api.openapi":
            response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.teardown_app_request
def forget_api_user(_exc):
    g.pop("api_user", None)
