"""Build the monthly pseudonymised inspectie export from plain case data.

See DOMAIN.md, "Monthly export for the inspectie", and the data dictionary in docs/export.md (generated from
`exports.columns`). Pure: no Flask, no database. The caller streams `ExportCase` objects, sorted by `case_id`, into
`build_export`, which makes one pass over them and writes four files into a directory:

- ``cases.csv``: one row per case that counts as a thuiszitter in the period (`CASE_COLUMNS`), as the case stood
  at the end of the month;
- ``summary.csv``: one row per swv (`SUMMARY_COLUMNS`), sorted by swv code;
- ``thuiszitters-<month>.xlsx``: the same two tables as the sheets "Casussen" and "Samenvatting", with Dutch
  headers and typed cells (`exports.xlsx`);
- ``manifest.json``: month, school-year start, case count, and the SHA-256 and size of the three files above.

A rebuild of the same month from the same data gives byte-identical files.

Definitions. The *period* of an export for month M runs from the school-year start (1 August) up to and
including the last day of M (the *month end*). A case counts as closed on its ``closed_on`` date, so at the
end of day ``d`` it is open when it has no ``closed_on`` or ``closed_on > d``.

Who counts (`escalation.lifecycle`): a case counts as a thuiszitter from its *counted-from* date, the first day
out of school, or for ``relatief_verzuim`` the day its absence passed 4 weeks. Signals (no first day out of
school) never count, nor does a relatief verzuim that ended within its first 4 weeks.

- in scope: counted at some moment of the period, i.e. counted from on or before the month end, not closed
  before the school-year start (a case closed on 1 August was still open that morning), and its absence lasted
  until the counted-from date. Only these cases are exported, and only they are counted below.
- open_at_start: counted from before the school-year start, i.e. carried over from the previous school year.
- new: counted from a date within the period.
- closed: closed within the period; also counted per outcome (``closed_<outcome>``).
- open_at_end: open at the end of the month end.
- closed_within_3_months: closed within the period with an offer outcome whose offer started on or before the
  return deadline (goal met). The other outcomes have no goal-met value and are never counted as "not met".
- overdue_at_end: open at the end of the month end, with the month end after the return deadline.
- signals_open_at_end: registered by the month end, without a first day out of school on or before it, not closed
  by then. Never part of the other counts.

Every case in scope is exactly one of open_at_start/new and exactly one of closed/open_at_end, so per swv
``open_at_start + new - closed == open_at_end``. Every count is also kept per absence kind.

Days out of school run from ``out_of_school_since`` to the *end of absence*: for a case closed by the month end
the offer's start (offer outcomes) or the closing date (the other outcomes), otherwise the month end; never
below zero. The duration buckets use the same two dates, with calendar months as in the return goal:

- ``lt_4_weeks``: fewer than 28 days;
- ``4w_to_3m``: 28 days or more, ending on or before ``out_of_school_since + 3 months``;
- ``3m_to_6m``: ending after that, on or before ``out_of_school_since + 6 months``;
- ``gt_6m``: ending after ``out_of_school_since + 6 months``;
- ``within_3m`` = ``lt_4_weeks + 4w_to_3m`` and ``gt_3m_continuous`` = ``3m_to_6m + gt_6m`` (the inspectie's
  "< 3 maanden" and "langer dan 3 maanden aaneengesloten").

A step kind is *reached* at the month end when a step of that kind started on or before it; the case row
shows the first such start date.

The CSV files are written by `exports.csv_files` (its docstring: encoding, separators, formula escape).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from thuiszitters.escalation import lifecycle, spec
from thuiszitters.escalation.terms import DEFAULT_TERMS, Terms
from thuiszitters.exports import columns as cols
from thuiszitters.exports.columns import CASE_COLUMNS, SUMMARY_COLUMNS
from thuiszitters.exports.csv_files import Cell, escape_cell, escaped_csv_row, values_getter, write_csv
from thuiszitters.exports.xlsx import GENERATED_FOR, ParallelWorkbook, Properties
from thuiszitters.parsing import ParseError, parse_month

CASES_FILE = "cases.csv"
SUMMARY_FILE = "summary.csv"
MANIFEST_FILE = "manifest.json"
CASES_SHEET = "Casussen"
SUMMARY_SHEET = "Samenvatting"
PSEUDONYM_LENGTH = 20

# The escalation chain in order, from its spec; the duration buckets of the summary, from the columns.
STEP_KINDS = spec.STEP_KINDS
DURATION_BUCKETS = cols.DURATION_BUCKETS
# cases.csv columns that hold whole numbers (read back as int by `read_csv`).
CASE_INTEGER_COLUMNS = frozenset(c.key for c in cols.CASE_COLUMN_DEFS if c.type == cols.INTEGER)

STATUS_OPEN = "open"
STATUS_CLOSED = "gesloten"
YES = cols.YES
NO = cols.NO

_FOUR_WEEKS = timedelta(days=28)


@dataclass(frozen=True)
class ExportStep:
    """One escalation step of a case: its kind (one of `STEP_KINDS`) and dates.

    ``not_followed_on``: for a GPO step, when the school board's reaction ``niet_opgevolgd`` was recorded.
    """

    kind: str
    started_on: date
    done_on: date | None
    not_followed_on: date | None = None


@dataclass(frozen=True)
class ExportCase:
    """Everything the export needs of one case, and nothing more: no names, BSN, addresses or notes.

    ``closed_on`` is the date the case was closed as it stood at the month's end, None while open then (for a
    case reopened later the reader takes it from the audit trail). ``out_of_school_since`` and
    ``return_deadline`` are None for a signal. ``created_on`` is the local date the case was registered (a signal
    counts from then). ``reopened`` is carried for the caller's convenience and not exported.
    """

    case_id: int
    swv_code: str
    gemeente_code: str
    school_type: str | None
    absence_kind: str
    out_of_school_since: date | None
    return_deadline: date | None
    closed_on: date | None
    reopened: bool
    birth_year: int
    outcome: str | None
    offer_started_on: date | None
    steps: tuple[ExportStep, ...]
    created_on: date | None = None


@dataclass(frozen=True)
class ExportFile:
    """One written file of an export."""

    name: str
    sha256: str
    size: int
    path: Path


@dataclass(frozen=True)
class ExportResult:
    """What `build_export` wrote: the data files, then manifest.json."""

    month: str
    case_count: int
    files: list[ExportFile]


# --- Dates and pseudonyms --------------------------------------------------------------------------------


def _parse_month(month: str) -> tuple[int, int]:
    try:
        return parse_month(month)
    except ParseError:
        raise ValueError(f"month must be YYYY-MM (e.g. 2026-10), got {month!r}") from None


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a month given as ``YYYY-MM``."""
    year, number = _parse_month(month)
    first_day = date(year, number, 1)
    return first_day, first_day + relativedelta(months=1, days=-1)


