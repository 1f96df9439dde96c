"""Crafted input gets a 400 (problem+json in the API, the Dutch error page on the web), never a 500.

Odd digits ("²" passes str.isdigit but not int()), numbers too big for int() or a database OFFSET, JSON nested
5,000 deep, NaN and Infinity, dates that Python's date.fromisoformat() is kind to (week dates, "20261001"),
years before 1900, malformed If-Match headers, and routing answers (404, 405) that must still look like the API.
The fields are taken from the OpenAPI document, so a new date or number field is covered without editing this.
"""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from tests import factories
from tests.conftest import Auth, csrf_from
from thuiszitters import create_app
from thuiszitters.api.openapi import API_VERSION, document
from thuiszitters.cases.models import Case
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.mail.models import OutboxMessage

PROBLEM = "application/problem+json"
HUGE = "99999999999999999999"
# 4,000 digits: a huge number that still fits the longest address the app reads (longer ones are a 414).
ODD_PAGES = ["²", "٣", "３", "1²", HUGE, "9" * 4000, "0", "-1", "1.5", "1e3", "", " 1", "0x1"]


@pytest.fixture
def world(app):
    w = factories.world()
    w.school = factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1)
    w.case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), reference="TZ-2026-AAAAA")
    # One step of every kind, inserted directly: the tests only need something to PATCH.
    w.steps = {}
    for kind, values in {
        "aanmelding": {"received_on": date(2026, 9, 7)},
        "swv_inzet": {"started_on": date(2026, 9, 20)},
        "consulent": {"consulent_type": "onderwijsconsulent", "parental_consent": True,
                      "requested_on": date(2026, 10, 1)},
        "geschillencommissie": {"subject": "toelating", "filed_on": date(2026, 10, 5)},
        "interventieteam": {"reported_on": date(2026, 10, 20)},
    }.items():
        w.steps[kind] = factories.step(w.case, kind, **values)
    w.alert = factories.alert(w.case, due_on=date(2026, 12, 2))
    # A participant and a journal entry of the coordinator's: the casework's PATCH endpoints need one.
    w.participant = factories.participant(w.case, w.coordinator)
    w.entry = factories.journal_entry(w.case, w.coordinator, occurred_on=date(2026, 9, 15))
    w.document = factories.document(w.case, uploaded_by=w.coordinator)
    # An action of the plan, for its PATCH endpoint.
    w.action = factories.action(w.case, w.coordinator, due_on=date(2026, 11, 20))
    w.tokens = {name: factories.token(getattr(w, name)) for name in ("coordinator", "leerplicht")}
    db.session.commit()
    return w


def _api(client, world, method, path, *, body=None, raw=None, who="coordinator", version=None, if_match=None):
    headers = {"Authorization": f"Bearer {world.tokens[who]}"}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    if if_match is not None:
        headers["If-Match"] = if_match
    data = raw if raw is not None else (None if body is None else json.dumps(body))
    if data is not None:
        headers["Content-Type"] = "application/json"
    return client.open(f"/api/v1{path}", method=method, data=data, headers=headers)


def _assert_problem(response, status=400):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == PROBLEM
    assert response.headers["API-Version"] == API_VERSION
    return response.get_json()


def _case_version(case_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Case, case_id).version


# --- pages and page sizes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/cases", "/alerts"])
def test_an_odd_page_or_page_size_in_the_api_is_a_400_naming_it(app, client, world, path):
    who = "leerplicht" if path == "/alerts" else "coordinator"
    for name in ("page", "pageSize"):
        for value in ODD_PAGES:
            body = _assert_problem(_api(client, world, "GET", f"{path}?{name}={value}", who=who))
            assert [p["name"] for p in body["invalidParams"]] == [name], (name, value)


def _get_pages(app) -> list[str]:
    """Every page without a URL parameter: the hook that checks ?page= must hold on all of them."""
    return sorted({rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and not rule.arguments
                   and not rule.rule.startswith(("/api/", "/static"))})


