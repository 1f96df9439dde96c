"""The pure inspectie export builder: scope, case rows, summary, CSV/XLSX files and the manifest."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import random
import zipfile
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from dateutil.relativedelta import relativedelta

from thuiszitters.exports import columns
from thuiszitters.exports.builder import (
    CASE_COLUMNS,
    STEP_KINDS,
    SUMMARY_COLUMNS,
    ExportCase,
    ExportStep,
    SummaryAccumulator,
    build_export,
    case_row,
    in_scope,
    month_bounds,
    pseudonym,
    school_year_start,
)
from thuiszitters.exports.csv_files import escape_cell, read_csv, unescape_cell, write_csv
from thuiszitters.exports.xlsx import Properties, write_workbook

KEY = b"test-inspectie-key"
MONTH = "2026-10"
YEAR_START = date(2026, 8, 1)
MONTH_END = date(2026, 10, 31)
XLSX = f"thuiszitters-{MONTH}.xlsx"
BOM = b"\xef\xbb\xbf"


def make_case(case_id: int = 1, **changes: object) -> ExportCase:
    since = changes.pop("out_of_school_since", date(2026, 9, 1))
    assert isinstance(since, date)
    case = ExportCase(
        case_id=case_id,
        swv_code="PO 20-01",
        gemeente_code="GM0363",
        school_type="po",
        absence_kind="absoluut_verzuim",
        out_of_school_since=since,
        return_deadline=since + relativedelta(months=3),
        closed_on=None,
        reopened=False,
        birth_year=2015,
        outcome=None,
        offer_started_on=None,
        steps=(),
    )
    return replace(case, **changes)


def closed_case(
    case_id: int = 1, *, closed_on: date, offer_started_on: date | None = None, **changes: object
) -> ExportCase:
    return make_case(
        case_id,
        closed_on=closed_on,
        offer_started_on=offer_started_on or closed_on,
        outcome="terug_naar_school",
        **changes,
    )


def row_at(case: ExportCase, month_end: date = MONTH_END) -> dict[str, str]:
    return case_row(case, key=KEY, month_end=month_end)


def summary_of(*cases: ExportCase) -> list[dict]:
    summary = SummaryAccumulator(school_year_start=YEAR_START, month_end=MONTH_END)
    for case in cases:
        summary.add(case)
    return list(summary.rows())


def read_rows(path: Path) -> list[dict]:
    return list(read_csv(path))


# --- Months and school years ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "start"),
    [
        ("2026-08", date(2026, 8, 1)),
        ("2026-10", date(2026, 8, 1)),
        ("2026-12", date(2026, 8, 1)),
        ("2027-01", date(2026, 8, 1)),
        ("2027-07", date(2026, 8, 1)),
        ("2026-07", date(2025, 8, 1)),
    ],
)
def test_school_year_starts_on_1_august(month, start):
    assert school_year_start(month) == start


@pytest.mark.parametrize(
    ("month", "first", "last"),
    [
        ("2026-10", date(2026, 10, 1), date(2026, 10, 31)),
        ("2027-02", date(2027, 2, 1), date(2027, 2, 28)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_month_bounds(month, first, last):
    assert month_bounds(month) == (first, last)


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-00", "2026-1", "26-10", "2026-10-01", "", " 2026-10", "2026/10"]
)
def test_bad_month_is_refused_clearly(month):
    with pytest.raises(ValueError, match="YYYY-MM"):
        school_year_start(month)
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_bounds(month)


# --- Pseudonyms -------------------------------------------------------------------------------------------


def test_pseudonym_is_truncated_hmac_sha256_of_the_case_id():
    expected = hmac.new(KEY, b"42", hashlib.sha256).hexdigest()[:20]
    assert pseudonym(KEY, 42) == expected
    assert pseudonym(KEY, 42) == pseudonym(KEY, 42)
    assert len(pseudonym(KEY, 42)) == 20
    assert int(pseudonym(KEY, 42), 16) >= 0


def test_pseudonym_depends_on_key_and_case():
    assert pseudonym(KEY, 42) != pseudonym(b"another-key", 42)
    assert pseudonym(KEY, 42) != pseudonym(KEY, 43)


def test_pseudonym_refuses_an_empty_key():
    with pytest.raises(ValueError, match="key"):
        pseudonym(b"", 1)


# --- Scope and status at the month end --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"out_of_school_since": date(2026, 3, 1), "closed_on": date(2026, 7, 31)}, False),
        ({"out_of_school_since": date(2026, 3, 1), "closed_on": date(2026, 8, 1)}, True),
        ({"out_of_school_since": date(2026, 3, 1), "closed_on": date(2026, 9, 15)}, True),
        ({"out_of_school_since": date(2025, 3, 1), "closed_on": None}, True),
        ({"out_of_school_since": date(2026, 10, 31)}, True),
        ({"out_of_school_since": date(2026, 11, 1)}, False),
    ],
)
def test_in_scope_means_open_at_some_moment_of_the_school_year(changes, expected):
    assert in_scope(make_case(**changes), YEAR_START, MONTH_END) is expected


def test_case_closed_before_the_school_year_is_left_out_and_one_closed_during_it_is_kept(tmp_path):
    before = closed_case(1, out_of_school_since=date(2026, 3, 1), closed_on=date(2026, 7, 20))
    during = closed_case(
        2,
        out_of_school_since=date(2026, 6, 1),
        closed_on=date(2026, 8, 20),
        offer_started_on=date(2026, 8, 24),
    )
    result = build_export([before, during], month=MONTH, key=KEY, out_dir=tmp_path)

    rows = read_rows(tmp_path / "cases.csv")
    assert result.case_count == 1
    assert [row["pseudonym"] for row in rows] == [pseudonym(KEY, 2)]
    assert rows[0]["status"] == "gesloten"
    assert rows[0]["outcome"] == "terug_naar_school"
    assert rows[0]["offer_started_on"] == "2026-08-24"
    assert rows[0]["days_out_of_school"] == str((date(2026, 8, 24) - date(2026, 6, 1)).days)
    assert rows[0]["goal_met"] == "ja"  # deadline 2026-09-01
    assert rows[0]["overdue"] == "nee"


def test_case_closed_after_the_month_end_is_open_at_the_month_end():
    case = closed_case(out_of_school_since=date(2026, 7, 1), closed_on=date(2026, 11, 3))
    row = row_at(case)
    assert row["status"] == "open"
    assert row["outcome"] == ""
    assert row["offer_started_on"] == ""
    assert row["goal_met"] == ""
    assert row["days_out_of_school"] == str((MONTH_END - date(2026, 7, 1)).days)
    assert row["overdue"] == "ja"  # deadline 2026-10-01 passed


def test_case_closed_on_the_month_end_is_closed():
    case = closed_case(closed_on=MONTH_END, offer_started_on=date(2026, 11, 2))
    row = row_at(case)
    assert row["status"] == "gesloten"
    assert row["offer_started_on"] == "2026-11-02"
    assert row["days_out_of_school"] == str((date(2026, 11, 2) - date(2026, 9, 1)).days)


def test_case_row_has_the_fixed_columns_and_no_personal_data():
    case = make_case(
        7,
        steps=(
            ExportStep("aanmelding", date(2026, 9, 20), date(2026, 10, 10)),
            ExportStep("aanmelding", date(2026, 9, 3), None),
            ExportStep("swv_inzet", date(2026, 10, 31), None),
            ExportStep("consulent", date(2026, 11, 1), None),
        ),
    )
    row = row_at(case)
    assert tuple(row) == CASE_COLUMNS
    assert row == {
        "pseudonym": pseudonym(KEY, 7),
        "swv_code": "PO 20-01",
        "gemeente_code": "GM0363",
        "school_type": "po",
        "absence_kind": "absoluut_verzuim",
        "birth_year": "2015",
        "out_of_school_since": "2026-09-01",
        "return_deadline": "2026-12-01",
        "status": "open",
        "aanmelding_on": "2026-09-03",  # the first aanmelding
        "swv_inzet_on": "2026-10-31",
        "consulent_on": "",  # started after the month end
        "geschillencommissie_on": "",
        "interventieteam_on": "",
        "outcome": "",
        "offer_started_on": "",
        "days_out_of_school": "60",
        "goal_met": "",
        "overdue": "nee",
        "closed_on": "",
        "counted_from": "2026-09-01",
        "gpo_not_followed": "0",
    }


def test_unknown_step_kind_is_refused():
    with pytest.raises(ValueError, match="step kind"):
        row_at(make_case(steps=(ExportStep("bezwaar", date(2026, 9, 2), None),)))


@pytest.mark.parametrize(
    ("offer_started_on", "goal_met"),
    [(date(2026, 11, 30), "ja"), (date(2026, 12, 1), "ja"), (date(2026, 12, 2), "nee"), (None, "nee")],
)
def test_goal_met_when_the_offer_starts_on_or_before_the_return_deadline(offer_started_on, goal_met):
    # Out of school since 2026-09-01, so the return deadline is 2026-12-01; reported for December.
    case = replace(
        make_case(), closed_on=date(2026, 12, 10), offer_started_on=offer_started_on, outcome="maatwerk"
    )
    row = row_at(case, month_end=date(2026, 12, 31))
    assert row["status"] == "gesloten"
    assert row["goal_met"] == goal_met
    assert row["overdue"] == "nee"


@pytest.mark.parametrize(
    ("return_deadline", "overdue"),
    [(MONTH_END, "nee"), (MONTH_END - timedelta(days=1), "ja"), (MONTH_END + timedelta(days=1), "nee")],
)
def test_overdue_when_open_and_the_month_end_is_past_the_return_deadline(return_deadline, overdue):
    row = row_at(make_case(out_of_school_since=date(2026, 7, 31), return_deadline=return_deadline))
    assert row["overdue"] == overdue


def test_closed_case_is_never_overdue():
    case = closed_case(out_of_school_since=date(2026, 3, 1), closed_on=date(2026, 10, 1))
    assert row_at(case)["overdue"] == "nee"
    assert row_at(case)["goal_met"] == "nee"


def test_days_out_of_school_are_never_negative():
    case = closed_case(closed_on=date(2026, 9, 5), offer_started_on=date(2026, 8, 25))
    assert row_at(case)["days_out_of_school"] == "0"


# --- Summary ----------------------------------------------------------------------------------------------


def test_summary_counts_per_swv_sorted_by_code():
    cases = [
        make_case(1, swv_code="VO 20-01", out_of_school_since=date(2026, 5, 1)),  # carried over, overdue
        closed_case(2, swv_code="PO 20-01", out_of_school_since=date(2026, 6, 1), closed_on=date(2026, 8, 5)),
        make_case(3, swv_code="PO 20-01", out_of_school_since=date(2026, 10, 20)),
        closed_case(4, swv_code="PO 20-01", closed_on=date(2026, 11, 15)),  # closed after the month end
        closed_case(5, swv_code="PO 20-01", out_of_school_since=date(2026, 3, 1), closed_on=date(2026, 7, 1)),
    ]
    rows = summary_of(*cases)
    assert [row["swv_code"] for row in rows] == ["PO 20-01", "VO 20-01"]
    assert tuple(rows[0]) == SUMMARY_COLUMNS
    po, vo = rows
    assert (po["open_at_start"], po["new"], po["closed"], po["open_at_end"]) == (1, 2, 1, 2)
    assert po["closed_within_3_months"] == 1
    assert po["overdue_at_end"] == 0
    assert (vo["open_at_start"], vo["new"], vo["closed"], vo["open_at_end"]) == (1, 0, 0, 1)
    assert vo["overdue_at_end"] == 1
    assert vo["gt_6m"] == 0 and vo["3m_to_6m"] == 1  # 2026-05-01 .. 2026-10-31


@pytest.mark.parametrize(
    ("since", "offer_started_on", "bucket"),
    [
        # Open cases: the absence runs until the month end.
        (MONTH_END - timedelta(days=27), None, "lt_4_weeks"),
        (MONTH_END - timedelta(days=28), None, "4w_to_3m"),
        (date(2026, 7, 31), None, "4w_to_3m"),  # exactly 3 months
        (date(2026, 7, 30), None, "3m_to_6m"),
        # Closed cases: the absence runs until the offer starts.
        (date(2026, 3, 15), date(2026, 4, 11), "lt_4_weeks"),  # 27 days
        (date(2026, 3, 15), date(2026, 4, 12), "4w_to_3m"),  # 28 days
        (date(2026, 3, 15), date(2026, 6, 15), "4w_to_3m"),  # exactly 3 months
        (date(2026, 3, 15), date(2026, 6, 16), "3m_to_6m"),
        (date(2026, 3, 15), date(2026, 9, 15), "3m_to_6m"),  # exactly 6 months
        (date(2026, 3, 15), date(2026, 9, 16), "gt_6m"),
        (date(2025, 8, 31), date(2026, 2, 28), "3m_to_6m"),  # 31 Aug + 6 months = 28 Feb
        (date(2025, 8, 31), date(2026, 3, 1), "gt_6m"),
        (date(2025, 11, 30), None, "gt_6m"),
    ],
)
def test_duration_buckets_edges(since, offer_started_on, bucket):
    case = make_case(out_of_school_since=since)
    if offer_started_on is not None:
        case = replace(case, closed_on=date(2026, 9, 20), offer_started_on=offer_started_on, outcome="maatwerk")
    (row,) = summary_of(case)
    assert {name: row[name] for name in ("lt_4_weeks", "4w_to_3m", "3m_to_6m", "gt_6m")} == {
        name: int(name == bucket) for name in ("lt_4_weeks", "4w_to_3m", "3m_to_6m", "gt_6m")
    }


def test_summary_ignores_cases_out_of_scope():
    summary = SummaryAccumulator(school_year_start=YEAR_START, month_end=MONTH_END)
    assert summary.add(make_case(out_of_school_since=date(2026, 11, 1))) is False
    assert list(summary.rows()) == []
    assert summary.case_count == 0


# --- Files ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'x", "''x"),
        ("GM0363", "GM0363"),
        ("2026-10-01", "2026-10-01"),
        ("", ""),
    ],
)
def test_escape_cell_and_back(text, escaped):
    assert escape_cell(text) == escaped
    assert unescape_cell(escaped) == text


FORMULA_LIKE = {
    "swv_code": '=HYPERLINK("http://evil.example","x")',
    "gemeente_code": "+1",
    "school_type": "-1",
    "absence_kind": "@x",
}


def test_csv_has_bom_semicolons_crlf_and_escaped_formula_cells(tmp_path):
    build_export([make_case(1, **FORMULA_LIKE)], month=MONTH, key=KEY, out_dir=tmp_path)
    raw = (tmp_path / "cases.csv").read_bytes()

    assert raw.startswith(BOM + b"pseudonym;swv_code;gemeente_code;")
    lines = raw[len(BOM) :].split(b"\r\n")
    assert lines[-1] == b""
    assert len(lines) == 3
    cells = lines[1].split(b";")
    assert cells[1:5] == [b'"\'=HYPERLINK(""http://evil.example"",""x"")"', b"'+1", b"'-1", b"'@x"]
    assert b";=" not in raw and b";+" not in raw and b";-" not in raw and b";@" not in raw

    summary = (tmp_path / "summary.csv").read_bytes()
    assert summary.startswith(BOM + b"swv_code;open_at_start;")
    assert summary.split(b"\r\n")[1].startswith(b"\"'=HYPERLINK(")

    (row,) = read_rows(tmp_path / "cases.csv")
    assert {column: row[column] for column in FORMULA_LIKE} == FORMULA_LIKE


def test_write_csv_streams_rows_it_is_given(tmp_path):
    def rows():
        yield {"a": "x;y", "b": 3, "extra": "not written"}
        yield {"a": None, "b": -2}

    write_csv(tmp_path / "t.csv", ("a", "b"), rows())
    assert (tmp_path / "t.csv").read_bytes() == BOM + b'a;b\r\n"x;y";3\r\n;\'-2\r\n'


def test_xlsx_has_both_sheets_with_dutch_headers_typed_cells_and_text_not_formulas(tmp_path):
    cases = [make_case(1, **FORMULA_LIKE), closed_case(2, closed_on=date(2026, 10, 5))]
    build_export(cases, month=MONTH, key=KEY, out_dir=tmp_path)

    workbook = openpyxl.load_workbook(tmp_path / XLSX)
    assert workbook.sheetnames == ["Casussen", "Samenvatting"]
    sheet = workbook["Casussen"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == [c.header for c in columns.CASE_COLUMN_DEFS]
    assert sheet["A1"].value == "Pseudoniem" and sheet["A1"].font.bold
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(CASE_COLUMNS)).column_letter}3"
    assert sheet.column_dimensions["A"].width >= len("Pseudoniem")
    first = {column: cell for column, cell in zip(CASE_COLUMNS, sheet[2], strict=True)}
    for column, value in FORMULA_LIKE.items():
        assert first[column].value == value
        assert first[column].data_type == "s"
    # Numbers are numbers, dates are dates, yes/no are booleans, nothing is text that should not be.
    assert first["birth_year"].value == 2015 and first["birth_year"].data_type == "n"
    assert first["days_out_of_school"].value == 60
    assert first["out_of_school_since"].is_date and first["out_of_school_since"].value == datetime(2026, 9, 1)
    assert first["out_of_school_since"].number_format == "dd-mm-yyyy"
    assert first["overdue"].value is False and first["overdue"].data_type == "b"
    assert first["goal_met"].value is None  # open: not applicable
    second = {column: cell.value for column, cell in zip(CASE_COLUMNS, sheet[3], strict=True)}
    assert second["goal_met"] is True and second["closed_on"] == datetime(2026, 10, 5)
    assert sheet.max_row == 3

    summary = workbook["Samenvatting"]
    assert [cell.value for cell in summary[1]] == [c.header for c in columns.SUMMARY_COLUMN_DEFS]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref
    values = [[cell.value for cell in row] for row in summary.iter_rows(min_row=2)]
    assert values == [[row[c] for c in SUMMARY_COLUMNS] for row in summary_of(*cases)]
    assert [row[0] for row in values] == [FORMULA_LIKE["swv_code"], "PO 20-01"]  # "=" sorts before "P"

    with zipfile.ZipFile(tmp_path / XLSX) as archive:
        sheets_xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
        core = archive.read("docProps/core.xml")
    assert b"<f>" not in sheets_xml
    assert b"2026-11-01T00:00:00Z" in core


def test_manifest_lists_each_file_with_its_sha256_and_size(tmp_path):
    result = build_export([make_case(1), make_case(2)], month=MONTH, key=KEY, out_dir=tmp_path)
    raw = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(raw)

    assert raw == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert manifest["month"] == MONTH
    assert manifest["schoolYearStart"] == "2026-08-01"
    assert manifest["generatedFor"] == "Inspectie van het Onderwijs"
    assert manifest["caseCount"] == 2
    assert [f["name"] for f in manifest["files"]] == ["cases.csv", "summary.csv", XLSX]
    for entry in manifest["files"]:
        data = (tmp_path / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)

    assert result.month == MONTH and result.case_count == 2
    assert [f.name for f in result.files] == ["cases.csv", "summary.csv", XLSX, "manifest.json"]
    for file in result.files:
        assert file.path == tmp_path / file.name
        assert file.sha256 == hashlib.sha256(file.path.read_bytes()).hexdigest()
        assert file.size == file.path.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.name for f in result.files)


def test_rebuild_is_byte_identical(tmp_path):
    cases = random_cases(random.Random(7), 60)
    first = build_export(cases, month=MONTH, key=KEY, out_dir=tmp_path / "a")
    second = build_export(cases, month=MONTH, key=KEY, out_dir=tmp_path / "b")
    again = build_export(cases, month=MONTH, key=KEY, out_dir=tmp_path / "a")  # over the first build

    for one, two, three in zip(first.files, second.files, again.files, strict=True):
        assert one.sha256 == two.sha256 == three.sha256
        assert (tmp_path / "a" / one.name).read_bytes() == (tmp_path / "b" / two.name).read_bytes()


def test_empty_input_gives_valid_files_with_headers_only(tmp_path):
    result = build_export([], month=MONTH, key=KEY, out_dir=tmp_path)

    assert result.case_count == 0
    assert (tmp_path / "cases.csv").read_bytes() == BOM + ";".join(CASE_COLUMNS).encode() + b"\r\n"
    assert (tmp_path / "summary.csv").read_bytes() == BOM + ";".join(SUMMARY_COLUMNS).encode() + b"\r\n"
    workbook = openpyxl.load_workbook(tmp_path / XLSX)
    assert workbook.sheetnames == ["Casussen", "Samenvatting"]
    assert [[c.value for c in row] for row in workbook["Casussen"].iter_rows()] == [
        [c.header for c in columns.CASE_COLUMN_DEFS]]
    assert [[c.value for c in row] for row in workbook["Samenvatting"].iter_rows()] == [
        [c.header for c in columns.SUMMARY_COLUMN_DEFS]]
    assert json.loads((tmp_path / "manifest.json").read_text())["caseCount"] == 0


@pytest.mark.parametrize("ids", [[2, 1], [1, 1]])
def test_cases_must_come_sorted_by_id_and_a_failed_build_leaves_nothing(tmp_path, ids):
    with pytest.raises(ValueError, match="sorted by case_id"):
        build_export([make_case(i) for i in ids], month=MONTH, key=KEY, out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_build_reads_the_cases_once_and_lazily(tmp_path):
    seen: list[int] = []

    def stream():
        for case_id in range(1, 6):
            seen.append(case_id)
            yield make_case(case_id)

    build_export(stream(), month=MONTH, key=KEY, out_dir=tmp_path)
    assert seen == [1, 2, 3, 4, 5]


# --- Reconciliation on random data ------------------------------------------------------------------------

SWV_CODES = ["PO 20-01", "VO 20-01", "PO 23-05", "=SWV()"]


def random_cases(rng: random.Random, count: int) -> list[ExportCase]:
    cases = []
    for case_id in sorted(rng.sample(range(1, 100_000), count)):
        since = date(2025, 9, 1) + timedelta(days=rng.randint(0, 440))  # up to 2026-11-15
        closed_on = offer = outcome = None
        if rng.random() < 0.6:
            closed_on = since + timedelta(days=rng.randint(0, 240))
            outcome = rng.choice(["terug_naar_school", "maatwerk", "verhuisd", "vrijstelling", "einde_leerplicht"])
            if outcome in OFFER_OUTCOMES:
                offer = closed_on + timedelta(days=rng.randint(-10, 10))
        steps = tuple(
            ExportStep(rng.choice(STEP_KINDS), since + timedelta(days=rng.randint(0, 200)), None)
            for _ in range(rng.randint(0, 4))
        )
        cases.append(
            ExportCase(
                case_id=case_id,
                swv_code=rng.choice(SWV_CODES),
                gemeente_code=rng.choice(["GM0363", "GM0599", "-GM"]),
                school_type=rng.choice(["po", "vo", "so", None]),
                absence_kind=rng.choice(["absoluut_verzuim", "relatief_verzuim", "vrijstelling_5a"]),
                out_of_school_since=since,
                return_deadline=since + relativedelta(months=3),
                closed_on=closed_on,
                reopened=rng.random() < 0.05,
                birth_year=rng.randint(2005, 2021),
                outcome=outcome,
                offer_started_on=offer,
                steps=steps,
            )
        )
    return cases


def expected_bucket(since: date, ended: date) -> str:
    if (ended - since).days < 28:
        return "lt_4_weeks"
    if ended <= since + relativedelta(months=3):
        return "4w_to_3m"
    if ended <= since + relativedelta(months=6):
        return "3m_to_6m"
    return "gt_6m"


OFFER_OUTCOMES = ("terug_naar_school", "maatwerk", "onderwijszorgarrangement")


def expected_in_scope(case: ExportCase) -> bool:
    """Scope written out by hand from DOMAIN.md (not through the builder): counted from the first day out, for
    relatief verzuim from 4 weeks after it; not closed before 1 August; the absence lasted until it counted."""
    counted_from = case.out_of_school_since + timedelta(days=28 * (case.absence_kind == "relatief_verzuim"))
    if counted_from > MONTH_END or (case.closed_on is not None and case.closed_on < YEAR_START):
        return False
    ended = MONTH_END
    if case.closed_on is not None and case.closed_on <= MONTH_END:
        ended = case.offer_started_on if case.outcome in OFFER_OUTCOMES else case.closed_on
    return ended >= counted_from


def xlsx_text(column: columns.Column, value: object) -> str:
    """An xlsx cell as cases.csv writes it, by the column's type: the two files hold the same rows."""
    if value is None:
        return ""
    if column.type == columns.DATE:
        assert isinstance(value, datetime)
        return value.date().isoformat()
    if column.type == columns.BOOLEAN:
        assert isinstance(value, bool)
        return "ja" if value else "nee"
    if column.type == columns.INTEGER:
        assert isinstance(value, int) and not isinstance(value, bool)
    return str(value)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_reconciles_with_the_written_case_rows(tmp_path, seed):
    cases = random_cases(random.Random(seed), 500)
    result = build_export(cases, month=MONTH, key=KEY, out_dir=tmp_path)

    expected_ids = [c.case_id for c in cases if expected_in_scope(c)]
    case_rows = read_rows(tmp_path / "cases.csv")
    assert result.case_count == len(case_rows) == len(expected_ids)
    assert [row["pseudonym"] for row in case_rows] == [pseudonym(KEY, i) for i in expected_ids]

    recomputed: dict[str, Counter] = defaultdict(Counter)
    for row in case_rows:
        for counts in (recomputed[row["swv_code"]], recomputed[(row["swv_code"], row["absence_kind"])]):
            since = date.fromisoformat(row["out_of_school_since"])
            counts["open_at_start" if row["counted_from"] < "2026-08-01" else "new"] += 1
            counts["closed" if row["status"] == "gesloten" else "open_at_end"] += 1
            if row["status"] == "gesloten":
                counts[f"closed_{row['outcome']}"] += 1
            counts["closed_within_3_months"] += row["goal_met"] == "ja"
            counts["overdue_at_end"] += row["overdue"] == "ja"
            bucket = expected_bucket(since, since + timedelta(days=int(row["days_out_of_school"])))
            counts[bucket] += 1
            counts["within_3m" if bucket in ("lt_4_weeks", "4w_to_3m") else "gt_3m_continuous"] += 1
            for kind in STEP_KINDS:
                counts[f"{kind}_reached"] += row[f"{kind}_on"] != ""

    summary_rows = read_rows(tmp_path / "summary.csv")
    assert [row["swv_code"] for row in summary_rows] == sorted(k for k in recomputed if isinstance(k, str))
    for row in summary_rows:
        swv = row["swv_code"]
        counts = {column: int(row[column]) for column in columns.COUNT_KEYS}
        assert counts == {column: recomputed[swv][column] for column in columns.COUNT_KEYS}
        for kind in ("absoluut_verzuim", "relatief_verzuim", "vrijstelling_5a"):
            assert {column: int(row[f"{column}_{kind}"]) for column in columns.COUNT_KEYS} == {
                column: recomputed[(swv, kind)][column] for column in columns.COUNT_KEYS}
        assert counts["open_at_start"] + counts["new"] - counts["closed"] == counts["open_at_end"]
        assert sum(counts[b] for b in ("lt_4_weeks", "4w_to_3m", "3m_to_6m", "gt_6m")) == (
            counts["open_at_start"] + counts["new"]
        )
        assert counts["closed"] == sum(counts[f"closed_{code}"] for code in (
            "terug_naar_school", "maatwerk", "onderwijszorgarrangement", "vrijstelling", "verhuisd",
            "einde_leerplicht", "overig"))
        assert row["signals_open_at_end"] == "0"
    assert sum(int(row["new"]) + int(row["open_at_start"]) for row in summary_rows) == len(case_rows)
    # Never counted as "not met": goal met is empty for every outcome without an offer.
    assert {row["goal_met"] for row in case_rows if row["outcome"] == "verhuisd"} <= {""}

    # The xlsx holds the same case rows as cases.csv, each cell in its column's type.
    sheet = openpyxl.load_workbook(tmp_path / XLSX, read_only=True)["Casussen"]
    xlsx_rows = [
        {c.key: xlsx_text(c, v) for c, v in zip(columns.CASE_COLUMN_DEFS, values, strict=True)}
        for values in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert xlsx_rows == case_rows


def test_read_csv_gives_integer_columns_as_int(tmp_path):
    write_csv(tmp_path / "t.csv", ("n", "s"), [{"n": 5, "s": "5"}, {"n": None, "s": ""}])
    assert list(read_csv(tmp_path / "t.csv", {"n"})) == [{"n": 5, "s": "5"}, {"n": "", "s": ""}]
    text = io.TextIOWrapper(io.BytesIO((tmp_path / "t.csv").read_bytes()), encoding="utf-8-sig", newline="")
    assert list(csv.reader(text, delimiter=";")) == [["n", "s"], ["5", "5"], ["", ""]]


def test_xlsx_text_cells_survive_xml_specials_control_characters_and_edge_spaces(tmp_path):
    tricky = ["a & b < c > d", " leading", "trailing ", "tab\there", "bell\x07", "_x0041_ literal", "a|b", "=1+1"]
    defs = (columns.Column("n", "Nummer", columns.INTEGER, ""), columns.Column("text", "Tekst", columns.TEXT, ""))
    rows = [(index, text) for index, text in enumerate(tricky)]
    write_workbook(tmp_path / "t.xlsx", [("t", defs, rows)],
                   Properties(title="t", created=datetime(2026, 11, 1, tzinfo=UTC)))

    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    # Characters XML cannot hold, and a literal "_xHHHH_", are written in the OOXML escape form, which Excel
    # reads back as the original text; openpyxl shows the escape form itself.
    shown = {"bell\x07": "bell_x0007_", "_x0041_ literal": "_x005F_x0041_ literal"}
    assert [cell.value for cell in sheet["B"]][1:] == [shown.get(text, text) for text in tricky]
    assert [cell.data_type for cell in sheet["B"]][1:] == ["s"] * len(tricky)
    assert [cell.value for cell in sheet["A"]][1:] == list(range(len(tricky)))
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


# --- Issue 16: who counts, at the edges -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("absence_kind", "since", "in_the_export"),
    [
        ("relatief_verzuim", date(2026, 10, 3), True),  # + 4 weeks = 31 October, the month end: counted
        ("relatief_verzuim", date(2026, 10, 4), False),  # exactly 4 weeks by the month end: not yet
        ("absoluut_verzuim", date(2026, 10, 31), True),  # from its first day out
        ("vrijstelling_5a", date(2026, 10, 31), True),
    ],
)
def test_relatief_verzuim_counts_only_after_four_weeks(absence_kind, since, in_the_export):
    case = make_case(absence_kind=absence_kind, out_of_school_since=since)
    assert in_scope(case, YEAR_START, MONTH_END) is in_the_export


