"""Filtered, sorted case lists, always built on visible_cases()."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.cases.scope import note_case_in_log, visible_cases
from thuiszitters.cases.search import SearchTerms, where_found
from thuiszitters.errors import NotFound
from thuiszitters.escalation import spec
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, School, Swv


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None  # "open" / "closed"
    overdue: bool | None = None
    stage: str | None = None  # a step kind, or "none" for cases without steps
    swv_code: str | None = None
    gemeente_code: str | None = None
    school_brin: str | None = None
    search: SearchTerms | None = None  # what the search box or the API's `q` asks for (cases/search.py)
    # Without a status: whether closed cases are listed too (the page leaves them out unless asked).
    include_closed: bool = True


# The orders a case list can be sorted in (the page's column headers), each ending on the id so pages are stable.
# A signal has no return deadline: it comes last either way.
CASE_SORTS: dict[str, tuple[Any, ...]] = {
    "terugkeerdoel": (Case.return_deadline,),
    "casus": (Case.reference,),
    "leerling": (Pupil.last_name, Pupil.first_name),
    "gemeente": (Gemeente.name,),
    "stap": (Case.stage,),
    "status": (Case.status,),
}
DEFAULT_SORT = "terugkeerdoel"


def filtered_cases(user: User, flt: CaseFilter, today: date, *, sort: str = DEFAULT_SORT,
                   descending: bool = False) -> Select[tuple[Case]]:
    query = visible_cases(user)
    if flt.search is not None:
        query = where_found(query, flt.search)
    if flt.status in spec.CASE_STATUSES:
        query = query.where(Case.status == flt.status)
    elif not flt.include_closed:
        query = query.where(Case.status.in_([status for status in spec.CASE_STATUSES if status != "closed"]))
    if flt.overdue is True:
        query = query.where(Case.status == "open", Case.return_deadline < today)
    elif flt.overdue is False:
        query = query.where((Case.status != "open") | (Case.return_deadline >= today))
    if flt.stage == "none":
        query = query.where(Case.stage.is_(None))
    elif flt.stage in spec.STEP_KINDS:
        query = query.where(Case.stage == flt.stage)
    if flt.swv_code:
        query = query.where(Case.swv.has(Swv.code == flt.swv_code))
    if flt.gemeente_code:
        query = query.where(Case.gemeente.has(Gemeente.code == flt.gemeente_code))
    if flt.school_brin:
        query = query.where(Case.school.has(School.brin == flt.school_brin))
    columns = CASE_SORTS.get(sort, CASE_SORTS[DEFAULT_SORT])
    if sort == "leerling":
        query = query.join(Pupil, Pupil.id == Case.pupil_id)
    elif sort == "gemeente":
        query = query.join(Gemeente, Gemeente.id == Case.gemeente_id)
    order = [(column.desc() if descending else column.asc()).nulls_last() for column in columns]
    return query.order_by(*order, Case.id.desc() if descending else Case.id)


def case_page_options() -> tuple:
    """Eager loads for one case with everything its page shows, so the page costs the same few queries."""
    return (
        selectinload(Case.steps).joinedload(Step.school),
        joinedload(Case.school),
        joinedload(Case.outcome_school),
        joinedload(Case.coordinator),
    )


def list_options() -> tuple:
    """Eager loads for the case list (pupil, swv and gemeente are joined by the model already; the steps, in one
    query for the page, give the next deadline)."""
    return (joinedload(Case.school), selectinload(Case.steps))


def get_case_for_page(user: User, case_id: int) -> Case:
    """Like get_visible_case (404 outside the scope), with the case page's eager loads."""
    case = db.session.scalar(visible_cases(user).where(Case.id == case_id).options(*case_page_options()))
    if case is None:
        raise NotFound()
    note_case_in_log(case)
    return case


def filter_choices(user: User) -> tuple[list[Gemeente], list[School]]:
    """The gemeenten and schools that occur in the user's cases: the options of the list's filters."""
    scoped = visible_cases(user)
    gemeenten = db.session.scalars(
        select(Gemeente).where(Gemeente.id.in_(scoped.with_only_columns(Case.gemeente_id))).order_by(Gemeente.name)
    ).all()
    schools = db.session.scalars(
        select(School).where(School.id.in_(scoped.with_only_columns(Case.school_id))).order_by(School.name)
    ).all()
    return list(gemeenten), list(schools)


class CasePagination(SelectPagination):
    """Pagination that finds the page's ids first, then loads only those cases.

    With a plain OFFSET the database would join pupil, swv and gemeente for every skipped row; walking the ids
    alone stays inside the scope/status/deadline index, so a deep page costs little more than the first.
    """

    def _query_items(self) -> list[Case]:
        query = self._query_args["select"]
        session = self._query_args["session"]
        return self._load(session.scalars(query.with_only_columns(Case.id).limit(self.per_page)
                                          .offset(self._query_offset)).all())

    def _load(self, ids: Sequence[int]) -> list[Case]:
        """The cases of ``ids``, in that order, with what the list shows of them."""
        if not ids:
            return []
        session = self._query_args["session"]
        loaded = session.scalars(select(Case).where(Case.id.in_(ids)).options(*list_options())).unique()
        by_id = {case.id: case for case in loaded}
        return [by_id[case_id] for case_id in ids]

    def _query_count(self) -> int:
        query = self._query_args["select"]
        session = self._query_args["session"]
        return session.scalar(select(func.count()).select_from(
            query.with_only_columns(Case.id).order_by(None).subquery()))


class SearchPagination(CasePagination):
    """For a search: all matching ids in the list's order in one query, counted and cut into the page here.

    A search compares the key of every case in the scope (search.where_found), for the page and again for the
    count; asking once for every match costs about what asking for the page did (the matches are at most the
    scope's cases, a few hundred for a word), and the count needs no second pass.
    """

    def _query_items(self) -> list[Case]:
        query = self._query_args["select"]
        self._matches = self._query_args["session"].scalars(query.with_only_columns(Case.id)).all()
        return self._load(self._matches[self._query_offset:self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._matches)


def paginate_cases(user: User, flt: CaseFilter, today: date, *, page: int | None = None, per_page: int = 25,
                   sort: str = DEFAULT_SORT, descending: bool = False) -> CasePagination:
    """A page of the user's cases that ``flt`` lets through (`filtered_cases`), ids first; a search's matches in
    one query (`SearchPagination`). `page` defaults to ?page= like db.paginate."""
    pagination = CasePagination if flt.search is None else SearchPagination
    return pagination(select=filtered_cases(user, flt, today, sort=sort, descending=descending), session=db.session(),
                      page=page, per_page=per_page, max_per_page=100, error_out=False)