@pytest.mark.parametrize("who", ["coord1@example.nl", "lp1@example.nl", "admin@example.nl", "insp@example.nl"])
def test_every_web_page_answers_an_odd_page_number_with_the_dutch_400_page(app, auth, client, world, who):
    auth.login(who)
    pages = _get_pages(app)
    assert {"/casussen", "/signalen", "/signalen/afgehandeld", "/meldingen"} <= set(pages)
    for path in pages:
        for name, value in (("page", "²"), ("page", HUGE), ("per_page", "٣")):
            response = client.get(f"{path}?{name}={value}")
            html = response.get_data(as_text=True)
            assert response.status_code == 400, (path, name, value, response.status_code)
            assert '<html lang="nl">' in html and "Ongeldig verzoek" in html and "paginanummer" in html, path


@pytest.mark.parametrize(("who", "path"), [
    ("coord1@example.nl", "/casussen"), ("coord1@example.nl", "/casussen?status=open&page={}"),
    ("lp1@example.nl", "/signalen"), ("lp1@example.nl", "/signalen/afgehandeld"), ("lp1@example.nl", "/meldingen"),
    ("admin@example.nl", "/beheer/verwerkingen?case=TZ-2026-AAAAA&page={}"),
])
def test_the_web_lists_refuse_an_odd_page_number(app, auth, client, world, who, path):
    auth.login(who)
    for value in ODD_PAGES:
        url = path.format(value) if "{}" in path else f"{path}?page={value}"
        response = client.get(url)
        assert response.status_code == 400, value
        assert "Het paginanummer in het adres klopt niet" in response.get_data(as_text=True)


def test_real_page_numbers_still_page(app, auth, client, world):
    auth.login("coord1@example.nl")
    assert client.get("/casussen?page=1").status_code == 200
    assert client.get("/casussen?page=100000").status_code == 200  # past the end: an empty page, as before
    assert client.get("/casussen?page=2&per_page=1").status_code == 200


# --- If-Match -------------------------------------------------------------------------------------------------

# Not "*" nor a list of entity tags (RFC 9110): refused as malformed.
MALFORMED_IF_MATCH = ["9" * 5000, "²", '"', "W/", "1", '"1" "2"', '"1",, x', "W/1", "**"]
# Entity tags that are well formed but can never be a case's ETag ("<version>", strong): a 412, as RFC 9110 says.
NEVER_MATCHING_IF_MATCH = ['"²"', '"' + "9" * 5000 + '"', '"٣"', '"３"', '"-1"', '"1.0"', '"1e3"', '"998", "999"',
                           'W/"²"', '""', '"0x1"', f'"{2**63}"']


def _if_match_operations(world) -> list[tuple[str, str, dict]]:
    case, step = world.case, world.steps["aanmelding"]
    return [
        ("PATCH", f"/cases/{case.id}", {"note": "x"}),
        ("POST", f"/cases/{case.id}/steps", {"kind": "aanmelding", "receivedOn": "2026-10-01"}),
        ("PATCH", f"/cases/{case.id}/steps/{step.id}", {"receivedOn": "2026-09-08"}),
        ("POST", f"/cases/{case.id}/close", {"outcome": "verhuisd", "offerStartedOn": "2026-10-01"}),
        ("POST", f"/cases/{case.id}/reopen", {"reason": "x"}),
        ("POST", f"/cases/{case.id}/transfer", {"swvCode": "VO 27-02", "reason": "Verhuisd"}),
    ]


def test_a_malformed_if_match_is_a_400_naming_it_and_changes_nothing(app, client, world):
    version = _case_version(world.case.id)
    for header in MALFORMED_IF_MATCH:
        for method, path, body in _if_match_operations(world):
            problem = _assert_problem(_api(client, world, method, path, body=body, if_match=header))
            assert problem["invalidParams"] == [{"name": "If-Match", "code": "invalid_version",
                                                 "reason": 'Stuur de versie van de casus als ETag, zoals in het '
                                                           'antwoord: If-Match: "3".'}], (header[:20], method, path)
    assert _case_version(world.case.id) == version