def test_a_relatief_verzuim_that_ended_within_four_weeks_was_never_a_thuiszitter():
    back = make_case(absence_kind="relatief_verzuim", out_of_school_since=date(2026, 9, 1), closed_on=date(2026, 9, 28),
                     offer_started_on=date(2026, 9, 28), outcome="terug_naar_school")
    later = replace(back, closed_on=date(2026, 9, 29), offer_started_on=date(2026, 9, 29))
    assert not in_scope(back, YEAR_START, MONTH_END)
    assert in_scope(later, YEAR_START, MONTH_END)


@pytest.mark.parametrize(
    ("absence_kind", "since", "closed_on", "bucket"),
    [
        ("absoluut_verzuim", date(2026, 7, 31), None, "open_at_start"),  # counted from 31 July
        ("absoluut_verzuim", date(2026, 8, 1), None, "new"),  # from 1 August: the new school year
        ("relatief_verzuim", date(2026, 7, 3), None, "open_at_start"),  # + 4 weeks = 31 July
        ("relatief_verzuim", date(2026, 7, 4), None, "new"),  # + 4 weeks = 1 August
        ("absoluut_verzuim", date(2026, 3, 2), date(2026, 7, 31), None),  # closed before the school year
        ("absoluut_verzuim", date(2026, 3, 2), date(2026, 8, 1), "open_at_start"),  # open that morning
    ],
)
def test_the_school_year_boundary(absence_kind, since, closed_on, bucket):
    case = make_case(absence_kind=absence_kind, out_of_school_since=since)
    if closed_on is not None:
        case = replace(case, closed_on=closed_on, outcome="vrijstelling")
    rows = summary_of(case)
    if bucket is None:
        assert rows == []
    else:
        (row,) = rows
        assert row[bucket] == 1 and row[f"{bucket}_{absence_kind}"] == 1


