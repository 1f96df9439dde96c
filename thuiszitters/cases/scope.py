"""What a user may see. `visible_cases` is the only way any code lists cases.

An account sees the cases of its swv's and of its gemeenten, as far as its role lets those count
(permissions.Capability.CASES_OF_SWV and CASES_OF_GEMEENTE), and only with Capability.READ_CASES at all.
"""
from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import ColumnElement, Select, false, or_, select

from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Case
from thuiszitters.errors import NotFound
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, can


def case_scope_clause(user: User) -> ColumnElement[bool]:
    """A WHERE clause limiting cases to the user's swv's and gemeenten; false when the user has no case access."""
    if not user.is_active or not can(user, Capability.READ_CASES):
        return false()
    clauses = []
    if can(user, Capability.CASES_OF_SWV) and user.swv_ids:
        clauses.append(Case.swv_id.in_(user.swv_ids))
    if can(user, Capability.CASES_OF_GEMEENTE) and user.gemeente_ids:
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
    note_case_in_log(case)
    return case


def note_case_in_log(case: Case) -> None:
    """Name the case in this request's log line (its id only)."""
    if has_request_context():
        g.case_id = case.id
