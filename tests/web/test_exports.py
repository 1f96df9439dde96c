"""The monthly inspectie export: what is in it (and what never is), storing, the CLI, the page and the API."""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from sqlalchemy import func, select

from tests import factories
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.exports import builder, columns, csv_files
from thuiszitters.exports.models import ExportFile, ExportRun
from thuiszitters.exports.services import build_month_export, previous_month, run_monthly_export
from thuiszitters.extensions import db
from thuiszitters.seed.demo import load_demo

MONTH = "2026-10"
XLSX = f"thuiszitters-{MONTH}.xlsx"
BUILT_AT = datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 06:00 in Amsterdam on the 1st
NOTE = "Vader belt elke week, moeder wil geen contact met de school."


def _close(case: Case, *, closed_on: date, offer_started_on: date, outcome: str = "terug_naar_school") -> None:
    case.status, case.closed_on, case.offer_started_on, case.outcome = "closed", closed_on, offer_started_on, outcome
    case.outcome_note = "Terug op De Regenboog na gesprek met de intern begeleider."


def _seed_cases(w) -> list[Case]:
    """Distinctive pupils, some with steps, some closed, one closed before the school year (out of scope)."""
    school = factories.school("07NU00", school_type="so", swv_obj=w.swv1, gemeente_obj=w.gem1)
    open_case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 7), first_name="Xanthe",
                               last_name="Quaedvlieg", bsn="111222333", date_of_birth=date(2013, 7, 19),
                               school_obj=school)
    open_case.note = NOTE
    chain_case = factories.case(w.swv1, w.gem2, out_of_school_since=date(2026, 5, 4), first_name="Ywein",
                                last_name="Zuidersloot", bsn="123456782", date_of_birth=date(2011, 2, 28),
                                absence_kind="relatief_verzuim")
    factories.step(chain_case, "aanmelding", received_on=date(2026, 5, 11), decision="afgewezen",
                   decided_on=date(2026, 6, 1))
    factories.step(chain_case, "swv_inzet", started_on=date(2026, 6, 3), action="tlv", ended_on=date(2026, 7, 1),
                   description="TLV aangevraagd bij de commissie van Xanthe's broer")
    factories.step(chain_case, "consulent", consulent_type="onderwijsconsulent", parental_consent=True,
                   requested_on=date(2026, 9, 14))
    closed_case = factories.case(w.swv2, w.gem1, out_of_school_since=date(2026, 8, 24), first_name="Wubbo",
                                 last_name="Vlietstra", date_of_birth=date(2010, 12, 3))
    factories.step(closed_case, "aanmelding", received_on=date(2026, 8, 31))
    _close(closed_case, closed_on=date(2026, 10, 15), offer_started_on=date(2026, 10, 12))
    old_case = factories.case(w.swv2, w.gem2, out_of_school_since=date(2025, 11, 3), first_name="Ulrike",
                              last_name="Terpstra", date_of_birth=date(2009, 4, 5))
    _close(old_case, closed_on=date(2026, 3, 2), offer_started_on=date(2026, 2, 23))
    db.session.flush()
    return [open_case, chain_case, closed_case, old_case]


def _build(month: str = MONTH, now: datetime = BUILT_AT) -> ExportRun:
    run = build_month_export(month, actor_id=None, now=now)
    db.session.commit()
    return run


def _dir(app, month: str = MONTH) -> Path:
    return Path(app.config["EXPORT_DIR"]) / month


def _rows(app, name: str, month: str = MONTH, integers=()) -> list[dict]:
    return list(csv_files.read_csv(_dir(app, month) / name, integers))