def test_an_if_match_that_cannot_match_is_a_412_and_changes_nothing(app, client, world):
    # Issue 17: these were 400 before; RFC 9110 makes a well-formed If-Match that matches nothing a 412.
    version = _case_version(world.case.id)
    for header in NEVER_MATCHING_IF_MATCH:
        for method, path, body in _if_match_operations(world):
            problem = _assert_problem(_api(client, world, method, path, body=body, if_match=header), 412)
            assert problem["currentVersion"] == version, (header[:20], method, path)
    assert _case_version(world.case.id) == version


def test_if_match_is_compared_strongly_as_rfc_9110_says(app, client, world):
    case_id = world.case.id
    version = _case_version(case_id)
    stale = _api(client, world, "PATCH", f"/cases/{case_id}", body={"note": "x"}, if_match='"999"')
    assert _assert_problem(stale, 412)["currentVersion"] == version
    # A weak tag never matches for If-Match, even the current version (issue 17: it used to be accepted).
    weak = _api(client, world, "PATCH", f"/cases/{case_id}", body={"note": "x"}, if_match=f'W/"{version}"')
    assert _assert_problem(weak, 412)["currentVersion"] == version
    # A list matches when one of its strong tags is the current ETag.
    listed = _api(client, world, "PATCH", f"/cases/{case_id}", body={"note": "x"},
                  if_match=f'W/"{version}", "999" , "{version}"')
    assert listed.status_code == 200, listed.get_json()
    after_list = listed.get_json()["version"]
    assert after_list > version and listed.headers["ETag"] == f'"{after_list}"'
    # "*" matches any current representation (issue 17: it used to be a 400).
    anything = _api(client, world, "PATCH", f"/cases/{case_id}", body={"note": "y"}, if_match="*")
    assert anything.status_code == 200
    assert _case_version(case_id) > after_list
    journal = _api(client, world, "GET", f"/cases/{case_id}/journal").get_json()["items"]
    assert [e["summary"] for e in journal][:2] == ["y", "x"]  # each accepted note is an entry, newest first
    # Without If-Match a change is refused: "*" is a deliberate choice, not a default.
    assert _assert_problem(_api(client, world, "PATCH", f"/cases/{case_id}", body={"note": "z"}), 428)


# --- JSON bodies ----------------------------------------------------------------------------------------------


