"""Issue 20 in a real browser: a form with three wrong fields names all three after one submit, keeps what was
typed, and passes axe; the case list sorts with links and the case page leads with the next step."""
from datetime import date

from tests import factories
from thuiszitters.cases.services import CaseInput, create_case
from thuiszitters.extensions import db


def test_three_wrong_fields_give_three_messages_after_one_submit(app, journey):
    factories.world()
    db.session.commit()
    page = journey.page
    journey.login("coord1@example.nl", factories.PASSWORD)
    journey.goto("/casussen/nieuw")
    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("Geboortedatum").fill("31-02-2013")
    page.get_by_label("BSN", exact=True).fill("123456789")
    page.get_by_label("Gemeente waar de leerling woont").select_option("GM0363")
    page.get_by_label("Absoluut verzuim").check()
    page.get_by_label("Eerste dag thuis").fill("01-12-2026")
    page.get_by_role("button", name="Casus registreren").click()

    summary = page.locator("#error-summary")
    assert summary.locator("a").count() == 3
    text = summary.inner_text()
    assert "Deze datum bestaat niet" in text and "BSN" in text and "ligt in de toekomst" in text
    assert page.evaluate("document.activeElement.id") == "error-summary"
    for field in ("date_of_birth", "bsn", "out_of_school_since"):
        assert page.locator(f"#{field}-error").is_visible()
    assert page.get_by_label("Voornaam").input_value() == "Sanne"
    assert page.get_by_label("BSN", exact=True).input_value() == "123456789"
    journey.check("drie-fouten-in-een-keer")

    summary.get_by_role("link").nth(1).click()
    assert page.evaluate("document.activeElement.id") == "bsn"


def test_the_sorted_list_and_the_case_page_that_leads_with_the_next_step(app, journey):
    w = factories.world()
    for i, name in enumerate(("Zwart", "Aalders", "Mulder")):
        factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 8, 1 + i), reference=f"TZ-S-{i}",
                       last_name=name)
    case = create_case(CaseInput(first_name="Noah", last_name="de Vries", date_of_birth=date(2014, 3, 1),
                                 gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                                 out_of_school_since=date(2026, 9, 1)), actor=w.coordinator, today=date(2026, 11, 2))
    db.session.commit()
    page = journey.page
    journey.login("coord1@example.nl", factories.PASSWORD)
    journey.goto("/casussen")
    page.get_by_role("link", name="Leerling").click()
    assert page.locator("th[aria-sort=ascending]").inner_text().strip() == "Leerling"
    assert page.locator("tbody th").first.inner_text().strip() == "TZ-S-1"
    journey.check("lijst-op-leerling")

    journey.goto(f"/casussen/{case.id}")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Noah de Vries"
    primary = page.locator(".next-action-block .utrecht-button-link--primary-action")
    assert primary.inner_text().strip() == "Schriftelijke aanmelding vastleggen"
    journey.check("casuspagina-volgende-stap")
