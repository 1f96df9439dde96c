"""Build the monthly pseudonymised inspectie export from plain case data.

See DOMAIN.md, "Monthly export for the inspectie". Pure: no Flask, no database. The caller streams
`ExportCase` objects, sorted by `case_id`, into `build_export`, which makes one pass over them and writes
four files into a directory:

- ``cases.csv``: one row per case in scope (`CASE_COLUMNS`), as the case stood at the end of the month;
- ``summary.csv``: one row per swv (`SUMMARY_COLUMNS`), sorted by swv code;
- ``thuiszitters-<month>.xlsx``: the same two tables as the sheets "cases" and "summary";
- ``manifest.json``: month, school-year start, case count, and the SHA-256 and size of the three files above.

A rebuild of the same month from the same data gives byte-identical files.

Definitions. The *period* of an export for month M runs from the school-year start (1 August) up to and
including the last day of M (the *month end*). A case counts as closed on its ``closed_on`` date, so at the
end of day ``d`` it is open when ``out_of_school_since <= d`` and it has no ``closed_on`` or
``closed_on > d``.

- in scope: open at any moment of the period, i.e. ``out_of_school_since <= month end`` and not closed
  before the school-year start (a case closed on 1 August was still open that morning). Only these cases
  are exported, and only they are counted below.
- open_at_start: out of school since before the school-year start, i.e. carried over from the previous
  school year and open at the start of the period.
- new: out of school since a date within the period.
- closed: closed within the period.
- open_at_end: open at the end of the month end.
- closed_within_3_months: closed within the period with an offer that started on or before the
  return deadline (goal met).
- overdue_at_end: open at the end of the month end, with the month end after the return deadline.

Every case in scope is exactly one of open_at_start/new and exactly one of closed/open_at_end, so per swv
``open_at_start + new - closed == open_at_end``.

Days out of school run from ``out_of_school_since`` to the *end of absence*: ``offer_started_on`` for a
case closed by the month end (its ``closed_on`` when no offer was recorded), otherwise the month end; never
below zero. The duration buckets use the same two dates, with calendar months as in the return goal:

- ``lt_4_weeks``: fewer than 28 days;
- ``4w_to_3m``: 28 days or more, ending on or before ``out_of_school_since + 3 months``;
- ``3m_to_6m``: ending after that, on or before ``out_of_school_since + 6 months``;
- ``gt_6m``: ending after ``out_of_school_since + 6 months``.

A step kind is *reached* at the month end when a step of that kind started on or before it; the case row
shows the first such start date.

CSV files are UTF-8 with a BOM, ``;``-separated, with CRLF line ends (RFC 4180, and what Excel writes
itself). A cell starting with ``= + - @``, a tab or a carriage return gets a leading ``'`` so a spreadsheet
shows it as text instead of running it as a formula; a cell that already starts with ``'`` gets one too, so
the escape can be undone exactly (`unescape_cell`).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import hmac
import json
import operator
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, TypeAlias

from dateutil.relativedelta import relativedelta

from thuiszitters.parsing import ParseError, parse_month
from thuiszitters.text import utc_timestamp

GENERATED_FOR = "Inspectie van het Onderwijs"
CASES_FILE = "cases.csv"
SUMMARY_FILE = "summary.csv"
MANIFEST_FILE = "manifest.json"
PSEUDONYM_LENGTH = 20

# The escalation chain in order (DOMAIN.md, "The escalation chain").
STEP_KINDS = ("aanmelding", "swv_inzet", "consulent", "geschillencommissie", "interventieteam")

CASE_COLUMNS = (
    "pseudonym",
    "swv_code",
    "gemeente_code",
    "school_type",
    "absence_kind",
    "birth_year",
    "out_of_school_since",
    "return_deadline",
    "status",
    *(f"{kind}_on" for kind in STEP_KINDS),
    "outcome",
    "offer_started_on",
    "days_out_of_school",
    "goal_met",
    "overdue",
)
# cases.csv columns that hold whole numbers; the xlsx stores them as numbers.
CASE_INTEGER_COLUMNS = frozenset({"birth_year", "days_out_of_school"})

DURATION_BUCKETS = ("lt_4_weeks", "4w_to_3m", "3m_to_6m", "gt_6m")
SUMMARY_COLUMNS = (
    "swv_code",
    "open_at_start",
    "new",
    "closed",
    "open_at_end",
    "closed_within_3_months",
    "overdue_at_end",
    *DURATION_BUCKETS,
    *(f"{kind}_reached" for kind in STEP_KINDS),
)

STATUS_OPEN = "open"
STATUS_CLOSED = "gesloten"
YES = "ja"
NO = "nee"

Cell: TypeAlias = str | int | None
Row: TypeAlias = Mapping[str, Cell]

_ESCAPED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_ESCAPED_FIRST = frozenset(_ESCAPED_STARTS)
_FOUR_WEEKS = timedelta(days=28)


@dataclass(frozen=True)
class ExportStep:
    """One escalation step of a case: its kind (one of `STEP_KINDS`) and dates."""

    kind: str
    started_on: date
    done_on: date | None


@dataclass(frozen=True)
class ExportCase:
    """Everything the export needs of one case, and nothing more: no names, BSN, addresses or notes.

    ``closed_on`` is the date the case was closed as it stood at the month's end, None while open then (for a
    case reopened later the reader takes it from the audit trail). ``reopened`` is carried for the caller's
    convenience and not exported.
    """

    case_id: int
    swv_code: str
    gemeente_code: str
    school_type: str | None
    absence_kind: str
    out_of_school_since: date
    return_deadline: date
    closed_on: date | None
    reopened: bool
    birth_year: int
    outcome: str | None
    offer_started_on: date | None
    steps: tuple[ExportStep, ...]


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


def in_scope(case: ExportCase, school_year_start: date, month_end: date) -> bool:
    """Whether the case was open at any moment between the school-year start and the month end (inclusive)."""
    return case.out_of_school_since <= month_end and (
        case.closed_on is None or case.closed_on >= school_year_start
    )


@dataclass(frozen=True)
class _MonthEndState:
    """A case as it stood at the end of the month end; shared by the case row and the summary."""

    closed: bool
    absence_ended_on: date
    days_out_of_school: int
    goal_met: bool | None  # None while open
    overdue: bool
    steps_reached: dict[str, date]  # kind -> first start date on or before the month end


def _month_end_state(case: ExportCase, month_end: date) -> _MonthEndState:
    closed = False
    absence_ended_on = month_end
    goal_met: bool | None = None
    if case.closed_on is not None and case.closed_on <= month_end:
        closed = True
        absence_ended_on = case.offer_started_on or case.closed_on
        goal_met = case.offer_started_on is not None and case.offer_started_on <= case.return_deadline
    steps_reached: dict[str, date] = {}
    for step in case.steps:
        if step.kind not in STEP_KINDS:
            raise ValueError(f"case {case.case_id}: unknown step kind {step.kind!r}")
        if step.started_on <= month_end and (
            step.kind not in steps_reached or step.started_on < steps_reached[step.kind]
        ):
            steps_reached[step.kind] = step.started_on
    return _MonthEndState(
        closed=closed,
        absence_ended_on=absence_ended_on,
        days_out_of_school=max(0, (absence_ended_on - case.out_of_school_since).days),
        goal_met=goal_met,
        overdue=not closed and month_end > case.return_deadline,
        steps_reached=steps_reached,
    )


def _iso(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return YES if value else NO


def case_row(case: ExportCase, *, key: bytes, month_end: date) -> dict[str, str]:
    """The cases.csv row of one case as it stood at the end of ``month_end``, keyed by `CASE_COLUMNS`.

    A case closed after the month end is open in this row; outcome and offer start appear only once it is
    closed. The caller decides whether the case is in scope (`in_scope`).
    """
    return _case_row(case, _month_end_state(case, month_end), key)


_STEP_COLUMN_NAMES = tuple((kind, f"{kind}_on") for kind in STEP_KINDS)


def _case_row(case: ExportCase, state: _MonthEndState, key: bytes) -> dict[str, str]:
    steps_reached = state.steps_reached
    row = {
        "pseudonym": pseudonym(key, case.case_id),
        "swv_code": case.swv_code,
        "gemeente_code": case.gemeente_code,
        "school_type": case.school_type or "",
        "absence_kind": case.absence_kind,
        "birth_year": str(case.birth_year),
        "out_of_school_since": _iso(case.out_of_school_since),
        "return_deadline": _iso(case.return_deadline),
        "status": STATUS_CLOSED if state.closed else STATUS_OPEN,
        **{column: _iso(steps_reached.get(kind)) for kind, column in _STEP_COLUMN_NAMES},
        "outcome": (case.outcome or "") if state.closed else "",
        "offer_started_on": _iso(case.offer_started_on) if state.closed else "",
        "days_out_of_school": str(state.days_out_of_school),
        "goal_met": _yes_no(state.goal_met),
        "overdue": _yes_no(state.overdue),
    }
    return {column: row[column] for column in CASE_COLUMNS}


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


class SummaryAccumulator:
    """Counts per swv for summary.csv, fed one case at a time; keeps one counter row per swv, not the cases.

    The counts follow the module's definitions: open_at_start means open at the start of the period
    (carried over from before 1 August), so ``open_at_start + new - closed == open_at_end`` for every swv.
    Cases out of scope are ignored.
    """

    def __init__(self, *, school_year_start: date, month_end: date) -> None:
        self.school_year_start = school_year_start
        self.month_end = month_end
        self.case_count = 0
        self._counts: dict[str, dict[str, int]] = {}

    def add(self, case: ExportCase) -> bool:
        """Count one case; returns False (and counts nothing) when it is out of scope."""
        if not in_scope(case, self.school_year_start, self.month_end):
            return False
        self._count(case, _month_end_state(case, self.month_end))
        return True

    def _count(self, case: ExportCase, state: _MonthEndState) -> None:
        """Count a case in scope whose month-end state the caller computed already."""
        counts = self._counts.get(case.swv_code)
        if counts is None:
            counts = self._counts[case.swv_code] = dict.fromkeys(SUMMARY_COLUMNS[1:], 0)
        counts["open_at_start" if case.out_of_school_since < self.school_year_start else "new"] += 1
        counts["closed" if state.closed else "open_at_end"] += 1
        counts["closed_within_3_months"] += bool(state.goal_met)
        counts["overdue_at_end"] += state.overdue
        counts[_duration_bucket(case.out_of_school_since, state.absence_ended_on)] += 1
        for kind in state.steps_reached:
            counts[f"{kind}_reached"] += 1
        self.case_count += 1

    def rows(self) -> Iterator[dict[str, Cell]]:
        """One row per swv, sorted by swv code, keyed by `SUMMARY_COLUMNS`; may be called more than once."""
        for swv_code in sorted(self._counts):
            yield {"swv_code": swv_code, **self._counts[swv_code]}


# --- Files -----------------------------------------------------------------------------------------------


def escape_cell(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet could run as a formula, and to one already starting with it."""
    return "'" + text if text[:1] in _ESCAPED_FIRST else text