def _json_operations(world) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document that takes a JSON body, with our ids filled in."""
    ids = {"{caseId}": str(world.case.id), "{stepId}": str(world.steps["aanmelding"].id),
           "{alertId}": str(world.alert.id), "{participantId}": str(world.participant.id),
           "{entryId}": str(world.entry.id), "{documentId}": str(world.document.id),
           "{actionId}": str(world.action.id)}
    result = []
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                for placeholder, value in ids.items():
                    path = path.replace(placeholder, value)
                result.append((method.upper(), path))
    return result


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000,
                                    '{"note": ' + "[" * 100_000 + "]" * 100_000 + "}"])
def test_json_nested_thousands_deep_is_a_400_on_every_json_endpoint(app, client, world, nested):
    operations = _json_operations(world)
    assert len(operations) >= 7
    for method, path in operations:
        who = "leerplicht" if "/alerts/" in path else "coordinator"
        body = _assert_problem(_api(client, world, method, path, raw=nested, who=who,
                                    version=_case_version(world.case.id)))
        assert [p["name"] for p in body["invalidParams"]] == ["body"], (method, path)


# Raw JSON literals; the second item says whether the text is JSON at all (else the body as a whole is refused).
ODD_VALUES = [
    ('"²"', True), ('"٣"', True), ('"３"', True), ('"２０２６-１０-０１"', True), ('"٢٠٢٦-١٠-٠١"', True),
    ('"2026-1٠-01"', True), ('"2026-W40-1"', True), ('"2026W401"', True), ('"20261001xx"', True),
    ('"20261001"', True), ('"2026-274"', True), ('"0272-05-01"', True), ('"1899-12-31"', True),
    ('"2026-10-01T00:00:00Z"', True), ('"2026-02-30"', True), ('" 2026-10-01"', True), ('"2026-10-01\\n"', True),
    ('"+2026-10-01"', True), ('"9999-12-31"', True), ('"3000-01-01"', True),
    ("1.5", True), ("2026", True), ("-1", True), ("0", True), ("100000000000000000000", True),
    ("-0.0", True), ("1E2", True), ("true", True), ("[]", True), ("{}", True), ('"1"', True), ('"52"', True),
    ("1" + "0" * 5000, False), ("-1" + "0" * 5000, False), ("1e400", False), ("-1e400", False), ("NaN", False),
    ("Infinity", False), ("-Infinity", False),
]
MARK = "__odd_value__"


def _numeric_and_date_fields(schema: dict, prefix: str = "") -> list[str]:
    found = []
    for name, prop in schema.get("properties", {}).items():
        types = prop.get("type", [])
        types = [types] if isinstance(types, str) else types
        if prop.get("format") == "date" or "integer" in types or "number" in types:
            found.append(prefix + name)
        elif "properties" in prop:
            found.extend(_numeric_and_date_fields(prop, f"{prefix}{name}."))
    return found


def _body_schema(path: str, method: str, kind: str | None = None) -> dict:
    doc = document()

    def resolved(schema: dict) -> dict:
        ref = schema.get("$ref", "")
        return doc["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema

    schema = doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    if "oneOf" in schema:
        schema = next(s for s in map(resolved, schema["oneOf"]) if s["properties"]["kind"].get("const") == kind)
    return resolved(schema)


def _targets(world) -> list[tuple[str, str, dict, str]]:
    """(method, path, a body the API would otherwise accept or check further, the field to spoil)."""
    case_id = world.case.id
    new_case = {"pupil": {"firstName": "Noah", "lastName": "de Vries", "dateOfBirth": "2014-03-01",
                          "gemeenteCode": "GM0363"},
                "swvCode": "PO 27-01", "absenceKind": "absoluut_verzuim", "outOfSchoolSince": "2026-09-01"}
    step_bodies = {"aanmelding": {"receivedOn": "2026-09-07"}, "swv_inzet": {"startedOn": "2026-09-20"},
                   "consulent": {"consulentType": "onderwijsconsulent", "parentalConsent": True,
                                 "requestedOn": "2026-10-01"},
                   "geschillencommissie": {"subject": "toelating", "filedOn": "2026-10-05"},
                   "interventieteam": {"reportedOn": "2026-10-20"}}
    targets = []
    for field in _numeric_and_date_fields(_body_schema("/cases", "post")):
        targets.append(("POST", "/cases", new_case, field))
        targets.append(("PATCH", f"/cases/{case_id}", {}, field))
    for kind, base in step_bodies.items():
        for field in _numeric_and_date_fields(_body_schema("/cases/{caseId}/steps", "post", kind)):
            targets.append(("POST", f"/cases/{case_id}/steps", {"kind": kind, **base}, field))
            targets.append(("PATCH", f"/cases/{case_id}/steps/{world.steps[kind].id}", {}, field))
    for field in _numeric_and_date_fields(_body_schema("/cases/{caseId}/close", "post")):
        targets.append(("POST", f"/cases/{case_id}/close", {"outcome": "verhuisd", "offerStartedOn": "2026-10-01"},
                        field))
    return targets


def _with_mark(body: dict, field: str) -> dict:
    body = json.loads(json.dumps(body))
    *parents, name = field.split(".")
    holder = body
    for parent in parents:
        holder = holder.setdefault(parent, {})
    holder[name] = MARK
    return body


def test_odd_numbers_and_digits_in_every_date_and_number_field_are_a_400_naming_the_field(app, client, world):
    targets = _targets(world)
    fields = {field for *_, field in targets}
    assert {"pupil.dateOfBirth", "outOfSchoolSince", "receivedOn", "extensionWeeks", "offerStartedOn",
            "verdictOn", "reportedOn"} <= fields
    failures = []
    version = _case_version(world.case.id)  # every request below is refused, so it stays this
    for method, path, base, field in targets:
        text = json.dumps(_with_mark(base, field))
        for literal, is_json in ODD_VALUES:
            response = _api(client, world, method, path, raw=text.replace(f'"{MARK}"', literal), version=version)
            problem = response.get_json(silent=True) or {}
            named = [p["name"] for p in problem.get("invalidParams", [])]
            if response.status_code != 400 or response.mimetype != PROBLEM or \
                    (field if is_json else "body") not in named:
                failures.append(f"{method} {path} {field}={literal[:20]}: {response.status_code} {named}")
    assert failures == [], "\n".join(failures[:40])
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1  # nothing was registered
    assert db.session.get(Case, world.case.id).version == 1  # and nothing changed


@pytest.mark.parametrize("literal", ['"2999-12-31"', '"1900-01-01"', '"2099-12-31"'])
def test_extreme_but_real_dates_in_every_date_field_never_give_a_server_error(app, client, world, literal):
    failures = []
    for method, path, base, field in _targets(world):
        text = json.dumps(_with_mark(base, field)).replace(f'"{MARK}"', literal)
        response = _api(client, world, method, path, raw=text, version=_case_version(world.case.id))
        if response.status_code >= 500:
            failures.append(f"{method} {path} {field}: {response.status_code}")
    assert failures == []


def test_week_dates_trailing_characters_and_old_years_are_refused_with_a_clear_reason(app, client, world):
    base = {"pupil": {"firstName": "Noah", "lastName": "de Vries", "dateOfBirth": "0272-05-01",
                      "gemeenteCode": "GM0363"},
            "swvCode": "PO 27-01", "absenceKind": "absoluut_verzuim", "outOfSchoolSince": "2026-W40-1"}
    problem = _assert_problem(_api(client, world, "POST", "/cases", body=base))
    params = {p["name"]: p for p in problem["invalidParams"]}
    assert params["pupil.dateOfBirth"]["code"] == "year_before_1900"
    assert "1900" in params["pupil.dateOfBirth"]["reason"]
    assert params["outOfSchoolSince"] == {"name": "outOfSchoolSince", "code": "invalid_date",
                                          "reason": "Verwacht een datum als JJJJ-MM-DD."}
    step = _assert_problem(_api(client, world, "POST", f"/cases/{world.case.id}/steps",
                                body={"kind": "aanmelding", "receivedOn": "20261001xx"}))
    assert step["invalidParams"][0]["name"] == "receivedOn" and step["invalidParams"][0]["code"] == "invalid_date"


# --- routing answers under /api/v1 and 405 everywhere -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/does-not-exist", "/api/v1/cases/", "/api/v1/cases/1/", "/api/v1/",
                                  "/api/v1", "/api/v1/cases/99999999999", "/api/v1/openapi.json/"])
@pytest.mark.parametrize("with_token", [True, False])
def test_every_routing_answer_under_the_api_is_problem_json_with_the_api_version(app, client, world, path,
                                                                                 with_token):
    headers = {"Authorization": f"Bearer {world.tokens['coordinator']}"} if with_token else {}
    response = client.get(path, headers=headers)
    assert response.status_code in (401, 404)
    _assert_problem(response, response.status_code)


def _rule_urls(app):
    """Every rule with a URL built from made-up arguments, and the methods the URL allows."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {name: 1 if isinstance(rule._converters[name], IntegerConverter) else "x"
                  for name in rule.arguments}
        url = adapter.build(rule.endpoint, values, method=next(iter(rule.methods - {"HEAD", "OPTIONS"})))
        yield url, set(adapter.allowed_methods(url.split("?")[0]))


