"""The case workflow in a real browser: every page and every error state passes axe (WCAG 2.1 AA)."""
from datetime import date

from tests import factories
from thuiszitters.cases.services import CaseInput, create_case
from thuiszitters.extensions import db


def test_coordinator_registers_and_walks_a_case_in_the_browser(app, journey):
    w = factories.world()
    factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Regenboog")
    db.session.commit()
    page = journey.page
    journey.login("coord1@example.nl", factories.PASSWORD)
    journey.goto("/casussen")
    journey.check("lege-lijst")

    page.get_by_role("link", name="Nieuwe casus").click()
    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Geboortedatum").fill("31-02-2013")
    page.get_by_role("button", name="Casus registreren").click()
    assert "Deze datum bestaat niet" in page.inner_text("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    journey.check("nieuwe-casus-fouten")

    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("Geboortedatum").fill("12-05-2013")
    page.get_by_label("Gemeente waar de leerling woont").select_option("GM0363")
    page.get_by_label("Absoluut verzuim").check()
    page.get_by_label("Eerste dag thuis").fill("01-09-2026")
    page.get_by_role("button", name="Casus registreren").click()
    assert "Sanne Jansen" in page.inner_text("main")
    journey.check("casuspagina")

    page.get_by_role("link", name="Schriftelijke aanmelding vastleggen").click()
    page.get_by_label("School waar de leerling is aangemeld").select_option("07NU00")
    page.get_by_label("Datum waarop de school de schriftelijke aanmelding ontving").fill("07-09-2026")
    page.get_by_label("Toegelaten").check()
    page.get_by_role("button", name="Stap vastleggen").click()
    assert "Vul de besluitdatum in." in page.inner_text("#error-summary")
    journey.check("aanmelding-fout")
    page.get_by_label("Besluitdatum").fill("01-10-2026")
    page.get_by_role("button", name="Stap vastleggen").click()
    assert "is vastgelegd" in page.inner_text("main")

    case_url = page.url.split("#")[0]
    journey.page.goto(case_url + "/stappen/nieuw/interventieteam")
    page.get_by_label("Datum van melding bij het interventieteam").fill("02-11-2026")
    page.get_by_role("button", name="Stap vastleggen").click()
    assert "Inzet samenwerkingsverband" in page.inner_text("#gate")
    journey.check("interventieteam-geweigerd")

    journey.page.goto(case_url + "/sluiten")
    page.get_by_label("Maatwerk").check()
    page.get_by_label("Startdatum van het passend aanbod").fill("02-11-2026")
    page.get_by_role("button", name="Casus sluiten").click()
    assert "is gesloten" in page.inner_text("main")
    journey.check("gesloten")


def test_the_list_with_filters_and_the_read_only_case_page_for_leerplicht(app, journey):
    w = factories.world()
    for i in range(27):
        factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1 + i % 28), reference=f"TZ-E2E-{i:02d}")
    case = create_case(CaseInput(first_name="Noah", last_name="de Vries", date_of_birth=date(2014, 3, 1),
                                 gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                                 out_of_school_since=date(2026, 9, 1)), actor=w.coordinator, today=date(2026, 11, 2))
    db.session.commit()
    journey.login("lp1@example.nl", factories.PASSWORD)
    journey.goto("/casussen?overdue=ja")
    assert "Over de termijn" in journey.page.inner_text("table")
    journey.check("lijst-over-de-termijn")
    journey.goto(f"/casussen/{case.id}")
    assert journey.page.get_by_role("link", name="Gegevens bewerken").count() == 0
    journey.check("casus-leerplicht")


def test_a_stale_edit_shows_the_conflict_accessibly_and_keeps_the_typing(app, journey, browser, live_server):
    w = factories.world()
    case = create_case(CaseInput(first_name="Noah", last_name="de Vries", date_of_birth=date(2014, 3, 1),
                                 gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                                 out_of_school_since=date(2026, 9, 1)), actor=w.coordinator, today=date(2026, 11, 2))
    db.session.commit()
    other = browser.new_context().new_page()
    other.goto(live_server + "/login")
    other.get_by_label("E-mailadres").fill("coord1@example.nl")
    other.get_by_label("Wachtwoord").fill(factories.PASSWORD)
    other.get_by_role("button", name="Inloggen").click()
    journey.login("coord1@example.nl", factories.PASSWORD)
    journey.goto(f"/casussen/{case.id}/bewerken")
    other.goto(live_server + f"/casussen/{case.id}/bewerken")
    other.get_by_label("Langdurig relatief verzuim").check()
    other.get_by_role("button", name="Opslaan").click()
    other.context.close()

    journey.page.get_by_label("Notitie").fill("Mijn notitie")
    journey.page.get_by_role("button", name="Opslaan").click()
    assert "Iemand anders heeft deze casus gewijzigd" in journey.page.inner_text("#conflict")
    assert journey.page.evaluate("document.activeElement.id") == "conflict"
    assert journey.page.get_by_label("Notitie").input_value() == "Mijn notitie"
    journey.check("conflict")


def test_a_signal_in_the_browser_becomes_a_case_and_closes_as_an_exemption(app, journey):
    """Issue 16: register a dreigend thuiszitter, record its first day, close it honestly; every page passes axe."""
    w = factories.world()
    factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Regenboog")
    db.session.commit()
    page = journey.page
    journey.login("coord1@example.nl", factories.PASSWORD)
    journey.goto("/casussen/nieuw")
    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("Geboortedatum").fill("12-05-2015")
    page.get_by_label("Gemeente waar de leerling woont").select_option("GM0363")
    page.get_by_label("Langdurig relatief verzuim").check()
    page.get_by_label("Signaal: de leerling dreigt thuis te komen zitten").check()
    page.get_by_role("button", name="Casus registreren").click()
    assert "Nog niet: dit is een signaal" in page.inner_text("main")
    journey.check("signaal")

    page.get_by_role("link", name="Signaal sluiten").click()
    assert page.get_by_label("Geen thuiszitter geworden").count() == 1
    assert page.get_by_label("Vrijstelling verleend").count() == 0
    journey.check("signaal-sluiten")
    page.get_by_role("link", name="Terug naar casus").click()

    # Issue 20: the signal's next step is its primary button; the status stands under the pupil's name.
    page.get_by_role("link", name="Eerste dag thuis vastleggen").click()
    page.get_by_label("Eerste dag thuis").fill("01-09-2026")
    page.get_by_role("button", name="Opslaan").click()
    assert "Open" in page.inner_text(".case-lead")

    page.get_by_role("link", name="Casus sluiten").click()
    page.get_by_label("Vrijstelling verleend").check()
    page.get_by_label("Startdatum van het passend aanbod").fill("15-10-2026")
    page.get_by_role("button", name="Casus sluiten").click()
    assert "laat de startdatum van het aanbod leeg" in page.inner_text("#error-summary")
    journey.check("sluiten-fout")
    page.get_by_label("Startdatum van het passend aanbod").fill("")
    page.get_by_label("Datum van afsluiting").fill("15-10-2026")
    page.get_by_role("button", name="Casus sluiten").click()
    assert "Niet van toepassing: geen passend aanbod" in page.inner_text("main")
    journey.check("vrijstelling")
    journey.goto("/dashboard")
    assert "Gesloten zonder passend aanbod" in page.inner_text("main")
    journey.check("dashboard")
