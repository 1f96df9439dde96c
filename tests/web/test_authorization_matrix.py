"""Every route × every role × own and other scope, from one table.

RULES names, for every endpoint in the URL map, who may use it: everyone, every signed-in user, or the roles that
have a capability in thuiszitters/permissions.py (tests/unit/test_permissions.py holds that table to DOMAIN.md's
roles). A route without a rule fails `test_every_route_has_a_rule`: adding a route means deciding who may use it. For
each rule the matrix then checks:
- a role that is not allowed gets the login page (anonymous, web), 401 (anonymous, API) or 403;
- an allowed role gets in; for a scoped route (one that names a case) an id from another scope answers 404;
- every answer carries the security headers;
- every form (POST on a web route) refuses a post without a CSRF token.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.conftest import Auth, IsolatedClient
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, Role, roles_with

ROLES = ("anonymous", *(role.value for role in Role))
AUTHENTICATED = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)


def can(capability: Capability) -> frozenset[str]:
    """The roles that have the capability (thuiszitters/permissions.py)."""
    return frozenset(role.value for role in roles_with(capability))


READ_CASES = can(Capability.READ_CASES)
EDIT_CASES = can(Capability.EDIT_CASES)
MANAGE_USERS = can(Capability.MANAGE_USERS)
READ_EXPORTS = can(Capability.READ_EXPORTS)
REVIEW_ALERTS = can(Capability.REVIEW_ALERTS)
DOWNLOAD_SUMMARY = can(Capability.DOWNLOAD_SUMMARY)
WRITE_JOURNAL = can(Capability.WRITE_JOURNAL)
READ_DOCUMENTS = can(Capability.READ_DOCUMENTS)
ADD_DOCUMENTS = can(Capability.ADD_DOCUMENTS)
REMOVE_DOCUMENTS = can(Capability.REMOVE_DOCUMENTS) | can(Capability.REMOVE_OWN_DOCUMENTS)
WRITE_PLAN = can(Capability.WRITE_PLAN)
# The scene's action is owned by the leerplicht user, who may set its status; a coordinator changes any action.
COMPLETE_OWN_ACTIONS = can(Capability.COMPLETE_OWN_ACTIONS)


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    # The URL names a case: an allowed role gets 404 for a case outside its scope (admin: no scope in the matrix).
    scoped: bool = False
    # A placeholder route (the real one is being built): only listed, not checked yet.
    stub: bool = False
    # Public pages that send you (back) to the login page, and logout: a redirect there is not a refusal.
    lands_on_login: bool = False


RULES: dict[str, Rule] = {
    "static": Rule(EVERYONE),
    "main.index": Rule(AUTHENTICATED),
    "main.accessibility": Rule(EVERYONE),
    "main.healthz": Rule(EVERYONE),
    "auth.login": Rule(EVERYONE),
    "auth.second_factor": Rule(EVERYONE, lands_on_login=True),
    "auth.logout": Rule(AUTHENTICATED, lands_on_login=True),
    "auth.mfa_setup": Rule(AUTHENTICATED),
    "auth.renew_recovery_codes": Rule(AUTHENTICATED),
    "auth.resend_enrolment_code": Rule(AUTHENTICATED),
    # Public on purpose (http/security.PUBLIC_ENDPOINTS): the way in through the organisation's provider. Without a
    # provider they send everyone to the login page; with one, test_oidc.py runs these rules against a real provider.
    "oidc.login": Rule(EVERYONE, lands_on_login=True),
    "oidc.callback": Rule(EVERYONE, lands_on_login=True),
    "oidc.identities": Rule(MANAGE_USERS),
    "oidc.unbind": Rule(MANAGE_USERS),
    "admin.users": Rule(MANAGE_USERS),
    "admin.new_user": Rule(MANAGE_USERS),
    "admin.edit_user": Rule(MANAGE_USERS),
    "admin.revoke": Rule(MANAGE_USERS),
    "admin.end_user_sessions": Rule(MANAGE_USERS),
    "admin.reset_user_mfa": Rule(MANAGE_USERS),
    "reports.processing_log": Rule(can(Capability.READ_PROCESSING_LOG)),
    "mail.outbox": Rule(can(Capability.MANAGE_MAIL)),
    "mail.retry": Rule(can(Capability.MANAGE_MAIL)),
    "reference.index": Rule(can(Capability.MANAGE_REFERENCE_DATA)),
    "cases.index": Rule(READ_CASES),
    "cases.search": Rule(can(Capability.SEARCH_CASES)),
    "documents.new": Rule(ADD_DOCUMENTS, scoped=True),
    "documents.download": Rule(READ_DOCUMENTS, scoped=True),
    "documents.remove": Rule(REMOVE_DOCUMENTS, scoped=True),
    "cases.new": Rule(EDIT_CASES),
    "cases.show": Rule(READ_CASES, scoped=True),
    "cases.edit": Rule(EDIT_CASES, scoped=True),
    "cases.transfer": Rule(EDIT_CASES, scoped=True),
    "cases.close": Rule(EDIT_CASES, scoped=True),
    "cases.reopen": Rule(EDIT_CASES, scoped=True),
    "cases.new_step": Rule(EDIT_CASES, scoped=True),
    "cases.edit_step": Rule(EDIT_CASES, scoped=True),
    "dashboard.coordinator": Rule(can(Capability.COORDINATOR_DASHBOARD)),
    "dashboard.leerplicht": Rule(can(Capability.LEERPLICHT_DASHBOARD)),
    "dashboard.inspectie": Rule(can(Capability.INSPECTIE_DASHBOARD)),
    "worklist.index": Rule(can(Capability.READ_WORKLIST)),
    "api.worklist": Rule(can(Capability.READ_WORKLIST)),
    "exports.start": Rule(READ_EXPORTS),
    "exports.index": Rule(READ_EXPORTS),
    "exports.download": Rule(READ_EXPORTS),
    "api.list_exports": Rule(READ_EXPORTS),
    "api.download_export_file": Rule(READ_EXPORTS),
    "reports.case_summary": Rule(DOWNLOAD_SUMMARY, scoped=True),
    "reports.case_summary_page": Rule(DOWNLOAD_SUMMARY, scoped=True),
    "api.openapi": Rule(EVERYONE),
    "api.me": Rule(AUTHENTICATED),
    "api.list_swvs": Rule(AUTHENTICATED),
    "api.list_gemeenten": Rule(AUTHENTICATED),
    "api.list_schools": Rule(AUTHENTICATED),
    "api.list_cases": Rule(READ_CASES),
    "api.search_cases": Rule(can(Capability.SEARCH_CASES)),
    "api.list_documents": Rule(READ_DOCUMENTS, scoped=True),
    "api.upload_document": Rule(ADD_DOCUMENTS, scoped=True),
    "api.download_document": Rule(READ_DOCUMENTS, scoped=True),
    "api.delete_document": Rule(REMOVE_DOCUMENTS, scoped=True),
    "api.create_case": Rule(EDIT_CASES),
    "api.get_case": Rule(READ_CASES, scoped=True),
    "api.case_events": Rule(READ_CASES, scoped=True),
    "api.get_case_summary": Rule(DOWNLOAD_SUMMARY, scoped=True),
    "api.update_case": Rule(EDIT_CASES, scoped=True),
    "api.add_step": Rule(EDIT_CASES, scoped=True),
    "api.update_step": Rule(EDIT_CASES, scoped=True),
    "api.close_case": Rule(EDIT_CASES, scoped=True),
    "api.reopen_case": Rule(EDIT_CASES, scoped=True),
    "api.transfer_case": Rule(EDIT_CASES, scoped=True),
    "alerts.queue": Rule(REVIEW_ALERTS),
    "alerts.history": Rule(REVIEW_ALERTS),
    "alerts.show": Rule(REVIEW_ALERTS, scoped=True),
    "alerts.acknowledge": Rule(REVIEW_ALERTS, scoped=True),
    "alerts.notifications": Rule(AUTHENTICATED),
    "alerts.mark_read": Rule(AUTHENTICATED),
    "alerts.open_notification": Rule(AUTHENTICATED),
    "alerts.mark_all_read": Rule(AUTHENTICATED),
    "api.list_alerts": Rule(READ_CASES),
    "casework.new_participant": Rule(EDIT_CASES, scoped=True),
    "casework.edit_participant": Rule(EDIT_CASES, scoped=True),
    "casework.remove_participant": Rule(EDIT_CASES, scoped=True),
    "casework.new_entry": Rule(WRITE_JOURNAL, scoped=True),
    # The scene's entry is the coordinator's: only its author corrects it (the leerplicht gets 403, see
    # tests/web/test_casework_pages.py).
    "casework.correct_entry": Rule(WRITE_JOURNAL & EDIT_CASES, scoped=True),
    "api.list_participants": Rule(READ_CASES, scoped=True),
    "api.add_participant": Rule(EDIT_CASES, scoped=True),
    "api.update_participant": Rule(EDIT_CASES, scoped=True),
    "api.remove_participant": Rule(EDIT_CASES, scoped=True),
    "api.list_journal": Rule(READ_CASES, scoped=True),
    "api.add_journal_entry": Rule(WRITE_JOURNAL, scoped=True),
    "api.correct_journal_entry": Rule(WRITE_JOURNAL & EDIT_CASES, scoped=True),
    "api.acknowledge_alert_endpoint": Rule(REVIEW_ALERTS, scoped=True),
    "casework.new_action": Rule(WRITE_PLAN, scoped=True),
    "casework.edit_action": Rule(COMPLETE_OWN_ACTIONS, scoped=True),
    "casework.new_meeting": Rule(WRITE_PLAN, scoped=True),
    "api.list_actions": Rule(READ_CASES, scoped=True),
    "api.add_action": Rule(WRITE_PLAN, scoped=True),
    "api.update_action": Rule(COMPLETE_OWN_ACTIONS, scoped=True),
    "api.list_meetings": Rule(READ_CASES, scoped=True),
    "api.add_meeting": Rule(WRITE_PLAN, scoped=True),
}

EMAILS = {"coordinator": "coord1@example.nl", "leerplicht": "lp1@example.nl", "inspectie": "insp@example.nl",
          "admin": "admin@example.nl"}
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def _url_rules(app: Flask):
    return sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint)


def _all_endpoints() -> list[str]:
    from thuiszitters import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()})


def test_every_route_has_a_rule(app):
    missing = sorted({rule.endpoint for rule in _url_rules(app)} - set(RULES))
    assert missing == [], f"routes without an authorization rule in RULES: {missing}"
    stale = sorted(set(RULES) - {rule.endpoint for rule in _url_rules(app)})
    assert stale == [], f"rules for routes that no longer exist: {stale}"


class Scene:
    """The world of factories.world() plus a case in each scope and a token per user."""

    def __init__(self) -> None:
        self.w = factories.world()
        self.own_case = factories.case(self.w.swv1, self.w.gem1, out_of_school_since=date(2026, 9, 1))
        self.other_case = factories.case(self.w.swv2, self.w.gem2, out_of_school_since=date(2026, 9, 1))
        for case in (self.own_case, self.other_case):
            factories.step(case, "swv_inzet", started_on=date(2026, 9, 15))
        # An open overdue alert on each case, for the review-queue routes.
        self.alerts = {scope: factories.alert(case, due_on=date(2026, 10, 2))
                       for scope, case in (("own", self.own_case), ("other", self.other_case))}
        # A participant and a journal entry (the coordinator's) on each case, for the casework routes.
        self.participants = {scope: factories.participant(case, self.w.coordinator)
                             for scope, case in (("own", self.own_case), ("other", self.other_case))}
        self.entries = {scope: factories.journal_entry(case, self.w.coordinator, occurred_on=date(2026, 9, 16))
                        for scope, case in (("own", self.own_case), ("other", self.other_case))}
        # A document on each case, added by the leerplicht user (who may remove its own; a coordinator any).
        self.documents = {scope: factories.document(case, uploaded_by=self.w.leerplicht)
                          for scope, case in (("own", self.own_case), ("other", self.other_case))}
        # An action of the plan on each case, owned by the leerplicht user (who may mark its own done); the other
        # case's by its own coordinator (the leerplicht user cannot see that case, so cannot own its actions).
        self.actions = {"own": factories.action(self.own_case, self.w.coordinator, owner=self.w.leerplicht),
                        "other": factories.action(self.other_case, self.w.coordinator2)}
        self.tokens = {role: factories.token(getattr(self.w, role)) for role in EMAILS}
        self.subject_token = db.session.get(type(self.w.coordinator), self.w.coordinator.id).tokens[0].id
        db.session.commit()
        # A stored export, so the download routes have a real month and file to serve.
        from thuiszitters.exports.services import build_month_export

        build_month_export("2026-10", actor_id=None, now=now_utc())
        db.session.commit()

    def values(self, scope: str) -> dict[str, object]:
        case = self.own_case if scope == "own" else self.other_case
        return {"case_id": case.id, "step_id": case.steps[0].id, "user_id": self.w.coordinator.id,
                "token_id": self.subject_token, "filename": "css/app.css", "kind": "aanmelding",
                "month": "2026-10", "file_name": "cases.csv", "alert_id": self.alerts[scope].id,
                "notification_id": 1, "participant_id": self.participants[scope].id,
                "entry_id": self.entries[scope].id, "document_id": self.documents[scope].id,
                "action_id": self.actions[scope].id}


def _build(rule, scene: Scene, scope: str) -> str:
    values = scene.values(scope)
    return rule.build({arg: values[arg] for arg in rule.arguments})[1]


def _client(app: Flask, role: str) -> FlaskClient:
    app.test_client_class = IsolatedClient
    client = app.test_client()
    if role != "anonymous":
        response = Auth(client).login(EMAILS[role])
        assert response.status_code == 302, f"{role} could not log in"
    return client


def _request(app: Flask, scene: Scene, role: str, rule, scope: str):
    url = _build(rule, scene, scope)
    method = next(m for m in ("GET", "POST", "PATCH", "PUT", "DELETE") if m in rule.methods)
    client = _client(app, role)
    headers = {}
    if rule.endpoint.startswith("api.") and role != "anonymous":
        headers["Authorization"] = f"Bearer {scene.tokens[role]}"
    data = {}
    if method == "POST" and not rule.endpoint.startswith("api."):
        page = client.get("/login" if role == "anonymous" else "/toegankelijkheid").get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        data["csrf_token"] = match.group(1) if match else ""
    return client.open(url, method=method, headers=headers, data=data)


def _check(app: Flask, scene: Scene, endpoint: str, role: str) -> list[str]:
    """What is wrong with one cell of the matrix (empty when all is well)."""
    rule_spec = RULES[endpoint]
    url_rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    is_api = endpoint.startswith("api.")
    problems = []
    for scope in ("own", "other") if rule_spec.scoped else ("own",):
        response = _request(app, scene, role, url_rule, scope)
        where = f"{endpoint} as {role}, {scope} scope, answered {response.status_code}"
        problems += [f"{where}: no {header}" for header in SECURITY_HEADERS if header not in response.headers]
        if endpoint != "static" and response.headers.get("Cache-Control") != "no-store":
            problems.append(f"{where}: not Cache-Control no-store")
        to_login = response.status_code == 302 and "/login" in response.headers.get("Location", "")
        if response.status_code >= 500:
            problems.append(f"{where}: server error")
        elif role not in rule_spec.allowed:
            if role == "anonymous":
                expected_denial = response.status_code == 401 if is_api else to_login
            elif rule_spec.scoped and (scope == "other" or role == "admin"):
                # A case the role cannot see at all: 404 (403 would tell it exists) or 403 for the role itself.
                expected_denial = response.status_code in (403, 404)
            else:
                expected_denial = response.status_code == 403
            if not expected_denial:
                problems.append(f"{where}: should be refused")
        elif rule_spec.scoped and (scope == "other" or role == "admin"):
            if response.status_code != 404:  # out of scope looks like "does not exist"
                problems.append(f"{where}: out of scope, should be 404")
        elif response.status_code in (401, 403, 404) or (to_login and not rule_spec.lands_on_login):
            problems.append(f"{where}: should be allowed")
    return problems


@pytest.mark.parametrize("endpoint", _all_endpoints())
def test_matrix(app, endpoint: str):
    rule_spec = RULES.get(endpoint)
    if rule_spec is None:
        pytest.fail(f"no rule for {endpoint}")
    if rule_spec.stub:
        pytest.skip("placeholder route")
    scene = Scene()
    problems = [problem for role in ROLES for problem in _check(app, scene, endpoint, role)]
    assert problems == []


def _form_endpoints() -> list[str]:
    from thuiszitters import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted({r.endpoint for r in app.url_map.iter_rules()
                   if "POST" in r.methods and not r.endpoint.startswith("api.")})


@pytest.mark.parametrize("endpoint", _form_endpoints())
def test_every_form_refuses_a_post_without_csrf_token(app, endpoint: str):
    rule_spec = RULES[endpoint]
    role = next(r for r in ("admin", "coordinator", "leerplicht", "inspectie", "anonymous")
                if r in rule_spec.allowed)
    scene = Scene()
    url_rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    client = _client(app, role)
    url = _build(url_rule, scene, "own")
    response = client.post(url, data={"csrf_token": "forged"})
    assert response.status_code == 400, endpoint
    assert "Formulier verlopen" in response.get_data(as_text=True)