def test_every_405_says_which_methods_are_allowed_web_and_api(app, client, world):
    checked = 0
    for url, allowed in _rule_urls(app):
        for method in ("DELETE", "PUT", "PATCH", "POST", "GET"):
            if method in allowed:
                continue
            response = client.open(url, method=method)
            assert response.status_code == 405, (method, url, response.status_code)
            assert set(response.headers["Allow"].replace(" ", "").split(",")) == allowed, (method, url)
            if url.startswith("/api/"):
                _assert_problem(response, 405)
            else:
                assert "Niet toegestaan" in response.get_data(as_text=True)
            checked += 1
            break
    assert checked > 40


# --- CLI options and settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("command", "value", "words"), [
    (["reminders", "run"], "2026-W40-1", "JJJJ-MM-DD"),
    (["reminders", "run"], "20261001", "JJJJ-MM-DD"),
    (["reminders", "run"], "0272-01-01", "1900"),
    (["retention", "run"], "2026-10-01xx", "JJJJ-MM-DD"),
    (["retention", "run"], "２０２６-１０-０１", "JJJJ-MM-DD"),
    (["seed", "demo"], "2026-02-30", "bestaat niet"),
    (["seed", "synthetic", "--cases", "1"], "1899-12-31", "1900"),
])
def test_cli_date_options_read_dates_exactly_as_the_api_does(app, runner, command, value, words):
    result = runner.invoke(args=[*command, "--today", value])
    assert result.exit_code == 2, result.output
    assert words in result.output and "--today" in result.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_cli_date_option_still_takes_a_real_date(app, runner):
    result = runner.invoke(args=["reminders", "run", "--today", "2026-11-02"])
    assert result.exit_code == 0, result.output
    assert "Ronde van 2026-11-02" in result.output


