"""Aggregates for the dashboards: a fixed number of GROUP BY queries per page, whatever the number of cases.

Every query over cases is limited by ``case_scope_clause`` (coordinator and leerplicht pages); the inspectie
page counts across the country and returns numbers per swv only, never a pupil. Nothing here loads the cases
themselves, except the bounded list of overdue cases on the leerplicht page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import Date, Integer, String, and_, case, cast, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from thuiszitters.accounts.models import User
from thuiszitters.alerts.models import Alert
from thuiszitters.cases.models import Case
from thuiszitters.cases.scope import case_scope_clause, visible_cases
from thuiszitters.clock import to_local
from thuiszitters.dashboard.charts import running_through
from thuiszitters.escalation import lifecycle, spec
from thuiszitters.escalation.terms import DEFAULT_TERMS, Terms
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, Swv
from thuiszitters.text import month_abbreviation

# Outcomes that mean the pupil is back in education (or care with education): the offer outcomes. The rest ends the
# observation, and is shown beside the goal-met rate, never inside it.
RETURN_OUTCOMES = spec.OFFER_OUTCOMES
OTHER_OUTCOMES = spec.OTHER_CASE_OUTCOMES
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


# --- Who counts (escalation.lifecycle, in SQL) -----------------------------------------------------------------


def _relatief_counts_from(terms: Terms) -> timedelta:
    return timedelta(weeks=terms.relatief_verzuim_weeks)


def counts_on(day: date, terms: Terms = DEFAULT_TERMS) -> ColumnElement:
    """SQL: an open case counts as a thuiszitter on ``day`` (lifecycle.counts_as_thuiszitter); with status open."""
    return or_(Case.absence_kind != lifecycle.RELATIEF_VERZUIM,
               Case.out_of_school_since <= _day(day - _relatief_counts_from(terms)))


def was_counted(terms: Terms = DEFAULT_TERMS) -> ColumnElement:
    """SQL: a closed case was a thuiszitter (lifecycle.was_thuiszitter): not a signal, and a relatief verzuim only
    when its absence (to the offer, or the closing date) passed 4 weeks."""
    ended = func.coalesce(Case.offer_started_on, Case.closed_on)
    return and_(Case.out_of_school_since.is_not(None),
                or_(Case.absence_kind != lifecycle.RELATIEF_VERZUIM,
                    days_between(ended, Case.out_of_school_since) >= _relatief_counts_from(terms).days))


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
    closed: int  # thuiszitter cases closed, any outcome
    goal_met: int  # of those with an offer outcome, the goal met
    closed_with_offer: int = 0  # the goal-met rate's denominator
    running_through: date | None = None  # the month is still running: counted up to and including this day


@dataclass(frozen=True)
class SurvivalPoint:
    days: int
    share_out: float  # 0..1: share of pupils still out of school after ``days``
    at_risk: int


@dataclass
class CoordinatorDashboard:
    open: int = 0  # thuiszitters: open, relatief verzuim only past 4 weeks
    overdue: int = 0
    due_this_week: int = 0
    signals: int = 0  # dreigend thuiszitters: never in the counts above
    not_yet_counted: int = 0  # relatief verzuim within its first 4 weeks
    durations: dict[str, int] = field(default_factory=dict)
    funnel: list[tuple[str, int]] = field(default_factory=list)  # (step kind, cases that reached it)
    funnel_total: int = 0
    months: list[MonthFlow] = field(default_factory=list)
    closed_12m: int = 0
    closed_with_offer_12m: int = 0
    goal_met_12m: int = 0
    # Closed in 12 months with an outcome without a passend aanbod, by outcome: beside the rate, never in it.
    other_outcomes_12m: dict[str, int] = field(default_factory=dict)
    survival: list[SurvivalPoint] = field(default_factory=list)
    survival_cases: int = 0

    @property
    def goal_met_share(self) -> float | None:
        """Goal met among the cases closed with a passend aanbod (offer outcomes only)."""
        return self.goal_met_12m / self.closed_with_offer_12m if self.closed_with_offer_12m else None


# --- Coordinator ------------------------------------------------------------------------------------------


_SIGNAL = "signal"
_NOT_YET = "not_yet"


def _open_overview(scope: ColumnElement, today: date, result: CoordinatorDashboard, terms: Terms) -> None:
    """Open, overdue, due within 7 days and the duration buckets of the open thuiszitters, and the signals and
    the relatief verzuim within its first 4 weeks beside them: one query."""
    bucket = case(
        (Case.status == lifecycle.SIGNAAL, _SIGNAL),
        (~counts_on(today, terms), _NOT_YET),
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
        .where(scope, Case.status.in_((lifecycle.OPEN, lifecycle.SIGNAAL)))
        .group_by(bucket)
    ).all()
    result.durations = dict.fromkeys(DURATION_BUCKETS, 0)
    for name, count, late, soon in rows:
        if name == _SIGNAL:
            result.signals = count
            continue
        if name == _NOT_YET:
            result.not_yet_counted = count
            continue
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


def _month_flow(scope: ColumnElement, today: date, result: CoordinatorDashboard, terms: Terms) -> None:
    """New and closed cases per month. ``closed_on`` is set only on closed cases (reopening clears it)."""
    months = _months(today)
    result.months, result.other_outcomes_12m = _flows(months, terms, scope, today=today)
    result.closed_12m = sum(m.closed for m in result.months)
    result.closed_with_offer_12m = sum(m.closed_with_offer for m in result.months)
    result.goal_met_12m = sum(m.goal_met for m in result.months)


def _flows(months: list[date], terms: Terms, *where: ColumnElement,
           today: date) -> tuple[list[MonthFlow], dict[str, int]]:
    """New and closed thuiszitter cases per month since ``months[0]`` (goal met among those closed with an offer),
    and the closed ones per outcome without an offer over the whole period: two queries."""
    start = _day(months[0])
    new_month = _month_of(Case.out_of_school_since)
    new = dict(db.session.execute(
        select(new_month, func.count())
        .where(*where, Case.out_of_school_since >= start)
        .group_by(new_month)
    ).all())
    closed_month = _month_of(Case.closed_on)
    met = func.sum(case((Case.offer_started_on <= Case.return_deadline, 1), else_=0))
    closed: dict[str, list[int]] = {}
    other = dict.fromkeys(OTHER_OUTCOMES, 0)
    for key, outcome, count, goal in db.session.execute(
        select(closed_month, Case.outcome, func.count(), met)
        .where(*where, Case.closed_on >= start, was_counted(terms))
        .group_by(closed_month, Case.outcome)
    ).all():
        if outcome in spec.SIGNAL_OUTCOMES:
            continue
        totals = closed.setdefault(key, [0, 0, 0])
        totals[0] += count
        if outcome in RETURN_OUTCOMES:
            totals[1] += count
            totals[2] += goal or 0
        elif outcome in other:
            other[outcome] += count
    flows = []
    for month in months:
        key = month.strftime("%Y-%m")
        count, with_offer, goal = closed.get(key, (0, 0, 0))
        flows.append(MonthFlow(month, new.get(key, 0), count, goal, with_offer, running_through(month, today)))
    return flows, other


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


def coordinator_dashboard(user: User, today: date, terms: Terms = DEFAULT_TERMS) -> CoordinatorDashboard:
    """Everything on the coordinator's dashboard, in five queries."""
    scope = _scoped(user)
    result = CoordinatorDashboard()
    _open_overview(scope, today, result, terms)
    _funnel(scope, today, result)
    _month_flow(scope, today, result, terms)
    _survival(scope, today, result)
    return result


