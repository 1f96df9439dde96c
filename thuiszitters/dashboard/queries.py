"""Aggregates for the dashboards: a fixed number of GROUP BY queries per page, whatever the number of cases.

Every query over cases is limited by ``case_scope_clause`` (coordinator and leerplicht pages); the inspectie
page counts across the country and returns numbers per swv only, never a pupil. Nothing here loads the cases
themselves, except the bounded list of overdue cases on the leerplicht page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, Integer, String, and_, case, cast, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from thuiszitters.accounts.models import User
from thuiszitters.accounts.scope import case_scope_clause, visible_cases
from thuiszitters.cases.models import Case
from thuiszitters.clock import to_local
from thuiszitters.dashboard.charts import running_through
from thuiszitters.escalation import spec
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, Swv
from thuiszitters.reminders.models import Alert
from thuiszitters.text import month_abbreviation

# Outcomes that mean the pupil is back in education (or care with education); the rest ends the observation.
RETURN_OUTCOMES = ("terug_naar_school", "maatwerk", "onderwijszorgarrangement")
DURATION_BUCKETS = ("lt_4w", "4w_3m", "3m_6m", "gt_6m")
DURATION_LABELS = {"lt_4w": "Korter dan 4 weken", "4w_3m": "4 weken tot 3 maanden",
                   "3m_6m": "3 tot 6 maanden", "gt_6m": "Langer dan 6 maanden"}
ACK_BUCKETS = ("never", "lt_4w", "4w_12w", "gt_12w")
ACK_LABELS = {"never": "Nog nooit bevestigd", "lt_4w": "Minder dan 4 weken geleden",
              "4w_12w": "4 tot 12 weken geleden", "gt_12w": "Meer dan 12 weken geleden"}
SURVIVAL_WEEKS = 26
SURVIVAL_WINDOW_DAYS = 730
MONTHS = 12
OVERDUE_LIST_LIMIT = 50


# --- Dialect helpers --------------------------------------------------------------------------------------


class days_between(FunctionElement):
    """Whole days from ``earlier`` to ``later`` (two DATE expressions)."""

    type = Integer()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)})"
            f" AS INTEGER)")


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


def _month_of(column) -> ColumnElement:
    """'YYYY-MM' of a DATE column, cut from its ISO text: cheaper than date functions, and the same SQL on
    SQLite (dates stored as ISO text) and PostgreSQL (a date cast to text is ISO)."""
    return func.substr(cast(column, String), 1, 7)


def _day(value: date) -> ColumnElement:
    return literal(value, Date)


def _scoped(user: User) -> ColumnElement:
    return and_(case_scope_clause(user), Case.anonymised_at.is_(None))


def school_year_start(day: date) -> date:
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def _months(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the last ``count`` months, oldest first, ending with this month."""
    first = today.replace(day=1)
    return [first - relativedelta(months=offset) for offset in range(count - 1, -1, -1)]


def month_label(first_day: date) -> str:
    return f"{month_abbreviation(first_day.month)} {first_day.year}"


# --- Results ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFlow:
    month: date
    new: int
    closed: int
    goal_met: int
    running_through: date | None = None  # the month is still running: counted up to and including this day


@dataclass(frozen=True)
class SurvivalPoint:
    days: int
    share_out: float  # 0..1: share of pupils still out of school after ``days``
    at_risk: int


@dataclass
class CoordinatorDashboard:
    open: int = 0
    overdue: int = 0
    due_this_week: int = 0
    durations: dict[str, int] = field(default_factory=dict)
    funnel: list[tuple[str, int]] = field(default_factory=list)  # (step kind, cases that reached it)
    funnel_total: int = 0
    months: list[MonthFlow] = field(default_factory=list)
    closed_12m: int = 0
    goal_met_12m: int = 0
    survival: list[SurvivalPoint] = field(default_factory=list)
    survival_cases: int = 0

    @property
    def goal_met_share(self) -> float | None:
        return self.goal_met_12m / self.closed_12m if self.closed_12m else None