def unescape_cell(text: str) -> str:
    """Undo `escape_cell`."""
    return text[1:] if text[:1] == "'" else text


def _cell_text(value: Cell) -> str:
    if type(value) is str:  # the common case first: this runs for every cell
        return value
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"export cells are str, int or None, got {type(value).__name__}")
    return str(value)


def _values_getter(columns: Sequence[str]) -> Callable[[Row], tuple[Cell, ...]]:
    """A fast function from a row to its values in column order (KeyError for a missing column)."""
    if len(columns) == 1:
        column = columns[0]
        return lambda row: (row[column],)
    return operator.itemgetter(*columns)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """Write rows to a CSV file as they come: UTF-8 BOM, ``;``-separated, CRLF, formula-like cells escaped.

    Each row must hold every column; extra keys are not written.
    """
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow([escape_cell(column) for column in columns])
        values_of = _values_getter(columns)
        for row in rows:
            # Plain text that needs no escape is the common case; it skips the function calls.
            writer.writerow([
                value if type(value) is str and value[:1] not in _ESCAPED_FIRST else escape_cell(_cell_text(value))
                for value in values_of(row)
            ])


def read_csv(path: Path, integer_columns: Iterable[str] = ()) -> Iterator[dict[str, Cell]]:
    """Read back a file written by `write_csv` one row at a time, unescaped; integer columns as int."""
    integers = frozenset(integer_columns)
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [unescape_cell(name) for name in next(reader)]
        for record in reader:
            row: dict[str, Cell] = {}
            for column, raw in zip(header, record, strict=True):
                text = unescape_cell(raw)
                row[column] = int(text) if column in integers and text else text
            yield row


