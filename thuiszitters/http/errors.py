"""The one place where an exception becomes what the user sees: a page, a flash, form errors or problem+json.

Views and API endpoints call services and let their refusals (thuiszitters.errors) pass; nothing is saved of a
refused action (the session is rolled back here). What the user then sees:

* API (/api/): `application/problem+json`, naming every invalid field as the client sent it (http/problems.py).
* A form whose view called `refusals_shown_on(form, page)` before the service: the form again, with each invalid
  field's message beside that field (or above the form), and the status of the refusal; `page` draws what only it
  knows how to (the other person's changes after a stale edit, the steps the interventieteam gate misses).
* Any other page: 403 and 404 as an error page; an invalid input or another refusal as a flash message on the
  page the user came from.

HTTP errors (404, 405, a CSRF failure, ...) and unexpected exceptions get the Dutch error page or a problem, never a
stack trace; the log names the exception type only.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from thuiszitters.errors import DomainError, GateRefused, StaleVersion, ValidationFailed, VersionRequired
from thuiszitters.extensions import db
from thuiszitters.http.inputs import AddressTooLong, InvalidPage
from thuiszitters.http.problems import is_api_request, problem, problem_from_domain
from thuiszitters.http.redirects import local_target

log = logging.getLogger(__name__)

HTTP_TITLES = {404: "Pagina niet gevonden", 403: "Geen toegang", 405: "Niet toegestaan", 400: "Ongeldig verzoek",
               413: "Bestand te groot", 414: "Adres te lang"}
HTTP_DETAILS = {413: "Wat u verstuurde is te groot. Een document mag hoogstens 20 MB zijn; ga terug en kies een "
                     "kleiner bestand."}
# A form posted without the version it was loaded with (the API says If-Match instead).
FORM_WITHOUT_VERSION = ("Het formulier mist de versie van de casus. Laad de pagina opnieuw en probeer het nog "
                        "eens.")
_REFUSAL_PAGE = "refusal_page"


@dataclass(frozen=True)
class Refusal:
    """A service refused what a form asked: the refusal, and the status the form's page answers with."""

    error: DomainError
    status: int


@dataclass(frozen=True)
class _RefusalPage:
    form: Any
    page: Callable[[Refusal], ResponseReturnValue]
    field_names: Mapping[str, str]

    def show(self, exc: DomainError) -> ResponseReturnValue:
        form = self.form
        if isinstance(exc, ValidationFailed):
            for param in exc.params:
                field = form._fields.get(self.field_names.get(param.name, param.name))
                if field is not None and field.type not in ("HiddenField", "CSRFTokenField"):
                    # The form's own message comes first: it is about what was typed, the service's about what
                    # the form could read of it (a date it could not read arrives as "missing").
                    if not field.errors:
                        field.errors = [param.reason]
                elif param.reason not in form.form_errors:
                    form.form_errors.append(param.reason)
            status = exc.status  # 400; 413 or 415 for a file too large or of a type not allowed
        elif isinstance(exc, VersionRequired):
            form.form_errors.append(FORM_WITHOUT_VERSION)
            status = 400
        elif isinstance(exc, StaleVersion):
            if "version" in form._fields:
                form.version.data = str(exc.current_version)  # the resubmit is deliberate, against what is stored
            status = 409
        elif isinstance(exc, GateRefused):
            status = 409  # the page lists the missing steps
        else:
            form.form_errors.append(exc.detail)
            status = exc.status
        return self.page(Refusal(exc, status))


def refusals_shown_on(form: Any, page: Callable[[Refusal], ResponseReturnValue], *,
                      field_names: Mapping[str, str] | None = None) -> None:
    """A service refusal later in this request is shown on `form`, drawn by `page(refusal)`.

    Service problems name model attributes, which are the form's field names; `field_names` maps the few that are
    not (a service's name -> the form field's name).
    """
    setattr(g, _REFUSAL_PAGE, _RefusalPage(form, page, field_names or {}))


def form_accepted(form: Any, page: Callable[[Refusal], ResponseReturnValue], *,
                  check: Callable[[], object] | None = None,
                  field_names: Mapping[str, str] | None = None) -> bool:
    """Whether `form` was posted and its own checks pass; the view then calls its service.

    Either way a service refusal is shown on the form (`refusals_shown_on`). When the form's own checks fail,
    `check()` runs the service's checks on what the form could read (it changes nothing and raises
    ValidationFailed), so every wrong field is named in one round: the form's messages and the service's (unknown
    codes, the BSN's 11-proef, a first day in the future) together.
    """
    if not form.is_submitted():
        return False
    accepted = form.validate()
    refusals_shown_on(form, page, field_names=field_names)
    if not accepted and check is not None:
        check()
    return accepted


def _back() -> str:
    """The page the user came from (the Referer, only when it is a page of this site), else the start page."""
    return local_target(request.referrer, own_host=request.host) or url_for("main.index")


def _error_page(status: int, title: str, detail: str = "") -> ResponseReturnValue:
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def domain_error(exc: DomainError) -> ResponseReturnValue:
    db.session.rollback()  # a refused action saves nothing, also not what was flushed before the refusal
    if is_api_request():
        return problem_from_domain(exc)
    refusal_page: _RefusalPage | None = g.pop(_REFUSAL_PAGE, None)
    if refusal_page is not None and exc.status not in (403, 404):
        return refusal_page.show(exc)
    if isinstance(exc, ValidationFailed):
        for param in exc.params:
            flash(param.reason, "error")
        return redirect(_back())
    if exc.status in (403, 404):
        return _error_page(exc.status, exc.title, exc.detail)
    flash(exc.detail, "error")
    return redirect(_back())


def csrf_error(exc: CSRFError) -> ResponseReturnValue:
    return _error_page(400, "Formulier verlopen",
                       "Het formulier was verlopen of ongeldig. Laad de pagina opnieuw en probeer het nog eens.")


def _no_route_for_any_method(exc: MethodNotAllowed) -> bool:
    """Werkzeug answers 405 when a rule for another method matched the path's shape, also when that rule's own
    converter then refuses the value (an id beyond 32 bits): then the path exists for no method, so it is a 404."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in exc.valid_methods or ():
        try:
            adapter.match(method=method)
        except RequestRedirect:
            return False
        except HTTPException:
            continue
        return False
    return True


def http_error(exc: HTTPException) -> ResponseReturnValue:
    if isinstance(exc, MethodNotAllowed) and _no_route_for_any_method(exc):
        exc = NotFound()
    if is_api_request():
        response = problem(exc.code or 500, exc.name, exc.description or exc.name)
    else:
        response = make_response(render_template(
            "errors/error.html", status=exc.code, title=HTTP_TITLES.get(exc.code or 0, exc.name),
            detail=exc.description if isinstance(exc, InvalidPage | AddressTooLong)
            else HTTP_DETAILS.get(exc.code or 0, ""),
        ), exc.code)
    # What the exception says about itself beyond the body: Allow on a 405, WWW-Authenticate on a 401, ...
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def unexpected_error(exc: Exception) -> ResponseReturnValue:
    # Log the type and request id only: exception text can hold personal data.
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.endpoint,
              exc_info=current_app.debug or current_app.testing)
    db.session.rollback()
    if is_api_request():
        return problem(500, "Interne fout", "Er ging iets mis. De fout is gelogd.")
    return _error_page(500, "Er ging iets mis", "De fout is gelogd. Probeer het later opnieuw.")


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, domain_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected_error)