# --- Leerplicht -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GemeenteRow:
    code: str
    name: str
    open: int
    overdue: int
    signals: int = 0


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
    signals: int = 0
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


def leerplicht_dashboard(user: User, today: date, terms: Terms = DEFAULT_TERMS) -> LeerplichtDashboard:
    """Overdue cases in the user's gemeenten and how long ago their alerts were last acknowledged: 3 queries.

    Open counts thuiszitters only (relatief verzuim from 4 weeks); signals are counted beside them.
    """
    scope = _scoped(user)
    result = LeerplichtDashboard()
    is_open = Case.status == lifecycle.OPEN
    counted = func.sum(case((and_(is_open, counts_on(today, terms)), 1), else_=0))
    overdue = func.sum(case((and_(is_open, Case.return_deadline < _day(today)), 1), else_=0))
    signals = func.sum(case((Case.status == lifecycle.SIGNAAL, 1), else_=0))
    rows = db.session.execute(
        select(Gemeente.code, Gemeente.name, counted, overdue, signals)
        .join(Gemeente, Gemeente.id == Case.gemeente_id)
        .where(scope, Case.status.in_((lifecycle.OPEN, lifecycle.SIGNAAL)))
        .group_by(Gemeente.code, Gemeente.name)
        .order_by(Gemeente.code)
    ).all()
    result.gemeenten = [GemeenteRow(code, name, count or 0, late or 0, signal or 0)
                        for code, name, count, late, signal in rows]
    result.open = sum(g.open for g in result.gemeenten)
    result.overdue = sum(g.overdue for g in result.gemeenten)
    result.signals = sum(g.signals for g in result.gemeenten)

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
    closed_with_offer_this_year: int = 0
    signals: int = 0
    other_outcomes_this_year: int = 0  # closed without a passend aanbod: beside the rate, never in it

    @property
    def goal_met_share(self) -> float | None:
        """Goal met among the cases closed with a passend aanbod (offer outcomes only)."""
        offers = self.closed_with_offer_this_year
        return self.goal_met_this_year / offers if offers else None