def _all_text(directory: Path) -> str:
    """Every file's text, the xlsx both as read by openpyxl and as its raw unzipped XML."""
    texts = []
    for path in sorted(directory.iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts.extend(archive.read(member).decode("utf-8") for member in archive.namelist())
            workbook = openpyxl.load_workbook(path, read_only=True)
            for sheet in workbook.worksheets:
                texts.extend(str(value) for row in sheet.iter_rows(values_only=True) for value in row
                             if value is not None)
        else:
            texts.append(path.read_text(encoding="utf-8-sig"))
    return "\n".join(texts)


def _personal_data() -> tuple[set[str], set[str]]:
    """(words, literal strings) of every pupil and case: names, BSN, full dates of birth, note texts."""
    words, literals = set(), set()
    for pupil in db.session.scalars(select(Pupil)):
        words.update({pupil.first_name, pupil.last_name})
        if pupil.bsn:
            literals.add(pupil.bsn)
        dob = pupil.date_of_birth
        literals.update({dob.isoformat(), dob.strftime("%d-%m-%Y"), dob.strftime("%d/%m/%Y"),
                         dob.strftime("%Y%m%d"), f"{dob.day}-{dob.month}-{dob.year}"})
    for case in db.session.scalars(select(Case)):
        literals.update(t for t in (case.note, case.outcome_note) if t)
    for step in db.session.scalars(select(Step)):
        literals.update(t for t in (step.description, step.outcome, step.out_of_order_reason) if t)
    return words, literals


def test_no_name_bsn_date_of_birth_or_note_of_any_pupil_appears_in_any_file(app):
    load_demo(date(2026, 10, 20))
    # The demo owns PO 27-01 (so no factories.world() here); our distinctive pupils get swv's of their own.
    _seed_cases(SimpleNamespace(swv1=factories.swv("PO 99-01"), swv2=factories.swv("VO 99-02"),
                                gem1=factories.gemeente("GM0999", "Testdorp"),
                                gem2=factories.gemeente("GM0998", "Proefstad")))
    db.session.commit()
    run = _build()

    assert run.case_count >= 40  # the demo's cases and ours are really in the export
    text = _all_text(_dir(app))
    words, literals = _personal_data()
    assert "Quaedvlieg" in words and "111222333" in literals and NOTE in literals
    leaked = [w for w in words if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text)]
    leaked += [lit for lit in literals if lit in text]
    assert leaked == []


def test_the_export_holds_the_cases_of_the_school_year_as_they_stood_at_the_month_end(app):
    w = factories.world()
    cases = _seed_cases(w)
    db.session.commit()
    run = _build()

    rows = {row["pseudonym"]: row for row in _rows(app, builder.CASES_FILE)}
    key = app.config["INSPECTIE_KEY"].encode()
    open_case, chain_case, closed_case, _old_case = cases
    assert set(rows) == {builder.pseudonym(key, c.id) for c in (open_case, chain_case, closed_case)}
    assert run.case_count == 3
    first = rows[builder.pseudonym(key, open_case.id)]
    assert (first["swv_code"], first["gemeente_code"], first["school_type"], first["birth_year"]) == (
        "PO 27-01", "GM0363", "so", "2013")
    assert first["status"] == "open" and first["overdue"] == "nee"
    chain = rows[builder.pseudonym(key, chain_case.id)]
    assert (chain["aanmelding_on"], chain["swv_inzet_on"], chain["consulent_on"]) == (
        "2026-05-11", "2026-06-03", "2026-09-14")
    assert chain["overdue"] == "ja"  # out since 4 May, deadline 4 August
    closed = rows[builder.pseudonym(key, closed_case.id)]
    assert (closed["status"], closed["outcome"], closed["offer_started_on"], closed["goal_met"]) == (
        "gesloten", "terug_naar_school", "2026-10-12", "ja")