def school_year_start(month: str) -> date:
    """1 August of the school year (1 August – 31 July) that the month ``YYYY-MM`` belongs to."""
    year, number = _parse_month(month)
    return date(year if number >= 8 else year - 1, 8, 1)


def pseudonym(key: bytes, case_id: int) -> str:
    """Stable pseudonym of a case: HMAC-SHA256 of the decimal case id under the inspectie key, truncated."""
    if not key:
        raise ValueError("the inspectie key must not be empty")
    return hmac.digest(key, str(case_id).encode("ascii"), "sha256").hex()[:PSEUDONYM_LENGTH]


# --- One case at the month end ---------------------------------------------------------------------------


def counted_from(case: ExportCase, terms: Terms = DEFAULT_TERMS) -> date | None:
    """The first day the case counts as a thuiszitter (`escalation.lifecycle.thuiszitter_from`); None for a signal."""
    return lifecycle.thuiszitter_from(case.absence_kind, case.out_of_school_since, terms)


def _closed_by(case: ExportCase, month_end: date) -> bool:
    return case.closed_on is not None and case.closed_on <= month_end


def _absence_ended_on(case: ExportCase, month_end: date) -> date:
    """The end of the absence at the month end: the offer's start or the closing date, or the month end if open."""
    if _closed_by(case, month_end):
        ended = lifecycle.absence_ended_on(case.outcome, case.offer_started_on, case.closed_on)
        if ended is not None:
            return ended
    return month_end


def in_scope(case: ExportCase, school_year_start: date, month_end: date, terms: Terms = DEFAULT_TERMS) -> bool:
    """Whether the case counted as a thuiszitter at any moment between the school-year start and the month end
    (inclusive): counted from on or before the month end, not closed before the school-year start, and its
    absence lasted until it counted (a relatief verzuim that ended within 4 weeks never did)."""
    start = counted_from(case, terms)
    if start is None or start > month_end:
        return False
    if case.closed_on is not None and case.closed_on < school_year_start:
        return False
    return lifecycle.was_thuiszitter(case.absence_kind, case.out_of_school_since,
                                     _absence_ended_on(case, month_end), terms)