@dataclass
class InspectieDashboard:
    year_start: date
    swvs: list[SwvRow] = field(default_factory=list)
    months: list[MonthFlow] = field(default_factory=list)
    # Closed this school year without a passend aanbod, nationally, by outcome.
    other_outcomes: dict[str, int] = field(default_factory=dict)

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.swvs)

    @property
    def goal_met_share(self) -> float | None:
        offers = self.total("closed_with_offer_this_year")
        return self.total("goal_met_this_year") / offers if offers else None


def inspectie_dashboard(today: date, terms: Terms = DEFAULT_TERMS) -> InspectieDashboard:
    """National numbers per swv for the current school year, and the national monthly flow. No personal data.

    Counts every case, including those out of any user's scope: the inspectie sees aggregates of all swv's.
    Anonymised cases still count (they hold no personal data). Only thuiszitters count (relatief verzuim from 4
    weeks); signals are counted beside them, and the goal-met rate is over offer outcomes only. Five queries; the
    swv list is bounded (~230).
    """
    year_start = school_year_start(today)
    result = InspectieDashboard(year_start)
    is_open = Case.status == lifecycle.OPEN
    open_rows = db.session.execute(
        select(Case.swv_id,
               func.sum(case((and_(is_open, counts_on(today, terms)), 1), else_=0)),
               func.sum(case((and_(is_open, Case.return_deadline < _day(today)), 1), else_=0)),
               func.sum(case((Case.status == lifecycle.SIGNAAL, 1), else_=0)))
        .where(Case.status.in_((lifecycle.OPEN, lifecycle.SIGNAAL)))
        .group_by(Case.swv_id)
    ).all()
    new_rows = db.session.execute(
        select(Case.swv_id, func.count())
        .where(Case.out_of_school_since >= _day(year_start), counts_on(today, terms),
               or_(Case.closed_on.is_(None), was_counted(terms)))
        .group_by(Case.swv_id)
    ).all()
    met = func.sum(case((Case.offer_started_on <= Case.return_deadline, 1), else_=0))
    closed_rows = db.session.execute(
        select(Case.swv_id, Case.outcome, func.count(), met)
        .where(Case.closed_on >= _day(year_start), was_counted(terms))
        .group_by(Case.swv_id, Case.outcome)
    ).all()
    opened = {swv_id: (count or 0, late or 0, signal or 0) for swv_id, count, late, signal in open_rows}
    new = dict(new_rows)
    closed: dict[int, list[int]] = {}
    result.other_outcomes = dict.fromkeys(OTHER_OUTCOMES, 0)
    for swv_id, outcome, count, goal in closed_rows:
        if outcome in spec.SIGNAL_OUTCOMES:
            continue
        totals = closed.setdefault(swv_id, [0, 0, 0, 0])  # closed, with offer, goal met, other
        totals[0] += count
        if outcome in RETURN_OUTCOMES:
            totals[1] += count
            totals[2] += goal or 0
        else:
            totals[3] += count
            if outcome in result.other_outcomes:
                result.other_outcomes[outcome] += count
    for swv_id, code, name in db.session.execute(select(Swv.id, Swv.code, Swv.name).order_by(Swv.code)).all():
        open_count, late, signal = opened.get(swv_id, (0, 0, 0))
        closed_count, with_offer, goal, other = closed.get(swv_id, (0, 0, 0, 0))
        result.swvs.append(SwvRow(code, name, open_count, late, new.get(swv_id, 0), closed_count, goal,
                                  with_offer, signal, other))
    result.months = _national_months(today, terms)
    return result


def _national_months(today: date, terms: Terms) -> list[MonthFlow]:
    return _flows(_months(today), terms, today=today)[0]
