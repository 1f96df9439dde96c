"""What a user may see. `visible_cases` is the only way any code lists cases."""
from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import Select, false, or_, select

from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Case
from thuiszitters.errors import Forbidden, NotFound
from thuiszitters.extensions import db

# Roles that work with case content (personal data).
CASE_ROLES = frozenset({"coordinator", "leerplicht", "admin"})
# Roles that may change cases (the leerplicht role reads and acknowledges alerts only).
CASE_EDIT_ROLES = frozenset({"coordinator"})
EXPORT_ROLES = frozenset({"inspectie", "admin"})


def case_scope_clause(user: User):
    """A WHERE clause limiting cases to the user's swv's and gemeenten; false when the user has no case access."""
    if not user.is_active or user.role not in CASE_ROLES:
        return false()
    clauses = []
    if user.role in {"coordinator", "admin"} and user.swv_ids:
        clauses.append(Case.swv_id.in_(user.swv_ids))
    if user.role in {"leerplicht", "admin"} and user.gemeente_ids:
        clauses.append(Case.gemeente_id.in_(user.gemeente_ids))
    if not clauses:
        return false()
    return or_(*clauses)


def visible_cases(user: User) -> Select[tuple[Case]]:
    """All cases the user may see, as a select to filter, sort and paginate further."""
    return select(Case).where(case_scope_clause(user), Case.anonymised_at.is_(None))


def get_visible_case(user: User, case_id: int) -> Case:
    """The case if the user may see it; NotFound otherwise (no leaking that it exists)."""
    case = db.session.scalar(visible_cases(user).where(Case.id == case_id))
    if case is None:
        raise NotFound()
    if has_request_context():
        g.case_id = case.id  # for the log line of this request
    return case


def require_role(user: User, roles: frozenset[str] | set[str]) -> None:
    if not user.is_authenticated or user.role not in roles:
        raise Forbidden()


def can_edit_case(user: User) -> bool:
    return user.role in CASE_EDIT_ROLES