@pytest.mark.parametrize("value", ["2026-W40-1", "20261102", "0272-01-01", "2026-11-02 "])
def test_the_fixed_today_setting_is_read_exactly_too(database_url, value):
    with pytest.raises(RuntimeError, match="FIXED_TODAY"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "FIXED_TODAY": value})


@pytest.mark.parametrize("month", ["٢٠٢٦-10", "0272-10", "2026-1"])
def test_an_export_month_is_read_exactly(app, runner, month):
    result = runner.invoke(args=["export", "inspectie", "--month", month])
    assert result.exit_code == 1 and "Ongeldige maand" in result.output


# --- web forms -----------------------------------------------------------------------------------------------

NEW_CASE_FORM = {
    "first_name": "Sanne", "last_name": "Jansen", "date_of_birth": "12-05-2013", "bsn": "",
    "swv_code": "PO 27-01", "gemeente_code": "GM0363", "school_brin": "", "absence_kind": "absoluut_verzuim",
    "out_of_school_since": "01-09-2026", "note": "",
}


@pytest.mark.parametrize(("typed", "message"), [
    ("2013-W20-1", "Deze datum bestaat niet of is niet goed geschreven"),
    ("20130512", "Deze datum bestaat niet of is niet goed geschreven"),
    ("12-05-2013x", "Deze datum bestaat niet of is niet goed geschreven"),
    ("١٢-٠٥-٢٠١٣", "Deze datum bestaat niet of is niet goed geschreven"),
    ("１２-０５-２０１３", "Deze datum bestaat niet of is niet goed geschreven"),
    ("12-05-0272", "vóór 1900"),
    ("0272-05-12", "vóór 1900"),
])
def test_the_web_form_reads_dates_as_strictly_as_the_api(app, auth, client, world, typed, message):
    auth.login("coord1@example.nl")
    page = client.get("/casussen/nieuw").get_data(as_text=True)
    response = client.post("/casussen/nieuw", data={**NEW_CASE_FORM, "date_of_birth": typed,
                                                    "csrf_token": csrf_from(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    error = html.split('id="date_of_birth-error">')[1].split("</div>")[0]
    assert message in error
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1  # only the world's case


@pytest.mark.parametrize("typed", ["٣", "３", "²", "9" * 5000, "-3", "1.5"])
def test_a_web_form_number_in_other_digits_is_a_message_not_a_500(app, auth, client, world, typed):
    auth.login("coord1@example.nl")
    step = world.steps["aanmelding"]
    path = f"/casussen/{world.case.id}/stappen/{step.id}"
    page = client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_from(page), "version": "1", "received_on": "07-09-2026",
                                       "extended_on": "01-10-2026", "extension_weeks": typed, "school_brin": ""})
    assert response.status_code == 400
    assert "Vul een heel getal in." in response.get_data(as_text=True)
    assert _case_version(world.case.id) == 1


@pytest.mark.parametrize("version", ["²", "٣", "9" * 5000, "-1"])
def test_an_odd_form_version_asks_to_reload_instead_of_failing(app, auth, client, world, version):
    auth.login("coord1@example.nl")
    path = f"/casussen/{world.case.id}/heropenen"
    page = client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_from(page), "version": version, "reason": "x"})
    assert response.status_code == 400
    assert "Het formulier mist de versie van de casus" in response.get_data(as_text=True)


