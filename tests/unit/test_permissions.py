"""The capability table as DOMAIN.md describes the roles, and what follows from it: the menu and the start page."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from thuiszitters.errors import Forbidden
from thuiszitters.permissions import (
    CAPABILITIES,
    ROLE_LABELS,
    SCOPE_RULES,
    START_PAGES,
    Capability,
    Role,
    can,
    menu,
    require,
    role_can,
    roles_with,
    scope_problems,
    shows_case_search,
    start_page,
)

C, L, INSP, A = "coordinator", "leerplicht", "inspectie", "admin"

# Written out once more on purpose: this is the table a reviewer checks against DOMAIN.md ("Roles").
EXPECTED = {
    Capability.READ_CASES: {C, L, A},
    Capability.CASES_OF_SWV: {C, A},
    Capability.CASES_OF_GEMEENTE: {L, A},
    Capability.EDIT_CASES: {C},
    Capability.WRITE_JOURNAL: {C, L},
    Capability.DOWNLOAD_SUMMARY: {C, A},
    Capability.REVIEW_ALERTS: {L},
    Capability.COORDINATOR_DASHBOARD: {C, A},
    Capability.LEERPLICHT_DASHBOARD: {L, A},
    Capability.INSPECTIE_DASHBOARD: {INSP, A},
    Capability.READ_EXPORTS: {INSP, A},
    Capability.MANAGE_USERS: {A},
    Capability.MANAGE_REFERENCE_DATA: {A},
    Capability.MANAGE_MAIL: {A},
    Capability.READ_PROCESSING_LOG: {A},
    Capability.SEARCH_CASES: {C, L, A},
    Capability.READ_DOCUMENTS: {C, L, A},
    Capability.ADD_DOCUMENTS: {C, L},
    Capability.REMOVE_DOCUMENTS: {C},
    Capability.REMOVE_OWN_DOCUMENTS: {C, L},
    # DOMAIN.md / issue 19: coordinators run the plan; leerplicht marks its own actions done; inspectie nothing.
    Capability.WRITE_PLAN: {C},
    Capability.COMPLETE_OWN_ACTIONS: {C, L},
    Capability.READ_WORKLIST: {C, L},
}


@dataclass
class Account:
    role: str
    swv_ids: list[int] = field(default_factory=list)
    gemeente_ids: list[int] = field(default_factory=list)
    is_authenticated: bool = True


@pytest.mark.parametrize("capability", list(Capability))
def test_each_capability_belongs_to_the_roles_of_domain_md(capability):
    assert {role.value for role in roles_with(capability)} == EXPECTED[capability]
    assert set(CAPABILITIES) == set(Capability)


def test_the_inspectie_never_reads_personal_data():
    personal = {Capability.READ_CASES, Capability.DOWNLOAD_SUMMARY, Capability.REVIEW_ALERTS,
                Capability.READ_PROCESSING_LOG, Capability.SEARCH_CASES, Capability.READ_DOCUMENTS,
                Capability.ADD_DOCUMENTS, Capability.REMOVE_DOCUMENTS, Capability.REMOVE_OWN_DOCUMENTS,
                Capability.WRITE_PLAN, Capability.COMPLETE_OWN_ACTIONS,
                Capability.READ_WORKLIST}
    assert not any(role_can(INSP, capability) for capability in personal)


def test_can_needs_a_signed_in_user_with_the_capability():
    assert can(Account(C), Capability.EDIT_CASES)
    assert not can(Account(L), Capability.EDIT_CASES)
    assert not can(Account(C, is_authenticated=False), Capability.EDIT_CASES)
    assert not can(None, Capability.READ_CASES)
    assert not can(Account("beheerder"), Capability.READ_CASES)  # no such role: nothing


def test_require_refuses_with_the_reason_given():
    with pytest.raises(Forbidden) as refused:
        require(Account(L), Capability.EDIT_CASES, "Alleen een coördinator kan dit.")
    assert refused.value.status == 403 and refused.value.detail == "Alleen een coördinator kan dit."
    require(Account(C), Capability.EDIT_CASES)


def _labels(account: Account) -> list[str]:
    return [f"{item.label}:{item.endpoint}" for item in menu(account)]


def test_the_menu_of_each_role():
    assert _labels(Account(C, swv_ids=[1])) == [
        "Mijn werk:worklist.index", "Dashboard:dashboard.coordinator", "Casussen:cases.index", "Nieuwe casus:cases.new",
        "Meldingen:alerts.notifications", "Tweestapsverificatie:auth.mfa_setup"]
    assert _labels(Account(L, gemeente_ids=[1])) == [
        "Mijn werk:worklist.index", "Dashboard:dashboard.leerplicht", "Casussen:cases.index", "Signalen:alerts.queue",
        "Meldingen:alerts.notifications", "Tweestapsverificatie:auth.mfa_setup"]
    assert _labels(Account(INSP)) == [
        "Dashboard:dashboard.inspectie", "Meldingen:alerts.notifications", "Inspectie:exports.index",
        "Tweestapsverificatie:auth.mfa_setup"]
    assert _labels(Account(A)) == [
        "Dashboard:dashboard.inspectie", "Meldingen:alerts.notifications", "Inspectie:exports.index",
        "Gebruikers:admin.users", "Verwerkingenlogboek:reports.processing_log",
        "Referentiegegevens:reference.index", "Mail:mail.outbox", "Tweestapsverificatie:auth.mfa_setup"]
    # An admin with a scope also sees the cases of that scope.
    assert "Casussen:cases.index" in _labels(Account(A, gemeente_ids=[3]))


def test_the_search_box_is_offered_to_who_may_search_and_has_cases_to_search():
    assert shows_case_search(Account(C, swv_ids=[1]))
    assert shows_case_search(Account(L, gemeente_ids=[1]))
    assert shows_case_search(Account(A, gemeente_ids=[3]))
    assert not shows_case_search(Account(A))  # an admin without a scope has no case to find
    assert not shows_case_search(Account(INSP))
    assert not shows_case_search(Account(C, is_authenticated=False, swv_ids=[1]))


def test_the_start_page_of_each_role():
    # Issue 19: coordinators and leerplicht users start on their werkvoorraad (before: their dashboard).
    assert start_page(Account(C, swv_ids=[1])) == "worklist.index"
    assert start_page(Account(L, gemeente_ids=[1])) == "worklist.index"
    # Without a scope there is no work to list: the dashboard, as before.
    assert start_page(Account(C)) == "dashboard.coordinator"
    assert start_page(Account(INSP)) == "exports.index"
    assert start_page(Account(A)) == "admin.users"
    assert start_page(Account(A, swv_ids=[1])) == "cases.index"


@pytest.mark.parametrize(("role", "swvs", "gemeenten", "expected"), [
    (C, (), (), [("swvCodes", "scope_required")]),
    (C, ("PO 27-01",), (), []),
    (L, ("PO 27-01",), (), [("gemeenteCodes", "scope_required")]),
    (L, (), ("GM0363",), []),
    (INSP, (), ("GM0363",), [("role", "no_scope_for_inspectie")]),
    (INSP, (), (), []),
    (A, (), (), []),
    (A, ("PO 27-01",), ("GM0363",), []),
])
def test_the_scope_an_account_must_or_may_have(role, swvs, gemeenten, expected):
    assert [(p.name, p.code) for p in scope_problems(role, swvs, gemeenten)] == expected


def test_every_role_has_a_label_a_start_page_and_a_scope_rule():
    assert set(ROLE_LABELS) == set(START_PAGES) == set(SCOPE_RULES) == set(Role)
