"""The network and the journal in a real browser: a coordinator adds a parent and the school and writes two entries;
a leerplicht user adds an entry and cannot correct the coordinator's. Every page and error state passes axe."""
from datetime import date

from tests import factories
from tests.e2e.conftest import Journey
from thuiszitters.extensions import db


def test_coordinator_builds_the_network_and_the_journal_and_leerplicht_adds_an_entry(app, browser, live_server):
    w = factories.world()
    school = factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Regenboog")
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), school_obj=school,
                          first_name="Sanne", last_name="Jansen")
    db.session.commit()
    case_path = f"/casussen/{case.id}"

    for width, height, label in ((1366, 900, "breed"), (390, 844, "smal")):
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15000)
        journey = Journey(page, live_server, f"casework-{label}")
        if label == "breed":
            _coordinator(journey, case_path)
        else:
            journey.login("coord1@example.nl", factories.PASSWORD)
            journey.goto(case_path)
            journey.check("casuspagina-smal")
            journey.goto(case_path + "/netwerk/nieuw")
            journey.check("betrokkene-smal")
        context.close()

    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    _leerplicht(Journey(page, live_server, "casework-leerplicht"), case_path)
    context.close()


def _coordinator(journey, case_path: str) -> None:
    page = journey.page
    journey.login("coord1@example.nl", factories.PASSWORD)
    journey.goto(case_path)
    journey.check("casuspagina-leeg-netwerk")

    page.get_by_role("link", name="Betrokkene toevoegen").click()
    page.get_by_label("Rol").select_option("ouder")
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Toevoegen").click()
    summary = page.inner_text("#error-summary")
    assert "Vul de naam van de betrokkene in." in summary and "E-mailadres" in summary
    journey.check("betrokkene-fouten")
    page.get_by_label("Naam", exact=True).fill("Fatima el Amrani")
    page.get_by_label("E-mailadres").fill("f.elamrani@example.nl")
    page.get_by_label("Telefoonnummer").fill("06 1234 5678")
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Toevoegen").click()
    assert "is toegevoegd aan het netwerk" in page.inner_text("main")

    page.get_by_role("link", name="De Regenboog (De Regenboog) toevoegen").click()
    assert page.get_by_label("Naam", exact=True).input_value() == "De Regenboog"
    page.get_by_role("button", name="Toevoegen").click()
    network = page.inner_text("#netwerk")
    assert "Fatima el Amrani" in network and "06 12345678" in network and "De Regenboog" in network

    page.get_by_role("link", name="Journaalbericht schrijven").click()
    page.get_by_label("Datum van het contact").fill("03-11-2026")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.inner_text("#error-summary")
    assert "ligt in de toekomst" in summary and "Kies de soort contact" in summary and "Schrijf op" in summary
    journey.check("journaal-fouten")
    page.get_by_label("Datum van het contact").fill("30-10-2026")
    page.get_by_label("Soort contact").select_option("telefoon")
    page.get_by_label("Fatima el Amrani (Ouder of verzorger)").check()
    page.get_by_label("Verslag").fill("Moeder gebeld: ze wil een school dichter bij huis.")
    page.get_by_role("button", name="Opslaan").click()
    assert "Het journaalbericht is opgeslagen." in page.inner_text("main")

    page.get_by_role("link", name="Journaalbericht schrijven").click()
    page.get_by_label("Datum van het contact").fill("02-11-2026")
    page.get_by_label("Soort contact").select_option("overleg")
    page.get_by_label("De Regenboog (School)").check()
    page.get_by_label("Verslag").fill("Overleg met De Regenboog: proefplaatsing vanaf maandag.")
    page.get_by_role("button", name="Opslaan").click()
    stream = page.inner_text("#journaal")
    assert stream.index("proefplaatsing") < stream.index("Moeder gebeld")
    journey.check("casuspagina-journaal")

    page.get_by_role("link", name="Telefoongesprek").click()
    stream = page.inner_text("#journaal")
    assert "Moeder gebeld" in stream and "proefplaatsing" not in stream
    journey.check("journaal-filter")
    page.get_by_role("link", name="Alles", exact=True).click()

    page.get_by_role("link", name="Bericht van 02-11-2026 corrigeren").click()
    page.get_by_label("Verslag").fill("Overleg met De Regenboog: proefplaatsing vanaf woensdag.")
    page.get_by_role("button", name="Correctie opslaan").click()
    journal = page.locator("#journaal")
    assert "vanaf woensdag" in journal.inner_text()
    journal.get_by_text("Eerdere versies (1)").click()
    assert "vanaf maandag" in journal.inner_text()
    journey.check("journaal-gecorrigeerd")


def _leerplicht(journey, case_path: str) -> None:
    page = journey.page
    journey.login("lp1@example.nl", factories.PASSWORD)
    journey.goto(case_path)
    main = page.inner_text("main")
    assert "Betrokkene toevoegen" not in main and "corrigeren" not in main
    page.get_by_role("link", name="Journaalbericht schrijven").click()
    journey.check("leerplicht-journaal")
    page.get_by_label("Datum van het contact").fill("02-11-2026")
    page.get_by_label("Soort contact").select_option("huisbezoek")
    page.get_by_label("Verslag").fill("Huisbezoek: leerling is thuis, ouders werken mee.")
    page.get_by_role("button", name="Opslaan").click()
    assert "Het journaalbericht is opgeslagen." in page.inner_text("main")
    assert page.get_by_role("link", name="Bericht van 02-11-2026 corrigeren").count() == 1  # only its own
    response = journey.goto(case_path + "/journaal/1")  # the coordinator's first entry
    assert response.status == 403
    journey.check("leerplicht-geen-correctie")