def signal_open_at(case: ExportCase, month_end: date) -> bool:
    """A signal at the end of ``month_end``: registered by then, no first day out of school on or before it, and
    not closed by then (a signal that later became a case was still a signal then)."""
    return (case.created_on is not None and case.created_on <= month_end
            and (case.out_of_school_since is None or case.out_of_school_since > month_end)
            and not _closed_by(case, month_end))


@dataclass(frozen=True)
class _MonthEndState:
    """A case in scope as it stood at the end of the month end; shared by the case row and the summary."""

    counted_from: date
    closed: bool
    absence_ended_on: date
    days_out_of_school: int
    goal_met: bool | None  # None while open and for outcomes without an offer
    overdue: bool
    steps_reached: dict[str, date]  # kind -> first start date on or before the month end
    gpo_not_followed: int


def _month_end_state(case: ExportCase, month_end: date, terms: Terms = DEFAULT_TERMS) -> _MonthEndState:
    since = case.out_of_school_since
    start = counted_from(case, terms)
    if since is None or start is None:
        raise ValueError(f"case {case.case_id}: a signal has no state as a thuiszitter")
    closed = _closed_by(case, month_end)
    ended = _absence_ended_on(case, month_end)
    steps_reached: dict[str, date] = {}
    not_followed = 0
    for step in case.steps:
        if step.kind not in spec.KIND:
            raise ValueError(f"case {case.case_id}: unknown step kind {step.kind!r}")
        if step.started_on <= month_end and (
            step.kind not in steps_reached or step.started_on < steps_reached[step.kind]
        ):
            steps_reached[step.kind] = step.started_on
        if step.not_followed_on is not None and step.not_followed_on <= month_end:
            not_followed += 1
    return _MonthEndState(
        counted_from=start,
        closed=closed,
        absence_ended_on=ended,
        days_out_of_school=max(0, (ended - since).days),
        goal_met=lifecycle.case_goal_met(status=lifecycle.CLOSED if closed else lifecycle.OPEN,
                                         outcome=case.outcome, return_deadline=case.return_deadline,
                                         offer_started_on=case.offer_started_on),
        overdue=not closed and case.return_deadline is not None and month_end > case.return_deadline,
        steps_reached=steps_reached,
        gpo_not_followed=not_followed,
    )


def _case_values(case: ExportCase, state: _MonthEndState, key: bytes) -> tuple[object, ...]:
    """The typed values of a case row in `CASE_COLUMNS` order (text, dates, whole numbers, booleans, None)."""
    closed = state.closed
    steps_reached = state.steps_reached
    values = {
        "pseudonym": pseudonym(key, case.case_id),
        "swv_code": case.swv_code,
        "gemeente_code": case.gemeente_code,
        "school_type": case.school_type,
        "absence_kind": case.absence_kind,
        "birth_year": case.birth_year,
        "out_of_school_since": case.out_of_school_since,
        "return_deadline": case.return_deadline,
        "status": STATUS_CLOSED if closed else STATUS_OPEN,
        **{column: steps_reached.get(kind) for kind, column in _STEP_COLUMN_NAMES},
        "outcome": case.outcome if closed else None,
        "offer_started_on": case.offer_started_on if closed and lifecycle.is_offer(case.outcome) else None,
        "days_out_of_school": state.days_out_of_school,
        "goal_met": state.goal_met,
        "overdue": state.overdue,
        "closed_on": case.closed_on if closed else None,
        "counted_from": state.counted_from,
        "gpo_not_followed": state.gpo_not_followed,
    }
    return tuple(values[column] for column in CASE_COLUMNS)


_STEP_COLUMN_NAMES = tuple((kind, f"{kind}_on") for kind in STEP_KINDS)
_CASE_TEXT = tuple(cols.csv_text(column.type) for column in cols.CASE_COLUMN_DEFS)


def _as_text(values: tuple[object, ...]) -> list[str]:
    return [to_text(value) for to_text, value in zip(_CASE_TEXT, values, strict=True)]