def test_a_second_factor_code_in_other_digits_is_refused_not_a_500(app, client, world):
    import pyotp

    from thuiszitters.accounts import mfa
    from thuiszitters.clock import real_now_utc

    secret = mfa.new_secret()
    mfa.enable_mfa(world.coordinator, secret, pyotp.TOTP(secret).now(), real_now_utc())
    db.session.commit()
    Auth(client).login("coord1@example.nl")
    for code in ("²²²²²²", "١٢٣٤٥٦", "１２３４５６", "12345²"):
        page = client.get("/login/code").get_data(as_text=True)
        response = client.post("/login/code", data={"code": code, "csrf_token": csrf_from(page)})
        assert response.status_code == 400, code
        assert "Deze code klopt niet" in response.get_data(as_text=True)


@pytest.mark.parametrize("bsn", ["²²²²²²²²²", "١١١٢٢٢٣٣٣", "１１１２２２３３３"])
def test_a_bsn_in_other_digits_is_refused_as_not_digits(app, client, world, bsn):
    body = {"pupil": {"firstName": "Noah", "lastName": "de Vries", "dateOfBirth": "2014-03-01", "bsn": bsn,
                      "gemeenteCode": "GM0363"},
            "swvCode": "PO 27-01", "absenceKind": "absoluut_verzuim", "outOfSchoolSince": "2026-09-01"}
    problem = _assert_problem(_api(client, world, "POST", "/cases", body=body))
    assert {"name": "pupil.bsn", "code": "bsn.invalid_format"} in [
        {"name": p["name"], "code": p["code"]} for p in problem["invalidParams"]]


@pytest.mark.parametrize("message_id", ["²", "٣", "9" * 5000, HUGE])
def test_the_mail_retry_refuses_an_odd_message_id(app, auth, client, world, message_id):
    db.session.add(OutboxMessage(recipient="a@example.nl", subject="s", body="b", status="failed",
                                 next_attempt_at=now_utc(), created_at=now_utc()))
    db.session.commit()
    auth.login("admin@example.nl")
    token = auth.csrf("/beheer/mail")
    response = client.post("/beheer/mail/opnieuw", data={"csrf_token": token, "message_id": message_id})
    assert response.status_code == 400
