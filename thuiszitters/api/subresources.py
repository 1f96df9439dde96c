"""What the endpoints of a case's sub-resources share (the network, the journal, the plan and the meetings,
API.md "Casework"): the case in scope, the If-Match of a versioned object, one 400 for the request's own problems
together with the rules' problems, the ETag on a response, and a logged page of a list.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from flask import Response, current_app, g, jsonify, request

from thuiszitters.api import inputs as p
from thuiszitters.cases.models import Case
from thuiszitters.cases.scope import get_visible_case
from thuiszitters.errors import InvalidParam, InvalidRequest, StaleVersion, VersionRequired
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require


class Versioned(Protocol):
    version: int


def load_case(case_id: int, capability: Capability | None = None) -> Case:
    """The case in the API user's scope (404 first: out of scope must not learn it exists), then the capability
    (403 before the body is read)."""
    require(g.api_user, Capability.READ_CASES)
    case = get_visible_case(g.api_user, case_id)
    if capability is not None:
        require(g.api_user, capability)
    return case


def version_to_change(current: Versioned) -> int:
    """The version a change may be based on, by If-Match as for a case (RFC 9110 13.1.1, api/cases.py): `*` or the
    object's strong ETag is its current version; another version is a 412 from the service; anything else a 412."""
    condition = p.if_match(request.headers.get("If-Match"))
    if condition is None:
        raise VersionRequired("Stuur de versie mee (If-Match, de ETag van het object) om een wijziging te doen.")
    if condition.matches(f'"{current.version}"'):
        return current.version
    named = condition.versions()
    if named:
        return max(named)
    raise StaleVersion(current.version, detail="Iemand anders heeft dit gewijzigd nadat u het las. Uw wijziging "
                                               "is niet opgeslagen.")


def refuse_together(own: list[InvalidParam], rule_problems: Callable[[], list[InvalidParam]],
                    names: dict[str, str]) -> None:
    """With any problem of the request itself (``own``), raise one 400 that also names the rules' problems with the
    other fields (``names``: the rules' attribute names as the body spells them). Without one, return: the service
    checks its rules again when it saves."""
    if own:
        named = {problem.name for problem in own}
        own += [renamed for problem in rule_problems()
                if (renamed := InvalidParam(names.get(problem.name, problem.name), problem.code,
                                            problem.reason)).name not in named]
        raise InvalidRequest(own)


def parse_body(fields: list[p.Field], check: Callable[[dict[str, Any]], list[InvalidParam]], *,
               partial: bool = False) -> dict[str, Any]:
    """The JSON body's values by ``fields``, refused together with ``check``'s problems (`refuse_together`)."""
    problems: list[InvalidParam] = []
    values = p.parse(p.json_body(), fields, partial=partial, problems=problems)
    refuse_together(problems, lambda: check(values), {f.attr: f.name for f in fields})
    return values


def versioned_response(body: dict[str, Any], version: int, status: int = 200,
                       location: str | None = None) -> Response:
    """``body`` with the object's version as its ETag (and where a new object lives)."""
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = f'"{version}"'
    if location:
        response.headers["Location"] = location
    return response


def paged_read(items: list[Any], to_json: Callable[[Any], dict[str, Any]], record_read: Callable[[], None]
               ) -> Response:
    """A page of a case's sub-resources (API.md conventions); a page that shows any is logged as a read."""
    problems: list[InvalidParam] = []
    page, page_size = p.page_params(request.args, current_app.config["API_MAX_PAGE_SIZE"], problems)
    if problems:
        raise InvalidRequest(problems)
    shown = items[(page - 1) * page_size: page * page_size]
    if shown:
        record_read()
    db.session.commit()
    return jsonify({"items": [to_json(x) for x in shown], "page": page, "pageSize": page_size, "total": len(items)})