def case_row(case: ExportCase, *, key: bytes, month_end: date, terms: Terms = DEFAULT_TERMS) -> dict[str, str]:
    """The cases.csv row of one case as it stood at the end of ``month_end``, keyed by `CASE_COLUMNS`.

    A case closed after the month end is open in this row; outcome, offer start and closing date appear only once
    it is closed. The caller decides whether the case is in scope (`in_scope`).
    """
    values = _case_values(case, _month_end_state(case, month_end, terms), key)
    return dict(zip(CASE_COLUMNS, _as_text(values), strict=True))


@functools.lru_cache(maxsize=8192)
def _months_later(day: date, months: int) -> date:
    # Cached: relativedelta is slow, and a national export has a few hundred distinct start dates per year.
    return day + relativedelta(months=months)


def _duration_bucket(since: date, absence_ended_on: date) -> str:
    if absence_ended_on < since + _FOUR_WEEKS:
        return "lt_4_weeks"
    if absence_ended_on <= _months_later(since, 3):
        return "4w_to_3m"
    if absence_ended_on <= _months_later(since, 6):
        return "3m_to_6m"
    return "gt_6m"


_WITHIN_3M = frozenset({"lt_4_weeks", "4w_to_3m"})


class SummaryAccumulator:
    """Counts per swv for summary.csv, fed one case at a time; keeps counters per swv and absence kind, not cases.

    The counts follow the module's definitions, so ``open_at_start + new - closed == open_at_end`` for every swv
    and every absence kind. Cases out of scope are ignored, except that an open signal counts as one.
    """

    def __init__(self, *, school_year_start: date, month_end: date, terms: Terms = DEFAULT_TERMS) -> None:
        self.school_year_start = school_year_start
        self.month_end = month_end
        self.terms = terms
        self.case_count = 0
        # (swv, absence kind) -> count key -> number; the totals are summed over the kinds in `rows`.
        self._counts: dict[tuple[str, str], dict[str, int]] = {}
        self._signals: dict[str, int] = {}

    def add(self, case: ExportCase) -> bool:
        """Count one case; returns whether it is in scope (a signal is counted apart and returns False)."""
        if signal_open_at(case, self.month_end):
            self._count_signal(case)
            return False
        if not in_scope(case, self.school_year_start, self.month_end, self.terms):
            return False
        self._count(case, _month_end_state(case, self.month_end, self.terms))
        return True

    def _count_signal(self, case: ExportCase) -> None:
        self._signals[case.swv_code] = self._signals.get(case.swv_code, 0) + 1

    def _count(self, case: ExportCase, state: _MonthEndState) -> None:
        """Count a case in scope whose month-end state the caller computed already."""
        if state.closed and case.outcome not in spec.CASE_OUTCOMES:
            raise ValueError(f"case {case.case_id}: outcome {case.outcome!r} does not close a thuiszitter case")
        counts = self._counts.get((case.swv_code, case.absence_kind))
        if counts is None:
            counts = self._counts[(case.swv_code, case.absence_kind)] = dict.fromkeys(cols.COUNT_KEYS, 0)
        counts["open_at_start" if state.counted_from < self.school_year_start else "new"] += 1
        if state.closed:
            counts["closed"] += 1
            counts[f"closed_{case.outcome}"] += 1
        else:
            counts["open_at_end"] += 1
        counts["closed_within_3_months"] += state.goal_met is True
        counts["overdue_at_end"] += state.overdue
        assert case.out_of_school_since is not None
        bucket = _duration_bucket(case.out_of_school_since, state.absence_ended_on)
        counts[bucket] += 1
        counts[cols.WITHIN_3M if bucket in _WITHIN_3M else cols.GT_3M_CONTINUOUS] += 1
        for kind in state.steps_reached:
            counts[f"{kind}_reached"] += 1
        counts["gpo_not_followed"] += state.gpo_not_followed
        self.case_count += 1

    def rows(self) -> Iterator[dict[str, Cell]]:
        """One row per swv, sorted by swv code, keyed by `SUMMARY_COLUMNS`; may be called more than once."""
        swv_codes = sorted({swv for swv, _kind in self._counts} | set(self._signals))
        # A kind outside the vocabulary (never stored by the app) still counts in the totals; it has no columns.
        kinds = [*spec.ABSENCE_KINDS, *sorted({k for _s, k in self._counts} - set(spec.ABSENCE_KINDS))]
        empty = dict.fromkeys(cols.COUNT_KEYS, 0)
        for swv_code in swv_codes:
            row: dict[str, Cell] = {"swv_code": swv_code, **empty}
            for kind in kinds:
                of_kind = self._counts.get((swv_code, kind), empty)
                for count_key, number in of_kind.items():
                    row[count_key] += number  # type: ignore[operator]
                    row[cols.split_key(count_key, kind)] = number
            row["signals_open_at_end"] = self._signals.get(swv_code, 0)
            yield {column: row[column] for column in SUMMARY_COLUMNS}


