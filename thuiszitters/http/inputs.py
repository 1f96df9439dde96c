"""What the web edge accepts before any view runs: strict JSON bodies, 32-bit ids in URLs, page numbers, no NUL.

`App` is the Flask class of this app: its JSON provider and URL converters are these, from the first route on.
"""
from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, Request, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, RequestURITooLarge
from werkzeug.routing import IntegerConverter, Map

from thuiszitters.http.problems import is_api_request
from thuiszitters.parsing import MAX_ID, ParseError, page_number


class IdConverter(IntegerConverter):
    """`<int:...>` in our URLs: database ids are 32-bit, so a larger number matches no route (404, not a 500)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


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


class _UrlMap(Map):
    default_converters = {**Map.default_converters, "int": IdConverter}


# Room in an upload's body for the form around the file (the other fields, the multipart boundaries).
UPLOAD_FORM_ROOM = 64 * 1024


class _Request(Request):
    """A request whose body may be larger on the routes that take a file (`App.upload_limits`)."""

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        limits: dict[str, str] = getattr(current_app, "upload_limits", {})
        setting = limits.get(self.endpoint or "")
        if setting is not None:
            return int(current_app.config[setting]) + UPLOAD_FORM_ROOM
        return super().max_content_length


class App(Flask):
    """Flask with this app's request rules: strict JSON bodies, 32-bit ids in URLs, and a larger body only on the
    routes that take a file."""

    json_provider_class = StrictJSONProvider
    url_map_class = _UrlMap
    request_class = _Request

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # endpoint -> the setting that bounds its file (the body may be that plus UPLOAD_FORM_ROOM); registered by
        # the area that owns the route (documents/views.py, api/documents.py).
        self.upload_limits: dict[str, str] = {}


class InvalidPage(BadRequest):
    """A `?page=` (or Flask-SQLAlchemy's `?per_page=`) that is no page number: the Dutch 400 page, not a 500."""

    description = "Het paginanummer in het adres klopt niet. Gebruik de knoppen onder de lijst om te bladeren."


def refuse_nul_characters() -> None:
    # No text column (PostgreSQL) can hold U+0000 and no person types it: refuse it at the edge, not as a 500.
    # A multipart part without a name (an upload crafted by hand) is read as the key None.
    fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
    if any("\x00" in (key or "") or "\x00" in (value or "") for key, value in fields) or (
        request.is_json and b"\\u0000" in request.get_data(cache=True)
    ):
        abort(400)


# The longest address (path and query) the app reads. gunicorn refuses a request line over its own limit before the
# app sees it (config/gunicorn.conf.py sets the highest it allows); below that the answer is the app's own 414, with
# a problem+json body under /api/v1.
MAX_ADDRESS_LENGTH = 4096


class AddressTooLong(RequestURITooLarge):
    description = "Het adres is te lang. Kies minder filters of een kortere zoekterm."


def refuse_long_addresses() -> None:
    if len(request.full_path) > MAX_ADDRESS_LENGTH:
        raise AddressTooLong()


def check_page_arguments() -> None:
    # Flask-SQLAlchemy's paginate() reads ?page= and ?per_page= itself, with int() and no upper bound (a huge
    # page overflowed the database OFFSET). Checked here once for every page, also the lists still to come.
    # The API reads its own page and pageSize and names them with its other invalid fields.
    if is_api_request():
        return
    for name in ("page", "per_page"):
        raw = request.args.get(name)
        if raw is not None:
            try:
                page_number(raw, name)
            except ParseError:
                raise InvalidPage() from None


def init_app(app: Flask) -> None:
    app.before_request(refuse_long_addresses)
    app.before_request(refuse_nul_characters)
    app.before_request(check_page_arguments)