_XML_ESCAPE = re.compile(r"[&<>]")
_XML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Characters XML 1.0 cannot hold (tab and newline it can) and literal "_xHHHH_" sequences, which a spreadsheet
# would read as an escape: both are written in the OOXML escape form, as Excel itself does.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_")
_XML_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_")
# A cell text that needs more than copying: something to escape, or edge whitespace to preserve.
# Searched in a row's texts joined by "|"; a "|" inside a text can only cause a needless careful write.
_ROW_NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_|(?:^|\|)\s|\s(?:\||$)")
_XLSX_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLSX_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _xml_text(text: str) -> str:
    if _XML_SPECIAL.search(text) is None:  # the common case: nothing to escape
        return text
    if _XML_UNSAFE.search(text):
        text = _XML_UNSAFE.sub(
            lambda m: f"_x005F{m.group()}" if len(m.group()) > 1 else f"_x{ord(m.group()):04X}_", text
        )
    if _XML_ESCAPE.search(text):
        text = _XML_ESCAPE.sub(lambda m: _XML_ENTITIES[m.group()], text)
    return text


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _inline_string(ref: str, text: str, style: str = "") -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>'


class _SheetBody:
    """The ``<row>`` elements of one worksheet, written to a file as the rows come, header row first.

    Integers become numbers, and so does the text of an ``integer_columns`` cell (rows of cases.csv hold
    text); every other value becomes an inline string, so formula-like text stays text.
    """

    def __init__(self, path: Path, columns: Sequence[str], integer_columns: Iterable[str] = ()) -> None:
        integers = frozenset(integer_columns)
        self.path = path
        self.columns = columns
        self.row_count = 1
        self._cells = [(_column_letter(i), column in integers) for i, column in enumerate(columns)]
        self._values_of = _values_getter(columns)
        self._handle: IO[str] = path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
        header = "".join(
            _inline_string(f"{_column_letter(i)}1", column, ' s="1"') for i, column in enumerate(columns)
        )
        self._handle.write(f'<row r="1">{header}</row>')

    def add(self, row: Row) -> None:
        number = self.row_count + 1
        cells = []
        texts = []
        for (letter, as_integer), value in zip(self._cells, self._values_of(row), strict=True):
            if type(value) is str:
                if not value:
                    continue
                if as_integer:
                    cells.append(f'<c r="{letter}{number}"><v>{int(value)}</v></c>')
                else:
                    cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{value}</t></is></c>')
                    texts.append(value)
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
            elif value is not None:
                _cell_text(value)  # raises TypeError for anything but str, int or None
        # One search per row instead of one per cell: only a row with something to escape (or edge whitespace)
        # is written again the careful way.
        if texts and _ROW_NEEDS_CARE.search("|".join(texts)):
            cells = [self._careful_cell(letter, as_integer, number, value)
                     for (letter, as_integer), value in zip(self._cells, self._values_of(row), strict=True)
                     if value is not None and value != ""]
        self._handle.write(f'<row r="{number}">{"".join(cells)}</row>')
        self.row_count = number

    @staticmethod
    def _careful_cell(letter: str, as_integer: bool, number: int, value: Cell) -> str:
        if as_integer and type(value) is str:
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return f'<c r="{letter}{number}"><v>{value}</v></c>'
        return _inline_string(f"{letter}{number}", _cell_text(value))

    def close(self) -> None:
        self._handle.close()