# --- Coordinator ------------------------------------------------------------------------------------------


def _open_overview(scope: ColumnElement, today: date, result: CoordinatorDashboard) -> None:
    """Open, overdue, due within 7 days and the duration buckets of the open cases: one query."""
    bucket = case(
        (Case.out_of_school_since > _day(today - timedelta(weeks=4)), "lt_4w"),
        (Case.return_deadline >= _day(today), "4w_3m"),
        (Case.out_of_school_since >= _day(today - relativedelta(months=6)), "3m_6m"),
        else_="gt_6m",
    ).label("bucket")
    overdue = func.sum(case((Case.return_deadline < _day(today), 1), else_=0))
    due_soon = func.sum(case((Case.return_deadline.between(_day(today), _day(today + timedelta(days=6))), 1),
                             else_=0))
    rows = db.session.execute(
        select(bucket, func.count(), overdue, due_soon)
        .where(scope, Case.status == "open")
        .group_by(bucket)
    ).all()
    result.durations = dict.fromkeys(DURATION_BUCKETS, 0)
    for name, count, late, soon in rows:
        result.durations[name] = count
        result.open += count
        result.overdue += late or 0
        result.due_this_week += soon or 0


def _funnel(scope: ColumnElement, today: date, result: CoordinatorDashboard) -> None:
    """How many cases of the last twelve months reached each step (the furthest step counts for all before)."""
    since = today - relativedelta(months=MONTHS)
    rows = db.session.execute(
        select(Case.stage, func.count())
        .where(scope, Case.out_of_school_since >= _day(since))
        .group_by(Case.stage)
    ).all()
    per_stage = {stage: count for stage, count in rows}
    result.funnel_total = sum(per_stage.values())
    reached = []
    running = 0
    for kind in reversed(spec.STEP_KINDS):
        running += per_stage.get(kind, 0)
        reached.append((kind, running))
    result.funnel = list(reversed(reached))


def _month_flow(scope: ColumnElement, today: date, result: CoordinatorDashboard) -> None:
    """New and closed cases per month. ``closed_on`` is set only on closed cases (reopening clears it)."""
    months = _months(today)
    result.months = _flows(months, scope, today=today)
    result.closed_12m = sum(m.closed for m in result.months)
    result.goal_met_12m = sum(m.goal_met for m in result.months)


def _flows(months: list[date], *where: ColumnElement, today: date) -> list[MonthFlow]:
    """New and closed cases (and goal met among the closed) per month since ``months[0]``: two queries."""
    start = _day(months[0])
    new_month = _month_of(Case.out_of_school_since)
    new = dict(db.session.execute(
        select(new_month, func.count())
        .where(*where, Case.out_of_school_since >= start)
        .group_by(new_month)
    ).all())
    closed_month = _month_of(Case.closed_on)
    met = func.sum(case((Case.offer_started_on <= Case.return_deadline, 1), else_=0))
    closed = {key: (count, goal or 0) for key, count, goal in db.session.execute(
        select(closed_month, func.count(), met)
        .where(*where, Case.closed_on >= start)
        .group_by(closed_month)
    ).all()}
    flows = []
    for month in months:
        key = month.strftime("%Y-%m")
        count, goal = closed.get(key, (0, 0))
        flows.append(MonthFlow(month, new.get(key, 0), count, goal, running_through(month, today)))
    return flows


def survival_curve(buckets: dict[tuple[int, bool], int], weeks: int = SURVIVAL_WEEKS) -> list[SurvivalPoint]:
    """Kaplan-Meier estimate per week from counts per (week, returned?); week ``weeks`` holds everyone later.

    A case still open, or closed without a return to education, counts as observed until that week (censored).
    """
    at_risk = sum(buckets.values())
    share = 1.0
    points = [SurvivalPoint(0, 1.0, at_risk)]
    for week in range(weeks):
        returned = buckets.get((week, True), 0)
        if at_risk:
            share *= 1 - returned / at_risk
        at_risk -= returned + buckets.get((week, False), 0)
        points.append(SurvivalPoint((week + 1) * 7, share, at_risk))
    return points


