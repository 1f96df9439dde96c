"""The case summary's print view in a real browser: on a phone, on a laptop and on paper, with axe (WCAG 2.1 AA)."""
from __future__ import annotations

import io

import pypdf

from tests import factories
from tests.e2e.conftest import ARTIFACTS
from tests.web.test_case_summary import _case_through_services, _world_with_school
from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT, record
from thuiszitters.extensions import db

SECTIONS = ["Leerling", "Status", "Escalatieketen", "Plan van aanpak", "Overleggen (MDO)", "Tijdlijn",
            "Betrokkenen", "Netwerk van de leerling", "Openstaande signalen", "Volgende stappen"]


def test_the_print_view_reads_well_on_a_phone_a_laptop_and_paper(app, clock, journey):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    for index in range(12):
        record("case.update", actor_id=w.coordinator.id, activity=ACTIVITY_CASE_MANAGEMENT, case_id=case.id,
               object_type="case", object_id=case.id, changes={"note": ["…", "…"], "version": [index, index + 1]})
    db.session.commit()
    page = journey.page
    page.set_viewport_size({"width": 1366, "height": 900})
    journey.login("coord1@example.nl", factories.PASSWORD)
    journey.goto(f"/casussen/{case.id}")
    page.get_by_role("link", name="Casusoverzicht bekijken en afdrukken").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", level=1).inner_text() == f"Casusoverzicht {case.reference}"
    assert page.get_by_role("heading", level=2).all_inner_texts() == ["Inhoud", *SECTIONS]
    assert page.get_by_role("button", name="Afdrukken").is_visible(), "the print button appears with JavaScript"
    chain = page.get_by_role("region", name="Escalatieketen").get_by_role("table")
    assert chain.get_by_role("columnheader").all_inner_texts() == ["Stap", "Data", "Termijnen", "Uitkomst",
                                                                   "Afgerond"]
    assert chain.get_by_role("rowheader").first.inner_text() == "Schriftelijke aanmelding"
    page.get_by_role("link", name="Tijdlijn").click()
    assert page.evaluate("location.hash") == "#tijdlijn"
    journey.check("laptop")

    page.set_viewport_size({"width": 390, "height": 844})
    journey.goto(f"/casussen/{case.id}/samenvatting")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page never scrolls sideways"
    # The chain's table scrolls in its own box, which the keyboard can reach.
    region = page.get_by_role("region", name="Escalatieketen")
    assert region.evaluate("box => box.scrollWidth > box.clientWidth")
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    journey.check("telefoon")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".summary-tools").is_visible()
    assert page.get_by_role("heading", name="Tijdlijn").is_visible()
    journey.check("afdruk")
    paper = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "casusoverzicht-afgedrukt.pdf").write_bytes(paper)  # to look at
    printed = pypdf.PdfReader(io.BytesIO(paper))
    text = " ".join(" ".join(p.extract_text() for p in printed.pages).split())
    assert f"Casusoverzicht {case.reference}" in text and "Łukasz Şahin-Ærøe" in text
    assert all(section in text for section in SECTIONS)
    assert "Uitloggen" not in text and "Terug naar de casus" not in text and "Afdrukken" not in text
    total = len(printed.pages)
    assert f"Pagina {total} van {total}" in text, "the print stylesheet numbers the pages"
