"""The main journeys of issue 9 in Debian's Chromium, each page checked with axe-core (WCAG 2.1 A/AA)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from tests import factories
from thuiszitters.cases.services import CaseInput, create_case
from thuiszitters.clock import now_utc
from thuiszitters.exports.services import build_month_export
from thuiszitters.extensions import db


def _world_with_schools():
    w = factories.world()
    factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Regenboog")
    factories.school("12AB00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="Het Kompas")
    db.session.commit()
    return w


def _case_for(w, clock, since: date) -> int:
    case = create_case(CaseInput(first_name="Şahin", last_name="Ærøe", date_of_birth=date(2013, 5, 12),
                                 gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                                 out_of_school_since=since), actor=w.coordinator, today=clock.today())
    db.session.commit()
    return case.id


def _record_step(journey, case_url: str, kind: str, fill: dict[str, str], check: dict[str, str] | None = None,
                 select: dict[str, str] | None = None) -> None:
    page = journey.page
    page.goto(f"{case_url}/stappen/nieuw/{kind}")
    for label, value in fill.items():
        page.get_by_label(label, exact=True).fill(value)
    for label, value in (select or {}).items():
        page.get_by_label(label, exact=True).select_option(value)
    for label in (check or {}):
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Stap vastleggen").click()
    page.wait_for_load_state()
    assert "is vastgelegd" in page.inner_text("main"), page.inner_text("main")[:800]


def test_coordinator_walks_every_step_sees_the_gate_closes_and_downloads_the_pdf(app, clock, journey):
    clock.set_today(date(2026, 11, 2))
    w = _world_with_schools()
    case_id = _case_for(w, clock, date(2026, 8, 31))
    page = journey.page
    journey.login("coord1@example.nl", factories.PASSWORD)
    case_url = f"{journey.base_url}/casussen/{case_id}"
    page.goto(case_url)
    assert "30-11-2026" in page.inner_text("main")  # 31 August + 3 months
    journey.check("casus")

    page.goto(f"{case_url}/stappen/nieuw/interventieteam")
    page.get_by_label("Datum van melding bij het interventieteam").fill("02-11-2026")
    page.get_by_role("button", name="Stap vastleggen").click()
    gate = page.inner_text("#gate")
    for missing in ("Schriftelijke aanmelding", "Inzet samenwerkingsverband", "Onderwijs(zorg)consulent"):
        assert missing in gate
    journey.check("interventieteam-geweigerd")

    _record_step(journey, case_url, "aanmelding",
                 {"Datum waarop de school de schriftelijke aanmelding ontving": "01-09-2026",
                  "Besluitdatum": "01-10-2026"}, check={"Afgewezen": ""},
                 select={"School waar de leerling is aangemeld": "07NU00"})
    _record_step(journey, case_url, "swv_inzet", {"Startdatum": "08-09-2026", "Einddatum": "15-10-2026"},
                 select={"Actie van het samenwerkingsverband": "arrangement"})
    page.goto(f"{case_url}/stappen/nieuw/consulent")
    page.get_by_label("Onderwijsconsulent", exact=True).check()
    page.get_by_label("Aanvraagdatum").fill("01-10-2026")
    page.get_by_role("button", name="Stap vastleggen").click()
    assert "toestemming" in page.inner_text("#error-summary").lower()
    journey.check("consulent-zonder-toestemming")
    page.get_by_label("De ouders hebben toestemming gegeven om de consulent in te schakelen").check()
    page.get_by_label("Adviesdatum").fill("20-10-2026")
    page.get_by_role("button", name="Stap vastleggen").click()
    assert "is vastgelegd" in page.inner_text("main")
    _record_step(journey, case_url, "interventieteam", {"Datum van melding bij het interventieteam": "02-11-2026"})
    page.goto(case_url)
    journey.check("alle-stappen")

    page.goto(f"{case_url}/sluiten")
    page.get_by_label("Terug naar school").check()
    page.get_by_label("School waar de leerling terugkeert").select_option("12AB00")
    page.get_by_label("Startdatum van het passend aanbod").fill("02-11-2026")
    page.get_by_role("button", name="Casus sluiten").click()
    assert "is gesloten" in page.inner_text("main")
    journey.check("gesloten")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Casusoverzicht downloaden (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf") and "Ærøe" not in download.suggested_filename
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def _tab_to(page, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"could not reach #{element_id} with the Tab key")


def test_case_registration_with_the_keyboard_alone(app, clock, journey):
    clock.set_today(date(2026, 11, 2))
    _world_with_schools()
    page = journey.page
    journey.login("coord1@example.nl", factories.PASSWORD)
    journey.goto("/casussen/nieuw")
    _tab_to(page, "first_name")
    page.keyboard.type("Noor")
    _tab_to(page, "last_name")
    page.keyboard.type("Visser")
    _tab_to(page, "date_of_birth")
    page.keyboard.type("03-04-2014")
    _tab_to(page, "gemeente_code")
    page.keyboard.type("Amsterdam")
    _tab_to(page, "absence_kind-0")
    page.keyboard.press("Space")
    _tab_to(page, "out_of_school_since")
    page.keyboard.type("15-10-2026")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Noor Visser" in main, main[:600]
    assert "is geregistreerd" in main
    journey.check("geregistreerd-met-toetsenbord")


def test_inspectie_downloads_the_monthly_export(app, clock, journey):
    clock.set_today(date(2026, 11, 2))
    w = _world_with_schools()
    _case_for(w, clock, date(2026, 9, 1))
    build_month_export("2026-10", actor_id=None, now=now_utc())
    db.session.commit()
    page = journey.page
    journey.login("insp@example.nl", factories.PASSWORD)
    assert "2026" in page.inner_text("main")
    journey.check("exports")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="cases.csv").first.click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Dutch Excel
    assert "Ærøe".encode() not in content and "Şahin".encode() not in content