def _survival(scope: ColumnElement, today: date, result: CoordinatorDashboard) -> None:
    end = func.coalesce(Case.offer_started_on, _day(today))
    duration = days_between(end, Case.out_of_school_since)
    week = case((duration >= SURVIVAL_WEEKS * 7, SURVIVAL_WEEKS), else_=duration // 7).label("week")
    returned = case((and_(Case.status == "closed", Case.outcome.in_(RETURN_OUTCOMES)), 1), else_=0).label("ret")
    rows = db.session.execute(
        select(week, returned, func.count())
        .where(scope, Case.out_of_school_since >= _day(today - timedelta(days=SURVIVAL_WINDOW_DAYS)))
        .group_by(week, returned)
    ).all()
    buckets = {(int(w), bool(r)): count for w, r, count in rows}
    result.survival_cases = sum(buckets.values())
    result.survival = survival_curve(buckets)


def coordinator_dashboard(user: User, today: date) -> CoordinatorDashboard:
    """Everything on the coordinator's dashboard, in five queries."""
    scope = _scoped(user)
    result = CoordinatorDashboard()
    _open_overview(scope, today, result)
    _funnel(scope, today, result)
    _month_flow(scope, today, result)
    _survival(scope, today, result)
    return result


# --- Leerplicht -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GemeenteRow:
    code: str
    name: str
    open: int
    overdue: int


@dataclass(frozen=True)
class OverdueCase:
    case: Case
    days_overdue: int
    last_acknowledged_at: datetime | None
    days_since_acknowledgement: int | None
    open_alerts: int


@dataclass
class LeerplichtDashboard:
    gemeenten: list[GemeenteRow] = field(default_factory=list)
    open: int = 0
    overdue: int = 0
    open_alerts: int = 0
    acknowledgement: dict[str, int] = field(default_factory=dict)
    overdue_cases: list[OverdueCase] = field(default_factory=list)


def _last_ack():
    return (select(func.max(Alert.acknowledged_at)).where(Alert.case_id == Case.id)
            .correlate(Case).scalar_subquery())


def _open_alert_count():
    return (select(func.count()).where(Alert.case_id == Case.id, Alert.status == "open")
            .correlate(Case).scalar_subquery())


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def leerplicht_dashboard(user: User, today: date) -> LeerplichtDashboard:
    """Overdue cases in the user's gemeenten and how long ago their alerts were last acknowledged: 3 queries."""
    scope = _scoped(user)
    result = LeerplichtDashboard()
    overdue = func.sum(case((Case.return_deadline < _day(today), 1), else_=0))
    rows = db.session.execute(
        select(Gemeente.code, Gemeente.name, func.count(Case.id), overdue)
        .join(Gemeente, Gemeente.id == Case.gemeente_id)
        .where(scope, Case.status == "open")
        .group_by(Gemeente.code, Gemeente.name)
        .order_by(Gemeente.code)
    ).all()
    result.gemeenten = [GemeenteRow(code, name, count, late or 0) for code, name, count, late in rows]
    result.open = sum(g.open for g in result.gemeenten)
    result.overdue = sum(g.overdue for g in result.gemeenten)

    last_ack = _last_ack().label("last_ack")
    overdue_cases = (
        select(Case.id.label("case_id"), last_ack, _open_alert_count().label("open_alerts"))
        .where(scope, Case.status == "open", Case.return_deadline < _day(today))
        .subquery()
    )
    bucket = case(
        (overdue_cases.c.last_ack.is_(None), "never"),
        (overdue_cases.c.last_ack >= _midnight(today - timedelta(weeks=4)), "lt_4w"),
        (overdue_cases.c.last_ack >= _midnight(today - timedelta(weeks=12)), "4w_12w"),
        else_="gt_12w",
    ).label("bucket")
    result.acknowledgement = dict.fromkeys(ACK_BUCKETS, 0)
    for name, count, alerts in db.session.execute(
        select(bucket, func.count(), func.sum(overdue_cases.c.open_alerts)).group_by(bucket)
    ).all():
        result.acknowledgement[name] = count
        result.open_alerts += alerts or 0

    listed = db.session.execute(
        visible_cases(user)
        .add_columns(_last_ack(), _open_alert_count())
        .where(Case.status == "open", Case.return_deadline < _day(today))
        .order_by(Case.return_deadline, Case.id)
        .limit(OVERDUE_LIST_LIMIT)
    ).all()
    for item, acknowledged_at, alerts in listed:
        since_ack = None
        if acknowledged_at is not None:
            acknowledged_at = _aware(acknowledged_at)
            since_ack = max(0, (today - to_local(acknowledged_at).date()).days)
        result.overdue_cases.append(OverdueCase(item, (today - item.return_deadline).days, acknowledged_at,
                                                since_ack, alerts or 0))
    return result


def _aware(moment: datetime | str) -> datetime:
    """A timestamp read through an aggregate loses its column type (SQLite returns text): normalise it."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- Inspectie --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SwvRow:
    code: str
    name: str
    open: int
    overdue: int
    new_this_year: int
    closed_this_year: int
    goal_met_this_year: int

    @property
    def goal_met_share(self) -> float | None:
        return self.goal_met_this_year / self.closed_this_year if self.closed_this_year else None


@dataclass
class InspectieDashboard:
    year_start: date
    swvs: list[SwvRow] = field(default_factory=list)
    months: list[MonthFlow] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.swvs)

    @property
    def goal_met_share(self) -> float | None:
        closed = self.total("closed_this_year")
        return self.total("goal_met_this_year") / closed if closed else None


def inspectie_dashboard(today: date) -> InspectieDashboard:
    """National numbers per swv for the current school year, and the national monthly flow. No personal data.

    Counts every case, including those out of any user's scope: the inspectie sees aggregates of all swv's.
    Anonymised cases still count (they hold no personal data). Four queries; the swv list is bounded (~230).
    """
    year_start = school_year_start(today)
    result = InspectieDashboard(year_start)
    open_rows = db.session.execute(
        select(Case.swv_id, func.count(), func.sum(case((Case.return_deadline < _day(today), 1), else_=0)))
        .where(Case.status == "open")
        .group_by(Case.swv_id)
    ).all()
    new_rows = db.session.execute(
        select(Case.swv_id, func.count())
        .where(Case.out_of_school_since >= _day(year_start))
        .group_by(Case.swv_id)
    ).all()
    met = func.sum(case((Case.offer_started_on <= Case.return_deadline, 1), else_=0))
    closed_rows = db.session.execute(
        select(Case.swv_id, func.count(), met)
        .where(Case.closed_on >= _day(year_start))
        .group_by(Case.swv_id)
    ).all()
    opened = {swv_id: (count, late or 0) for swv_id, count, late in open_rows}
    new = dict(new_rows)
    closed = {swv_id: (count, goal or 0) for swv_id, count, goal in closed_rows}
    for swv_id, code, name in db.session.execute(select(Swv.id, Swv.code, Swv.name).order_by(Swv.code)).all():
        open_count, late = opened.get(swv_id, (0, 0))
        closed_count, goal = closed.get(swv_id, (0, 0))
        result.swvs.append(SwvRow(code, name, open_count, late, new.get(swv_id, 0), closed_count, goal))
    result.months = _national_months(today)
    return result


def _national_months(today: date) -> list[MonthFlow]:
    return _flows(_months(today), today=today)
