"""Filtered, sorted case lists, always built on visible_cases()."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select

from thuiszitters.accounts.models import User
from thuiszitters.accounts.scope import visible_cases
from thuiszitters.cases import rules
from thuiszitters.cases.models import Case
from thuiszitters.reference.models import Gemeente, School, Swv


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None  # "open" / "closed"
    overdue: bool | None = None
    stage: str | None = None  # a step kind, or "none" for cases without steps
    swv_code: str | None = None
    gemeente_code: str | None = None
    school_brin: str | None = None


def filtered_cases(user: User, flt: CaseFilter, today: date) -> Select[tuple[Case]]:
    query = visible_cases(user)
    if flt.status in rules.CASE_STATUSES:
        query = query.where(Case.status == flt.status)
    if flt.overdue is True:
        query = query.where(Case.status == "open", Case.return_deadline < today)
    elif flt.overdue is False:
        query = query.where((Case.status != "open") | (Case.return_deadline >= today))
    if flt.stage == "none":
        query = query.where(Case.stage.is_(None))
    elif flt.stage in rules.STEP_KINDS:
        query = query.where(Case.stage == flt.stage)
    if flt.swv_code:
        query = query.where(Case.swv.has(Swv.code == flt.swv_code))
    if flt.gemeente_code:
        query = query.where(Case.gemeente.has(Gemeente.code == flt.gemeente_code))
    if flt.school_brin:
        query = query.where(Case.school.has(School.brin == flt.school_brin))
    return query.order_by(Case.return_deadline, Case.id)
