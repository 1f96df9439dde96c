"""Blueprint registration, request hooks and error pages: the app's edge."""
from __future__ import annotations

import json
import logging
import math
from typing import Any

from flask import Flask, flash, g, make_response, redirect, render_template, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import IntegerConverter

from thuiszitters.errors import DomainError, ValidationFailed
from thuiszitters.extensions import db, login_manager
from thuiszitters.parsing import ParseError, page_number, record_id
from thuiszitters.redirects import local_target

log = logging.getLogger(__name__)

# Endpoints anyone may reach without logging in. Everything else is denied by default.
# oidc.login and oidc.callback: the way in through the organisation's provider, so necessarily before login.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "auth.second_factor", "oidc.login", "oidc.callback", "static",
                              "main.accessibility", "main.healthz"})


class IdConverter(IntegerConverter):
    """`<int:...>` in our URLs: database ids are 32-bit, so a larger number matches no route (404, not a 500)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = 2**31 - 1,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    from thuiszitters.accounts.admin_views import bp as admin_bp
    from thuiszitters.accounts.oidc_views import bp as oidc_bp
    from thuiszitters.accounts.views import bp as auth_bp
    from thuiszitters.api import bp as api_bp
    from thuiszitters.audit.views import bp as audit_bp
    from thuiszitters.cases.views import bp as cases_bp
    from thuiszitters.dashboard.views import bp as dashboard_bp
    from thuiszitters.exports.views import bp as exports_bp
    from thuiszitters.main import bp as main_bp
    from thuiszitters.reminders.views import bp as alerts_bp
    from thuiszitters.reports.views import bp as reports_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(oidc_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(alerts_bp)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


class StrictJSONProvider(DefaultJSONProvider):
    """Request bodies are RFC 8259 JSON: no NaN or Infinity, no number beyond a float, no endless nesting.

    Each of these is a ValueError, which Flask's get_json() turns into "not JSON" (a 400 problem), where
    Python's json module would have let NaN through or raised RecursionError (a 500) at 5,000 levels deep.
    """

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_constant", _refuse_constant)
        kwargs.setdefault("parse_float", _finite_float)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


class InvalidPage(BadRequest):
    """A `?page=` (or Flask-SQLAlchemy's `?per_page=`) that is no page number: the Dutch 400 page, not a 500."""

    description = "Het paginanummer in het adres klopt niet. Gebruik de knoppen onder de lijst om te bladeren."


def _back() -> str:
    """The page the user came from (the Referer, only when it is a page of this site), else the start page."""
    return local_target(request.referrer, own_host=request.host) or url_for("main.index")


def register_hooks(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client's address (for login throttling) and scheme, as told by our own reverse proxy only.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    app.json = StrictJSONProvider(app)

    @login_manager.user_loader
    def load_user(session_id: str):
        from thuiszitters.accounts.models import User

        user_id, _, epoch = session_id.partition(":")
        user = db.session.get(User, key) if (key := record_id(user_id)) is not None else None
        # A bumped epoch (deactivation, password or scope change) ends every existing session.
        if user is None or not user.active or str(user.session_epoch) != epoch:
            return None
        return user

    @app.before_request
    def refuse_nul_characters():
        # No text column (PostgreSQL) can hold U+0000 and no person types it: refuse it at the edge, not as a 500.
        fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
        if any("\x00" in key or "\x00" in value for key, value in fields) or (
            request.is_json and b"\\u0000" in request.get_data(cache=True)
        ):
            from flask import abort

            abort(400)
        return None

    @app.before_request
    def check_page_arguments():
        # Flask-SQLAlchemy's paginate() reads ?page= and ?per_page= itself, with int() and no upper bound (a huge
        # page overflowed the database OFFSET). Checked here once for every page, also the lists still to come.
        # The API reads its own page and pageSize and names them with its other invalid fields.
        if is_api_request():
            return None
        for name in ("page", "per_page"):
            raw = request.args.get(name)
            if raw is not None:
                try:
                    page_number(raw, name)
                except ParseError:
                    raise InvalidPage() from None
        return None

    @app.before_request
    def deny_by_default():
        if request.endpoint in PUBLIC_ENDPOINTS or is_api_request():
            return None
        if request.endpoint is None:
            return None  # 404 follows
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        from thuiszitters.accounts.views import enrolment_redirect

        return enrolment_redirect()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint != "static":
            # Pages and API answers may hold personal data: never keep them in a cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def inject_globals():
        from thuiszitters.clock import today
        from thuiszitters.formatting import format_date

        return {"today": today(), "fmt_date": format_date}

    from thuiszitters.formatting import register_filters

    register_filters(app)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()  # a refused action saves nothing, also not what was flushed before the refusal
        if is_api_request():
            from thuiszitters.api.problems import problem_from_domain

            return problem_from_domain(exc)
        if isinstance(exc, ValidationFailed):
            for param in exc.params:
                flash(param.reason, "error")
            return redirect(_back())
        if exc.status in (403, 404):
            return render_template("errors/error.html", status=exc.status, title=exc.title,
                                   detail=exc.detail), exc.status
        flash(exc.detail, "error")
        return redirect(_back())

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render_template(
            "errors/error.html", status=400, title="Formulier verlopen",
            detail="Het formulier was verlopen of ongeldig. Laad de pagina opnieuw en probeer het nog eens.",
        ), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if is_api_request():
            from thuiszitters.api.problems import problem

            response = problem(exc.code or 500, exc.name, exc.description or exc.name)
        else:
            titles = {404: "Pagina niet gevonden", 403: "Geen toegang", 405: "Niet toegestaan",
                      400: "Ongeldig verzoek", 413: "Bestand te groot"}
            response = make_response(render_template(
                "errors/error.html", status=exc.code, title=titles.get(exc.code or 0, exc.name),
                detail=exc.description if isinstance(exc, InvalidPage) else "",
            ), exc.code)
        # What the exception says about itself beyond the body: Allow on a 405, WWW-Authenticate on a 401, ...
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        # Log the type and request id only: exception text can hold personal data.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.endpoint,
                  exc_info=app.debug or app.testing)
        db.session.rollback()
        if is_api_request():
            from thuiszitters.api.problems import problem

            return problem(500, "Interne fout", "Er ging iets mis. De fout is gelogd.")
        return render_template("errors/error.html", status=500, title="Er ging iets mis",
                               detail="De fout is gelogd. Probeer het later opnieuw."), 500

    @app.teardown_request
    def _clear(_exc):
        g.pop("api_user", None)

