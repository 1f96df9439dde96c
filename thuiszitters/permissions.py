"""Who may do what: the roles, what each role may do (its capabilities), and the menu that follows from it.

`can(user, capability)` is the one check. Views, the API, services and the menu ask it; no other module compares
a role. A role's scope (the swv's and gemeenten of its cases) is applied by `cases.scope.visible_cases`, which asks
the two scope capabilities below which of the account's swv's and gemeenten count.

To give a role a capability, add the role to that capability's row of `CAPABILITIES`; to add a capability, add it
to `Capability`, give it a row, check it where the action happens (`require` in the view or service) and, when it
has a page of its own, give that page a `MENU` entry. The authorization matrix (tests/web/test_authorization_
matrix.py) names the capability of every route and checks each role against this table.

Core module: no Flask, no database, no area of the app.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from thuiszitters.errors import Forbidden, InvalidParam


class Role(StrEnum):
    """The roles of DOMAIN.md. The value is what `user_account.role` stores."""

    COORDINATOR = "coordinator"
    LEERPLICHT = "leerplicht"
    INSPECTIE = "inspectie"
    ADMIN = "admin"


ROLE_LABELS: dict[Role, str] = {
    Role.COORDINATOR: "Coördinator samenwerkingsverband",
    Role.LEERPLICHT: "Leerplichtambtenaar",
    Role.INSPECTIE: "Inspectie van het Onderwijs",
    Role.ADMIN: "Functioneel beheerder",
}


class Capability(StrEnum):
    READ_CASES = "read_cases"  # the case list and case pages, the API's cases and alerts: in the account's scope
    CASES_OF_SWV = "cases_of_swv"  # the account's swv's count for its scope
    CASES_OF_GEMEENTE = "cases_of_gemeente"  # the account's gemeenten count for its scope
    EDIT_CASES = "edit_cases"  # register, edit, walk the chain, close, reopen, transfer, the network; gets reminders
    WRITE_JOURNAL = "write_journal"  # add journal entries to a case in scope, and correct one's own
    DOWNLOAD_SUMMARY = "download_summary"  # the case summary PDF
    REVIEW_ALERTS = "review_alerts"  # the leerplicht review queue: acknowledge alerts; gets the alert mails
    COORDINATOR_DASHBOARD = "coordinator_dashboard"
    LEERPLICHT_DASHBOARD = "leerplicht_dashboard"
    INSPECTIE_DASHBOARD = "inspectie_dashboard"
    READ_EXPORTS = "read_exports"  # the monthly inspectie exports
    MANAGE_USERS = "manage_users"  # accounts, their scope, tokens, sessions, second factor, provider identities
    MANAGE_REFERENCE_DATA = "manage_reference_data"  # swv's, gemeenten and schools
    MANAGE_MAIL = "manage_mail"  # the mail outbox: what failed, and sending it again
    READ_PROCESSING_LOG = "read_processing_log"  # who read or changed a case (verwerkingenlogboek)
    SEARCH_CASES = "search_cases"  # the search box on every page and the API's `q`: in the account's scope
    READ_DOCUMENTS = "read_documents"  # a case's documents: the list and the downloads, in the account's scope
    ADD_DOCUMENTS = "add_documents"  # upload a document to a case in scope
    REMOVE_DOCUMENTS = "remove_documents"  # remove any document of a case in scope (with a reason)
    REMOVE_OWN_DOCUMENTS = "remove_own_documents"  # remove a document one uploaded oneself (with a reason)
    WRITE_PLAN = "write_plan"  # the plan van aanpak and meetings: add and change actions, record an MDO/overleg
    COMPLETE_OWN_ACTIONS = "complete_own_actions"  # set the status of an action one owns (gedaan, vervallen)
    READ_WORKLIST = "read_worklist"  # the werkvoorraad ("Mijn werk") and the API's worklist: what is due, in scope


_EVERY_DASHBOARD = {Capability.COORDINATOR_DASHBOARD, Capability.LEERPLICHT_DASHBOARD, Capability.INSPECTIE_DASHBOARD}

# One row per capability: the roles that have it (DOMAIN.md, "Roles").
CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.READ_CASES: frozenset({Role.COORDINATOR, Role.LEERPLICHT, Role.ADMIN}),
    Capability.CASES_OF_SWV: frozenset({Role.COORDINATOR, Role.ADMIN}),
    Capability.CASES_OF_GEMEENTE: frozenset({Role.LEERPLICHT, Role.ADMIN}),
    Capability.EDIT_CASES: frozenset({Role.COORDINATOR}),
    Capability.WRITE_JOURNAL: frozenset({Role.COORDINATOR, Role.LEERPLICHT}),
    Capability.DOWNLOAD_SUMMARY: frozenset({Role.COORDINATOR, Role.ADMIN}),
    Capability.REVIEW_ALERTS: frozenset({Role.LEERPLICHT}),
    Capability.COORDINATOR_DASHBOARD: frozenset({Role.COORDINATOR, Role.ADMIN}),
    Capability.LEERPLICHT_DASHBOARD: frozenset({Role.LEERPLICHT, Role.ADMIN}),
    Capability.INSPECTIE_DASHBOARD: frozenset({Role.INSPECTIE, Role.ADMIN}),
    Capability.READ_EXPORTS: frozenset({Role.INSPECTIE, Role.ADMIN}),
    Capability.MANAGE_USERS: frozenset({Role.ADMIN}),
    Capability.MANAGE_REFERENCE_DATA: frozenset({Role.ADMIN}),
    Capability.MANAGE_MAIL: frozenset({Role.ADMIN}),
    Capability.READ_PROCESSING_LOG: frozenset({Role.ADMIN}),
    # DOMAIN.md: coordinators and leerplicht find pupils; an admin with a case scope reads those cases anyway.
    Capability.SEARCH_CASES: frozenset({Role.COORDINATOR, Role.LEERPLICHT, Role.ADMIN}),
    Capability.READ_DOCUMENTS: frozenset({Role.COORDINATOR, Role.LEERPLICHT, Role.ADMIN}),
    # DOMAIN.md: leerplicht adds "journal entries and documents of its own"; only the coordinator removes others'.
    Capability.ADD_DOCUMENTS: frozenset({Role.COORDINATOR, Role.LEERPLICHT}),
    Capability.REMOVE_DOCUMENTS: frozenset({Role.COORDINATOR}),
    Capability.REMOVE_OWN_DOCUMENTS: frozenset({Role.COORDINATOR, Role.LEERPLICHT}),
    # The coordinator runs the plan; leerplicht marks its own actions done (DOMAIN.md, "Casework around the chain").
    Capability.WRITE_PLAN: frozenset({Role.COORDINATOR}),
    Capability.COMPLETE_OWN_ACTIONS: frozenset({Role.COORDINATOR, Role.LEERPLICHT}),
    # DOMAIN.md: the werkvoorraad is the start page of coordinators and leerplicht users.
    Capability.READ_WORKLIST: frozenset({Role.COORDINATOR, Role.LEERPLICHT}),
}


class Account(Protocol):
    """What the checks read of a user (accounts.models.User, or Flask-Login's anonymous user)."""

    is_authenticated: bool
    role: str


class ScopedAccount(Account, Protocol):
    swv_ids: list[int]
    gemeente_ids: list[int]


def is_role(value: str) -> bool:
    """Whether `value` names one of the roles."""
    return value in Role.__members__.values()


def role_can(role: str, capability: Capability) -> bool:
    """Whether the role (as stored) has the capability."""
    return role in CAPABILITIES[capability]


def can(user: Account | None, capability: Capability) -> bool:
    """The one check: a signed-in user whose role has the capability."""
    return user is not None and bool(getattr(user, "is_authenticated", False)) and role_can(user.role, capability)


def require(user: Account | None, capability: Capability, detail: str | None = None) -> None:
    """Forbidden (403) unless the user has the capability; `detail` says why in Dutch (a default otherwise)."""
    if not can(user, capability):
        raise Forbidden(detail) if detail else Forbidden()


def roles_with(capability: Capability) -> frozenset[Role]:
    """The roles that have the capability (for a query over users: who hears about a case)."""
    return CAPABILITIES[capability]


def has_case_scope(user: ScopedAccount) -> bool:
    """The account has swv's or gemeenten that count for its scope (an admin may have none: then it sees no case)."""
    return bool((can(user, Capability.CASES_OF_SWV) and user.swv_ids)
                or (can(user, Capability.CASES_OF_GEMEENTE) and user.gemeente_ids))


# --- The scope an account gets ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScopeRule:
    """Which scope an account of a role must have, or that it gets none (user administration refuses the rest)."""

    required: str | None = None  # "swvCodes" or "gemeenteCodes": the role cannot work without one
    required_message: str = ""
    forbidden_message: str | None = None  # the role sees no personal data, so it gets no scope at all


SCOPE_RULES: dict[Role, ScopeRule] = {
    Role.COORDINATOR: ScopeRule("swvCodes", "Een coördinator hoort bij minstens één samenwerkingsverband."),
    Role.LEERPLICHT: ScopeRule("gemeenteCodes", "Een leerplichtambtenaar hoort bij minstens één gemeente."),
    Role.INSPECTIE: ScopeRule(forbidden_message="De inspectie ziet geen persoonsgegevens en krijgt geen scope."),
    Role.ADMIN: ScopeRule(),
}


def scope_problems(role: str, swv_codes: Collection[str], gemeente_codes: Collection[str]) -> list[InvalidParam]:
    """What is wrong with the scope of an account of this role (nothing for an unknown role: that is another
    problem)."""
    rule = SCOPE_RULES.get(role)
    if rule is None:
        return []
    given = {"swvCodes": bool(swv_codes), "gemeenteCodes": bool(gemeente_codes)}
    if rule.required and not given[rule.required]:
        return [InvalidParam(rule.required, "scope_required", rule.required_message)]
    if rule.forbidden_message and any(given.values()):
        return [InvalidParam("role", "no_scope_for_inspectie", rule.forbidden_message)]
    return []


# --- The menu and the start page --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MenuItem:
    label: str
    endpoint: str
    capability: Capability | None = None  # None: every signed-in user
    needs_case_scope: bool = False  # only for an account with swv's or gemeenten
    badge: str | None = None  # "unread": the number of unread notifications beside the label


# In menu order. Entries under one label are alternatives: the first the user may open is shown.
MENU: tuple[MenuItem, ...] = (
    MenuItem("Mijn werk", "worklist.index", Capability.READ_WORKLIST, needs_case_scope=True),
    MenuItem("Dashboard", "dashboard.inspectie", Capability.INSPECTIE_DASHBOARD),
    MenuItem("Dashboard", "dashboard.coordinator", Capability.COORDINATOR_DASHBOARD),
    MenuItem("Dashboard", "dashboard.leerplicht", Capability.LEERPLICHT_DASHBOARD),
    MenuItem("Casussen", "cases.index", Capability.READ_CASES, needs_case_scope=True),
    MenuItem("Nieuwe casus", "cases.new", Capability.EDIT_CASES),
    MenuItem("Signalen", "alerts.queue", Capability.REVIEW_ALERTS),
    MenuItem("Meldingen", "alerts.notifications", badge="unread"),
    MenuItem("Inspectie", "exports.index", Capability.READ_EXPORTS),
    MenuItem("Gebruikers", "admin.users", Capability.MANAGE_USERS),
    MenuItem("Verwerkingenlogboek", "reports.processing_log", Capability.READ_PROCESSING_LOG),
    MenuItem("Referentiegegevens", "reference.index", Capability.MANAGE_REFERENCE_DATA),
    MenuItem("Mail", "mail.outbox", Capability.MANAGE_MAIL),
    MenuItem("Tweestapsverificatie", "auth.mfa_setup"),
)

# Where a role lands after signing in: the first of these pages it may open (as the menu decides).
START_PAGES: dict[Role, tuple[str, ...]] = {
    Role.COORDINATOR: ("worklist.index", "dashboard.coordinator"),
    Role.LEERPLICHT: ("worklist.index", "dashboard.leerplicht"),
    Role.INSPECTIE: ("exports.index",),
    Role.ADMIN: ("cases.index", "admin.users"),
}
DEFAULT_START_PAGE = "cases.index"


def _opens(user: ScopedAccount, item: MenuItem) -> bool:
    if item.capability is not None and not can(user, item.capability):
        return False
    return not item.needs_case_scope or has_case_scope(user)


def shows_case_search(user: ScopedAccount) -> bool:
    """Whether the page header offers this user the search box: it may search and has cases to search in."""
    return can(user, Capability.SEARCH_CASES) and has_case_scope(user)


def menu(user: ScopedAccount) -> list[MenuItem]:
    """The menu of a signed-in user, in order, one entry per label."""
    shown: dict[str, MenuItem] = {}
    for item in MENU:
        if item.label not in shown and _opens(user, item):
            shown[item.label] = item
    return list(shown.values())


def start_page(user: ScopedAccount) -> str:
    """The endpoint a signed-in user starts on."""
    items = {item.endpoint: item for item in MENU}
    for endpoint in START_PAGES.get(user.role, ()):
        if _opens(user, items[endpoint]):
            return endpoint
    return DEFAULT_START_PAGE