# --- Files -----------------------------------------------------------------------------------------------


def _describe(path: Path) -> ExportFile:
    with path.open("rb") as handle:
        sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    return ExportFile(name=path.name, sha256=sha256, size=path.stat().st_size, path=path)


def _sorted_by_case_id(cases: Iterable[ExportCase]) -> Iterator[ExportCase]:
    previous: int | None = None
    for case in cases:
        if previous is not None and case.case_id <= previous:
            raise ValueError(
                f"cases must come sorted by case_id without repeats: {case.case_id} after {previous}"
            )
        previous = case.case_id
        yield case


def build_export(cases: Iterable[ExportCase], *, month: str, key: bytes, out_dir: Path,
                 terms: Terms = DEFAULT_TERMS) -> ExportResult:
    """Write the inspectie export of ``month`` (``YYYY-MM``) into ``out_dir`` in one pass over ``cases``.

    ``cases`` must come sorted by ``case_id`` (ValueError otherwise), so the files come out the same however
    the caller found them; cases out of scope are skipped (open signals are only counted). Each case row goes to
    cases.csv and, through a pipe, to the workbook's writer process as it arrives, while the summary is counted;
    the summary rows follow. Nothing holds all cases in memory. The files are built in a temporary directory
    inside ``out_dir`` and moved into place at the end, manifest.json last, so a failed build leaves ``out_dir``
    as it was; files of an earlier build of the same month are replaced.
    """
    if not key:
        raise ValueError("the inspectie key must not be empty")
    year_start = school_year_start(month)
    first_day, month_end = month_bounds(month)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = SummaryAccumulator(school_year_start=year_start, month_end=month_end, terms=terms)

    xlsx_name = f"thuiszitters-{month}.xlsx"
    with tempfile.TemporaryDirectory(prefix=".building-", dir=out_dir) as building:
        work = Path(building)
        workbook = ParallelWorkbook(work / xlsx_name, Properties(
            title=f"Thuiszitters {month}",
            # The export is due on the first of the next month; a fixed moment keeps rebuilds byte-identical.
            created=datetime.combine(first_day + relativedelta(months=1), datetime.min.time(), tzinfo=UTC),
        ), tmpdir=work)
        try:
            workbook.add_sheet(CASES_SHEET, cols.CASE_COLUMN_DEFS)
            with (work / CASES_FILE).open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
                writer.writerow([escape_cell(column) for column in CASE_COLUMNS])
                for case in _sorted_by_case_id(cases):
                    if signal_open_at(case, month_end):
                        summary._count_signal(case)
                    elif in_scope(case, year_start, month_end, terms):
                        state = _month_end_state(case, month_end, terms)
                        summary._count(case, state)
                        values = _case_values(case, state, key)
                        workbook.add_row(values)
                        writer.writerow(escaped_csv_row(_as_text(values)))
            write_csv(work / SUMMARY_FILE, SUMMARY_COLUMNS, summary.rows())
            workbook.add_sheet(SUMMARY_SHEET, cols.SUMMARY_COLUMN_DEFS)
            get_values = values_getter(SUMMARY_COLUMNS)
            workbook.add_rows(get_values(row) for row in summary.rows())
        except BaseException:
            workbook.abandon()
            raise
        workbook.close()
        data_files = [_describe(work / name) for name in (CASES_FILE, SUMMARY_FILE, xlsx_name)]
        manifest = {
            "month": month,
            "schoolYearStart": year_start.isoformat(),
            "generatedFor": GENERATED_FOR,
            "caseCount": summary.case_count,
            "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in data_files],
        }
        (work / MANIFEST_FILE).write_text(
            json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        files = [*data_files, _describe(work / MANIFEST_FILE)]
        for file in files:
            os.replace(file.path, out_dir / file.name)
    return ExportResult(
        month=month,
        case_count=summary.case_count,
        files=[replace(file, path=out_dir / file.name) for file in files],
    )
