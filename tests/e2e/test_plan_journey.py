"""The plan van aanpak in a real browser: a coordinator records an MDO with three agreements in one form (after one
round of errors), sees them on the case's plan with the overdue one marked and on its werkvoorraad, marks one done,
and the next day's werkvoorraad shows the one that became overdue first; a leerplicht user finds its own action
and the open alert on its werkvoorraad and marks the action done. Every page and error state passes axe, wide
(1366 px) and narrow (390 px)."""
from datetime import date

from tests import factories
from tests.e2e.conftest import Journey
from thuiszitters.extensions import db


def test_coordinator_records_an_mdo_with_three_agreements_and_marks_one_done(app, browser, live_server, clock):
    # The app's clock stands on Monday 2 November 2026 (config/testing.py).
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), first_name="Sanne",
                          last_name="Jansen")
    parent = factories.participant(case, w.coordinator, role="ouder", name="Fatima el Amrani")
    school = factories.participant(case, w.coordinator, role="school", name="De Regenboog")
    factories.alert(case, due_on=date(2026, 10, 30), kind="overdue")  # for the leerplicht's werkvoorraad
    db.session.commit()
    case_path = f"/casussen/{case.id}"
    ids = {"parent": parent.id, "school": school.id, "coordinator": w.coordinator.id, "leerplicht": w.leerplicht.id}

    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    _coordinator(Journey(page, live_server, "plan-breed"), case_path, ids, clock)
    context.close()

    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    narrow = Journey(page, live_server, "plan-smal")
    narrow.login("coord1@example.nl", factories.PASSWORD)
    narrow.goto(case_path)
    assert "1 actie te laat." in page.inner_text("#plan")
    narrow.check("casuspagina-smal")
    narrow.goto(case_path + "/overleg/nieuw")
    narrow.check("overleg-smal")
    context.close()

    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    _leerplicht(Journey(page, live_server, "plan-leerplicht"), case_path)
    context.close()


def _group(page, heading: str) -> str:
    return page.locator("section.worklist-group", has=page.get_by_role("heading", name=heading)).inner_text()


def _coordinator(journey: Journey, case_path: str, ids: dict[str, int], clock) -> None:
    page = journey.page
    journey.login("coord1@example.nl", factories.PASSWORD)
    journey.goto(case_path)
    assert "Er staan nog geen acties in het plan van aanpak." in page.inner_text("#plan")
    journey.check("casuspagina-leeg-plan")

    page.get_by_role("link", name="Overleg (MDO) vastleggen").click()
    page.get_by_label("Datum van het overleg").fill("03-11-2026")
    page.get_by_label("Soort overleg").select_option("mdo")
    page.get_by_label("Verslag").fill("Proefplaatsing op De Regenboog besproken met moeder en school.")
    page.locator("#agreements-0-description").fill("Proefplaatsing regelen.")
    page.locator("#agreements-0-due_on").fill("09-11-2026")
    page.get_by_role("button", name="Overleg en afspraken opslaan").click()
    summary = page.inner_text("#error-summary")
    assert "ligt in de toekomst" in summary and "Afspraak 1, eigenaar: Kies een eigenaar" in summary
    assert page.locator("#agreements-0-description").input_value() == "Proefplaatsing regelen."  # nothing lost
    journey.check("overleg-fouten")

    page.get_by_label("Datum van het overleg").fill("02-11-2026")
    page.get_by_label("Fatima el Amrani (Ouder of verzorger)").check()
    page.get_by_label("De Regenboog (School)").check()
    page.locator("#agreements-0-owner").select_option(f"betrokkene-{ids['school']}")
    page.locator("#agreements-1-description").fill("Moeder bellen over de proefplaatsing.")
    page.locator("#agreements-1-owner").select_option(f"gebruiker-{ids['coordinator']}")
    page.locator("#agreements-1-due_on").fill("02-11-2026")
    page.locator("#agreements-2-description").fill("Verzuimgesprek met moeder.")
    page.locator("#agreements-2-owner").select_option(f"gebruiker-{ids['leerplicht']}")
    page.locator("#agreements-2-due_on").fill("30-10-2026")
    page.get_by_role("button", name="Overleg en afspraken opslaan").click()
    assert "Het overleg is vastgelegd, met 3 afspraken." in page.inner_text("main")

    plan = page.inner_text("#plan")
    assert "1 actie te laat." in plan and "Te laat" in plan and "Vandaag" in plan
    assert plan.index("Verzuimgesprek") < plan.index("Moeder bellen") < plan.index("Proefplaatsing regelen")
    assert "MDO (multidisciplinair overleg)" in page.inner_text("#journaal")
    journey.check("casuspagina-plan")

    # The werkvoorraad (the start page): its own action today, the school's in a week; not the leerplicht's.
    journey.goto("/mijn-werk")
    assert "Moeder bellen over de proefplaatsing." in _group(page, "Vandaag")
    assert "Proefplaatsing regelen." in page.inner_text("main")
    assert "Verzuimgesprek met moeder." not in page.inner_text("main")
    journey.check("werkvoorraad")
    journey.goto(case_path)

    page.get_by_role("link", name="Bijwerken actie: Moeder bellen over de proefplaatsing.").click()
    page.get_by_label("Gedaan", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    assert "De actie is bijgewerkt." in page.inner_text("main")
    assert "Gedaan op 02-11-2026" in page.inner_text("#plan")
    journey.check("actie-gedaan")

    # The next Tuesday: the school's agreement (due Monday) is overdue and comes first; the done one is gone.
    clock.set_today(date(2026, 11, 10))
    try:
        journey.goto("/mijn-werk")
        overdue = _group(page, "Te laat")
        assert "Proefplaatsing regelen." in overdue
        first = page.locator("section.worklist-group").first
        assert "Te laat" in first.inner_text() and "Proefplaatsing regelen." in first.inner_text()
        assert "Moeder bellen over de proefplaatsing." not in page.inner_text("main")
        journey.check("werkvoorraad-volgende-week")
    finally:
        clock.set_today(date(2026, 11, 2))


def _leerplicht(journey: Journey, case_path: str) -> None:
    page = journey.page
    journey.login("lp1@example.nl", factories.PASSWORD)
    # Its start page: its own action (overdue) and the open alert of the pupil's gemeente.
    assert "/mijn-werk" in page.url
    overdue = _group(page, "Te laat")
    assert "Verzuimgesprek met moeder." in overdue and "Terugkeerdoel niet gehaald" in overdue
    assert "Moeder bellen over de proefplaatsing." not in page.inner_text("main")
    journey.check("werkvoorraad-leerplicht")
    journey.goto(case_path)
    plan = page.inner_text("#plan")
    assert "Verzuimgesprek met moeder." in plan and "Actie toevoegen" not in plan
    page.get_by_role("link", name="Bijwerken actie: Verzuimgesprek met moeder.").click()
    journey.check("eigen-actie")
    page.get_by_label("Gedaan", exact=True).check()
    page.get_by_label("Gedaan op").fill("31-10-2026")
    page.get_by_role("button", name="Opslaan").click()
    plan = page.inner_text("#plan")
    assert "Gedaan op 31-10-2026" in plan and "te laat" not in plan.lower()