def _worksheet_xml_parts(columns: Sequence[str], row_count: int, *, selected: bool) -> tuple[str, str]:
    cols = "".join(
        f'<col min="{index}" max="{index}" width="{max(10, len(column) + 2)}" customWidth="1"/>'
        for index, column in enumerate(columns, start=1)
    )
    last = f"{_column_letter(max(len(columns), 1) - 1)}{row_count}"
    tab_selected = ' tabSelected="1"' if selected else ""
    head = (
        f'{_XML_HEAD}<worksheet xmlns="{_XLSX_NS}" xmlns:r="{_XLSX_REL}"><dimension ref="A1:{last}"/>'
        f"<sheetViews><sheetView{tab_selected} workbookViewId=\"0\">"
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )
    tail = (
        '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    return head, tail


def _package_parts(sheet_names: Sequence[str], created: datetime) -> dict[str, str]:
    """The fixed parts of a workbook around its worksheets."""
    stamp = utc_timestamp(created)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>'
        for n in range(1, len(sheet_names) + 1)
    )
    return {
        "[Content_Types].xml": (
            f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_XLSX_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_XLSX_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_XLSX_REL}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "docProps/app.xml": (
            f'{_XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>Thuiszitters</Application></Properties>'
        ),
        "docProps/core.xml": (
            f'{_XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{_xml_text(GENERATED_FOR)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
        ),
        "xl/workbook.xml": (
            f'{_XML_HEAD}<workbook xmlns="{_XLSX_NS}" xmlns:r="{_XLSX_REL}"><bookViews><workbookView/></bookViews>'
            "<sheets>"
            + "".join(
                f'<sheet name="{_xml_text(name)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in enumerate(sheet_names, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_XLSX_PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{_XLSX_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(sheet_names) + 1)
            )
            + f'<Relationship Id="rId{len(sheet_names) + 1}" Type="{_XLSX_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'{_XML_HEAD}<styleSheet xmlns="{_XLSX_NS}">'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
    }


def _write_package(path: Path, sheets: Sequence[tuple[str, _SheetBody]], *, created: datetime) -> None:
    """Zip the workbook parts and the finished sheet bodies into ``path``, with ``created`` as every time."""
    zip_time = created.astimezone(UTC).timetuple()[:6]

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=zip_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        # Fast deflate: the sheets are large and repetitive, level 1 costs a few percent in size, not seconds.
        # (Python 3.11 only reads the level from this attribute for an entry opened with a ZipInfo.)
        info._compresslevel = 1
        return info

    parts = _package_parts([name for name, _body in sheets], created)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name in ("[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
                     "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"):
            package.writestr(entry(name), parts[name].encode("utf-8"))
        for number, (_name, body) in enumerate(sheets, start=1):
            head, tail = _worksheet_xml_parts(body.columns, body.row_count, selected=number == 1)
            with package.open(entry(f"xl/worksheets/sheet{number}.xml"), "w") as out, body.path.open("rb") as data:
                out.write(head.encode("utf-8"))
                shutil.copyfileobj(data, out, 1 << 20)
                out.write(tail.encode("utf-8"))


def write_xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Row]]],
    *,
    created: datetime,
) -> None:
    """Write one workbook with a sheet per ``(name, columns, rows)``, streaming, in one pass over each sheet.

    The header row is bold and frozen. Integers become numbers; every other value is an inline string, so
    formula-like text stays text (no formula is ever written). Each sheet's rows go to a temporary file
    first, because a sheet's header names its size; then the package is zipped. ``created`` goes into the
    document properties and every zip entry's time instead of the current time, so the same input gives the
    same bytes.
    """
    with tempfile.TemporaryDirectory(prefix=".xlsx-", dir=Path(path).parent) as scratch:
        bodies = []
        for number, (name, columns, rows) in enumerate(sheets, start=1):
            body = _SheetBody(Path(scratch) / f"sheet{number}.xml", columns)
            try:
                for row in rows:
                    body.add(row)
            finally:
                body.close()
            bodies.append((name, body))
        _write_package(path, bodies, created=created)


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