def test_the_summary_reconciles_with_the_case_rows(app):
    load_demo(date(2026, 10, 20))
    db.session.commit()
    _build()

    cases = _rows(app, builder.CASES_FILE, integers=builder.CASE_INTEGER_COLUMNS)
    summary = {row["swv_code"]: row for row in _rows(app, builder.SUMMARY_FILE, integers=builder.SUMMARY_COLUMNS[1:])}
    manifest = json.loads((_dir(app) / builder.MANIFEST_FILE).read_text())
    assert manifest["caseCount"] == len(cases) == sum(row["open_at_end"] + row["closed"] for row in summary.values())
    expected: dict[str, Counter] = defaultdict(Counter)
    for row in cases:
        counts = expected[row["swv_code"]]
        # Issue 16: a case counts from its counted-from date (relatief verzuim: 4 weeks after the first day out).
        counts["open_at_start" if row["counted_from"] < "2026-08-01" else "new"] += 1
        counts["closed" if row["status"] == "gesloten" else "open_at_end"] += 1
        counts["overdue_at_end"] += row["overdue"] == "ja"
        counts["closed_within_3_months"] += row["goal_met"] == "ja"
        for kind in builder.STEP_KINDS:
            counts[f"{kind}_reached"] += bool(row[f"{kind}_on"])
    assert set(summary) == set(expected)
    for swv_code, counts in expected.items():
        row = summary[swv_code]
        assert {name: row[name] for name in counts} == dict(counts)
        assert row["open_at_start"] + row["new"] - row["closed"] == row["open_at_end"]
        assert sum(row[bucket] for bucket in builder.DURATION_BUCKETS) == row["open_at_end"] + row["closed"]


def test_the_pseudonym_is_stable_from_month_to_month_and_differs_under_another_key(app):
    w = factories.world()
    cases = _seed_cases(w)
    db.session.commit()
    _build("2026-09")
    _build("2026-10")
    september = {row["pseudonym"] for row in _rows(app, builder.CASES_FILE, "2026-09")}
    october = {row["pseudonym"] for row in _rows(app, builder.CASES_FILE, "2026-10")}
    key = app.config["INSPECTIE_KEY"].encode()
    # The three cases of this school year (one closed in October) keep their pseudonym from month to month.
    assert september == october == {builder.pseudonym(key, c.id) for c in cases[:3]}

    app.config["INSPECTIE_KEY"] = "een-andere-sleutel-voor-de-inspectie"
    _build("2026-10")
    rekeyed = {row["pseudonym"] for row in _rows(app, builder.CASES_FILE, "2026-10")}
    assert len(rekeyed) == len(october) and rekeyed.isdisjoint(october)