def signal(case_id: int, **changes: object) -> ExportCase:
    return replace(make_case(case_id), out_of_school_since=None, return_deadline=None, **changes)


def test_other_outcomes_are_closed_beside_the_goal_and_signals_apart():
    cases = [
        closed_case(1, closed_on=date(2026, 10, 5), offer_started_on=date(2026, 10, 1)),  # goal met
        replace(make_case(2, out_of_school_since=date(2026, 3, 2)), closed_on=date(2026, 9, 1), outcome="vrijstelling"),
        replace(make_case(3), closed_on=date(2026, 10, 1), outcome="einde_leerplicht"),
        signal(4, created_on=date(2026, 10, 20)),  # a signal
        signal(5, created_on=date(2026, 11, 1)),  # registered after the month
        signal(6, created_on=date(2026, 9, 1), closed_on=date(2026, 10, 2), outcome="geen_thuiszitter"),
    ]
    (row,) = summary_of(*cases)
    assert (row["closed"], row["closed_terug_naar_school"], row["closed_vrijstelling"],
            row["closed_einde_leerplicht"], row["closed_within_3_months"]) == (3, 1, 1, 1, 1)
    assert row["signals_open_at_end"] == 1
    assert row["open_at_start"] + row["new"] == 3  # signals are never thuiszitters
    vrij = row_at(cases[1])
    assert (vrij["goal_met"], vrij["days_out_of_school"], vrij["closed_on"]) == ("", "183", "2026-09-01")


def test_gpo_oordelen_not_followed_are_counted_by_the_month_end():
    steps = (ExportStep("geschillencommissie", date(2026, 8, 10), date(2026, 9, 1), date(2026, 10, 1)),
             ExportStep("geschillencommissie", date(2026, 8, 10), date(2026, 9, 1), date(2026, 11, 2)))
    (row,) = summary_of(make_case(steps=steps))
    assert row["gpo_not_followed"] == 1  # the second was recorded after the month end
    assert row_at(make_case(steps=steps))["gpo_not_followed"] == "1"