def build_export(cases: Iterable[ExportCase], *, month: str, key: bytes, out_dir: Path) -> ExportResult:
    """Write the inspectie export of ``month`` (``YYYY-MM``) into ``out_dir`` in one pass over ``cases``.

    ``cases`` must come sorted by ``case_id`` (ValueError otherwise), so the files come out the same however
    the caller found them; cases out of scope are skipped. Each case row goes to cases.csv and to the xlsx's
    cases sheet (a temporary file until the workbook is zipped) as it arrives, while the summary is counted;
    the summary rows follow. Nothing holds all cases in memory. The files are built in a temporary directory
    inside ``out_dir`` and moved into place at the end, manifest.json last, so a failed build leaves
    ``out_dir`` as it was; files of an earlier build of the same month are replaced.
    """
    if not key:
        raise ValueError("the inspectie key must not be empty")
    year_start = school_year_start(month)
    first_day, month_end = month_bounds(month)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = SummaryAccumulator(school_year_start=year_start, month_end=month_end)

    xlsx_name = f"thuiszitters-{month}.xlsx"
    with tempfile.TemporaryDirectory(prefix=".building-", dir=out_dir) as building:
        work = Path(building)
        cases_sheet = _SheetBody(work / "cases-sheet.xml", CASE_COLUMNS, CASE_INTEGER_COLUMNS)

        def case_rows() -> Iterator[dict[str, str]]:
            for case in _sorted_by_case_id(cases):
                if in_scope(case, year_start, month_end):
                    state = _month_end_state(case, month_end)
                    summary._count(case, state)
                    row = _case_row(case, state, key)
                    cases_sheet.add(row)
                    yield row

        try:
            write_csv(work / CASES_FILE, CASE_COLUMNS, case_rows())
        finally:
            cases_sheet.close()
        write_csv(work / SUMMARY_FILE, SUMMARY_COLUMNS, summary.rows())
        summary_sheet = _SheetBody(work / "summary-sheet.xml", SUMMARY_COLUMNS)
        try:
            for row in summary.rows():
                summary_sheet.add(row)
        finally:
            summary_sheet.close()
        _write_package(
            work / xlsx_name,
            [("cases", cases_sheet), ("summary", summary_sheet)],
            # The export is due on the first of the next month; a fixed moment keeps rebuilds byte-identical.
            created=datetime.combine(first_day + relativedelta(months=1), datetime.min.time(), tzinfo=UTC),
        )
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