def test_a_month_without_cases_gives_valid_empty_files(app):
    run = _build()

    assert run.case_count == 0 and len(run.files) == 4
    assert _rows(app, builder.CASES_FILE) == [] and _rows(app, builder.SUMMARY_FILE) == []
    raw = (_dir(app) / builder.CASES_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == 1
    workbook = openpyxl.load_workbook(_dir(app) / XLSX)
    # Issue 17: the workbook is for people, with Dutch sheet names and headers (the CSV keeps its keys).
    assert workbook.sheetnames == ["Casussen", "Samenvatting"]
    assert [c.value for c in workbook["Casussen"][1]] == [c.header for c in columns.CASE_COLUMN_DEFS]
    assert workbook["Casussen"].max_row == 1
    manifest = json.loads((_dir(app) / builder.MANIFEST_FILE).read_text())
    assert manifest["caseCount"] == 0
    for entry in manifest["files"]:
        assert hashlib.sha256((_dir(app) / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]


def test_rebuilding_a_month_gives_identical_files_and_replaces_the_record(app):
    w = factories.world()
    _seed_cases(w)
    db.session.commit()
    first = {f.name: f.sha256 for f in _build(now=BUILT_AT).files}
    second_run = _build(now=datetime(2026, 11, 20, 9, 30, tzinfo=UTC))

    assert {f.name: f.sha256 for f in second_run.files} == first
    assert second_run.created_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert db.session.scalar(select(func.count(ExportRun.id))) == 1
    assert db.session.scalar(select(func.count(ExportFile.id))) == 4
    for name, sha in first.items():
        assert hashlib.sha256((_dir(app) / name).read_bytes()).hexdigest() == sha
    builds = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.build")).all()
    assert [e.changes["rebuilt"] for e in builds] == [False, True]


def test_the_monthly_job_builds_the_previous_month_once(app):
    w = factories.world()
    _seed_cases(w)
    db.session.commit()
    assert previous_month(date(2026, 11, 1)) == "2026-10" and previous_month(date(2027, 1, 1)) == "2026-12"

    run_monthly_export(date(2026, 11, 1))
    run = db.session.scalar(select(ExportRun))
    assert run.month == "2026-10" and run.case_count == 3
    created_at = run.created_at
    run_monthly_export(date(2026, 11, 1))  # a second run (restart, catch-up) changes nothing
    db.session.expire_all()
    assert db.session.scalar(select(ExportRun.created_at)) == created_at

    (_dir(app) / builder.CASES_FILE).unlink()  # a lost file is rebuilt
    run_monthly_export(date(2026, 11, 3))
    assert (_dir(app) / builder.CASES_FILE).is_file()


def test_cli_builds_stores_and_writes_the_files_to_out(app, runner, tmp_path):
    w = factories.world()
    _seed_cases(w)
    db.session.commit()
    out = tmp_path / "voor-inspectie"
    result = runner.invoke(args=["export", "inspectie", "--month", MONTH, "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert "3 casussen" in result.output
    run = db.session.scalar(select(ExportRun).where(ExportRun.month == MONTH))
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in run.files)
    for file in run.files:
        assert hashlib.sha256((out / file.name).read_bytes()).hexdigest() == file.sha256
        assert file.sha256 in result.output


@pytest.mark.parametrize("month", ["2026-13", "10-2026", "2026-1", "oktober"])
def test_cli_refuses_a_bad_month_in_dutch(app, runner, month):
    result = runner.invoke(args=["export", "inspectie", "--month", month])
    assert result.exit_code == 1
    assert "Ongeldige maand" in result.output and "JJJJ-MM" in result.output
    assert db.session.scalar(select(func.count(ExportRun.id))) == 0


def test_cli_refuses_a_month_that_has_not_ended(app, runner, clock):
    clock.set_today(date(2026, 11, 2))
    result = runner.invoke(args=["export", "inspectie", "--month", "2026-11"])
    assert result.exit_code == 1
    assert "nog niet voorbij" in result.output


def _built_world(app):
    w = factories.world()
    _seed_cases(w)
    db.session.commit()
    _build()
    return w


def _downloads() -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.download")).all()


def test_inspectie_lands_on_the_exports_page_and_downloads_a_file(app, auth, client):
    w = _built_world(app)
    run = db.session.scalar(select(ExportRun))
    auth.login("insp@example.nl")
    start = client.get("/")
    assert start.headers["Location"].endswith("/inspectie/exports")
    page = client.get("/inspectie/exports").get_data(as_text=True)
    assert "oktober 2026" in page
    for file in run.files:
        assert file.name in page and file.sha256 in page
    # The sums are there for whoever wants them, folded away; nobody is told to check them.
    assert "Controleer" not in page
    folded = page.split('<details class="checksums">')[1].split("</details>")[0]
    assert all(file.sha256 in folded for file in run.files) and "SHA-256" in folded

    response = client.get(f"/inspectie/exports/{MONTH}/cases.csv")
    assert response.status_code == 200
    assert response.data == (_dir(app) / "cases.csv").read_bytes()
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    [event] = _downloads()
    assert event.actor_id == w.inspectie.id and event.changes == {"month": MONTH, "file": "cases.csv"}
    assert event.processing_activity == "inspectie: thuiszittersregistratie"


def test_admin_sees_the_exports_page_too(app, auth, client):
    _built_world(app)
    auth.login("admin@example.nl")
    assert client.get("/inspectie/exports").status_code == 200
    assert client.get(f"/inspectie/exports/{MONTH}/{XLSX}").status_code == 200


@pytest.mark.parametrize("email", ["coord1@example.nl", "lp1@example.nl"])
def test_other_roles_get_403_on_the_page_and_the_files(app, auth, client, email):
    _built_world(app)
    auth.login(email)
    assert client.get("/inspectie/exports").status_code == 403
    assert client.get(f"/inspectie/exports/{MONTH}/cases.csv").status_code == 403
    assert _downloads() == []


@pytest.mark.parametrize("path", [
    f"{MONTH}/..%2F..%2Fapp.py", f"{MONTH}/stray.txt", f"{MONTH}/cases.csv.bak", "2026-09/cases.csv",
    "2026-1/cases.csv", "..%2F2026-10/cases.csv", f"{MONTH}/%2e%2e", f"{MONTH}/..",
])
def test_names_outside_the_record_are_404(app, auth, client, path):
    _built_world(app)
    (_dir(app) / "stray.txt").write_text("not part of the export")
    auth.login("insp@example.nl")
    assert client.get(f"/inspectie/exports/{path}").status_code == 404
    assert _downloads() == []


def test_api_lists_the_exports_and_serves_a_file_logged(app, client):
    w = _built_world(app)
    headers = {"Authorization": f"Bearer {factories.token(w.inspectie)}"}
    db.session.commit()
    listing = client.get("/api/v1/exports", headers=headers)
    assert listing.status_code == 200
    [entry] = listing.get_json()
    assert entry["month"] == MONTH and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["createdAt"])
    assert {f["name"] for f in entry["files"]} == {"cases.csv", "summary.csv", XLSX, "manifest.json"}

    manifest_entry = next(f for f in entry["files"] if f["name"] == "manifest.json")
    response = client.get(f"/api/v1/exports/{MONTH}/manifest.json", headers=headers)
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == manifest_entry["sha256"]
    assert len(response.data) == manifest_entry["size"]
    assert response.headers["Cache-Control"] == "no-store"
    [event] = _downloads()
    assert event.actor_id == w.inspectie.id and event.changes["file"] == "manifest.json"
    assert client.get(f"/api/v1/exports/{MONTH}/cases.xlsx", headers=headers).status_code == 404
    missing = client.get("/api/v1/exports/2026-09/cases.csv", headers=headers)
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_api_refuses_other_roles_with_problem_json(app, client):
    w = _built_world(app)
    for user in (w.coordinator, w.leerplicht):
        headers = {"Authorization": f"Bearer {factories.token(user)}"}
        db.session.commit()
        for path in ("/api/v1/exports", f"/api/v1/exports/{MONTH}/cases.csv"):
            response = client.get(path, headers=headers)
            assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert client.get("/api/v1/exports").status_code == 401
    assert _downloads() == []


def test_the_export_paths_are_in_the_openapi_document(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/exports"] and "get" in paths["/exports/{month}/{fileName}"]


def test_the_xlsx_holds_the_same_rows_as_the_csv(app):
    w = factories.world()
    _seed_cases(w)
    db.session.commit()
    _build()
    csv_rows = _rows(app, builder.CASES_FILE, integers=builder.CASE_INTEGER_COLUMNS)
    workbook = openpyxl.load_workbook(io.BytesIO((_dir(app) / XLSX).read_bytes()), read_only=True)
    sheet_rows = [dict(zip(builder.CASE_COLUMNS, (_as_csv(c, v) for c, v in zip(columns.CASE_COLUMN_DEFS, row,
                                                                                     strict=True)), strict=True))
                  for row in workbook["Casussen"].iter_rows(min_row=2, values_only=True)]
    assert sheet_rows == csv_rows
    # Typed cells (issue 17): dates are dates, whole numbers numbers, yes/no booleans.
    first = next(workbook["Casussen"].iter_rows(min_row=2, values_only=True))
    typed = dict(zip(builder.CASE_COLUMNS, first, strict=True))
    assert isinstance(typed["out_of_school_since"], datetime) and isinstance(typed["birth_year"], int)
    assert isinstance(typed["overdue"], bool)


def _as_csv(column: columns.Column, value: object) -> object:
    """An xlsx cell as cases.csv holds it (read back with integers as int)."""
    if value is None:
        return ""
    if column.type == columns.DATE:
        return value.date().isoformat()  # type: ignore[attr-defined]
    if column.type == columns.BOOLEAN:
        return "ja" if value else "nee"
    return value


def test_the_reader_streams_only_plain_case_data_with_step_dates_and_reopened_cases(app):
    from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT, record
    from thuiszitters.exports.services import export_cases

    w = factories.world()
    open_case, chain_case, closed_case, _old_case = _seed_cases(w)
    record("case.reopen", actor_id=None, activity=ACTIVITY_CASE_MANAGEMENT, case_id=open_case.id)
    db.session.commit()

    exported = {c.case_id: c for c in export_cases(MONTH, batch_size=2)}  # several batches
    assert list(exported) == sorted(exported) == sorted([open_case.id, chain_case.id, closed_case.id])
    assert exported[open_case.id].reopened and not exported[chain_case.id].reopened
    assert exported[open_case.id].birth_year == 2013 and exported[open_case.id].school_type == "so"
    assert exported[chain_case.id].steps == (
        builder.ExportStep("aanmelding", date(2026, 5, 11), date(2026, 6, 1)),
        builder.ExportStep("swv_inzet", date(2026, 6, 3), date(2026, 7, 1)),
        builder.ExportStep("consulent", date(2026, 9, 14), None),
    )
    # An aanmelding without a decision is done the day after its six-week term ran out.
    assert exported[closed_case.id].steps == (builder.ExportStep("aanmelding", date(2026, 8, 31), date(2026, 10, 13)),)
    assert exported[closed_case.id].closed_on == date(2026, 10, 15)


def test_a_case_reopened_after_the_month_is_rebuilt_as_it_stood_at_the_month_end(app, clock):
    from thuiszitters.cases.services import close_case, reopen_case

    w = factories.world()
    _seed_cases(w)
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 8, 31))
    db.session.commit()
    clock.set_today(date(2026, 10, 15))
    close_case(case, outcome="maatwerk", offer_started_on=date(2026, 10, 12), school_brin=None, note=None,
               expected_version=case.version, actor=w.coordinator, today=clock.today())
    db.session.commit()
    clock.set_today(date(2026, 11, 1))
    october = {f.name: f.sha256 for f in _build(now=BUILT_AT).files}

    clock.set_today(date(2026, 11, 10))  # the placement fails: the case is open again
    reopen_case(case, reason="Plaatsing mislukt", expected_version=case.version, actor=w.coordinator,
                today=clock.today())
    db.session.commit()
    clock.set_today(date(2026, 12, 1))
    assert {f.name: f.sha256 for f in _build(now=datetime(2026, 12, 1, 5, 0, tzinfo=UTC)).files} == october

    key = app.config["INSPECTIE_KEY"].encode()
    row = {r["pseudonym"]: r for r in _rows(app, builder.CASES_FILE)}[builder.pseudonym(key, case.id)]
    assert (row["status"], row["outcome"], row["offer_started_on"]) == ("gesloten", "maatwerk", "2026-10-12")
    _build("2026-11", now=datetime(2026, 12, 1, 5, 0, tzinfo=UTC))
    row = {r["pseudonym"]: r for r in _rows(app, builder.CASES_FILE, "2026-11")}[builder.pseudonym(key, case.id)]
    assert (row["status"], row["outcome"], row["offer_started_on"]) == ("open", "", "")


def test_closure_at_follows_close_and_reopen_events_in_order():
    from thuiszitters.exports.services import OPEN, Closure, closure_at

    at = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    events = [
        ("case.close", datetime(2026, 10, 15, 9, 0, tzinfo=UTC),
         {"closed_on": [None, "2026-10-15"], "outcome": [None, "maatwerk"], "offer_started_on": [None, "2026-10-12"]}),
        ("case.reopen", at, {"status": ["closed", "open"]}),
        # An event from before closed_on was logged: the day it was recorded, in Amsterdam (23:30 UTC is the next day).
        ("case.close", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), {"outcome": [None, "vrijstelling"]}),
    ]
    assert closure_at(events, date(2026, 9, 30)) == OPEN
    assert closure_at(events, date(2026, 10, 31)) == Closure(date(2026, 10, 15), "maatwerk", date(2026, 10, 12))
    assert closure_at(events, date(2026, 11, 30)) == OPEN
    assert closure_at(events, date(2026, 12, 31)) == Closure(date(2026, 12, 1), "vrijstelling", None)
