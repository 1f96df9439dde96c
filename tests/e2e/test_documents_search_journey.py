"""Issue 18 in a real browser: a coordinator finds a case by part of the pupil's name typed without its accent,
uploads an OPP (after a refused file) and downloads it; every new page passes axe (WCAG 2.1 AA) at a phone's and a
desktop's width."""
from __future__ import annotations

from datetime import date

from tests import factories
from thuiszitters.cases.services import CaseInput, create_case
from thuiszitters.extensions import db

WIDTHS = (390, 1366)


def _check_at_widths(journey, label: str) -> None:
    for width in WIDTHS:
        journey.page.set_viewport_size({"width": width, "height": 900})
        journey.check(f"{label}-{width}")
    journey.page.set_viewport_size({"width": 1366, "height": 900})


def test_a_coordinator_finds_a_case_uploads_an_opp_and_downloads_it(app, journey, tmp_path):
    w = factories.world()
    case = create_case(CaseInput(first_name="Zeynep", last_name="Öztürk", date_of_birth=date(2014, 3, 1),
                                 gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                                 out_of_school_since=date(2026, 9, 1)), actor=w.coordinator, today=date(2026, 11, 2))
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), first_name="Sem", last_name="Bakker")
    factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 9, 1), first_name="Emre", last_name="Öztürk")
    db.session.commit()
    page = journey.page
    journey.login("coord1@example.nl", factories.PASSWORD)

    # The search box in the header: part of the name, no accent, lower case.
    page.get_by_role("search", name="Casus zoeken").get_by_label("Zoek op casusnummer, naam of BSN").fill("oztu")
    page.get_by_role("search", name="Casus zoeken").get_by_role("button", name="Zoeken").click()
    results = page.inner_text("main")
    assert "1 casus gevonden" in results and "Zeynep Öztürk" in results and "Emre" not in results
    assert "oztu" not in page.url  # what was typed stays out of the address
    _check_at_widths(journey, "zoekresultaat")

    page.get_by_label("Zoek een casus").fill("")  # the results page's own form, emptied
    page.get_by_role("button", name="Zoeken").last.click()
    assert "Vul een casusnummer" in page.inner_text("#error-summary")
    journey.check("zoeken-leeg")

    page.get_by_label("Zoek een casus").fill("oztu")
    page.get_by_role("button", name="Zoeken").last.click()
    page.get_by_role("link", name=case.reference).click()
    assert "Er zijn nog geen documenten toegevoegd." in page.inner_text("#documenten + *")

    page.get_by_role("link", name="Document toevoegen").click()
    _check_at_widths(journey, "document-toevoegen")
    # A program renamed to .pdf: refused, with the reason beside the field.
    page.get_by_label("Bestand").set_input_files({"name": "opp.pdf", "mimeType": "application/pdf",
                                                  "buffer": b"MZ\x90\x00" + b"\x00" * 500})
    page.get_by_label("Soort document").select_option("opp")
    page.get_by_role("button", name="Document toevoegen").click()
    assert "Dit soort bestand kan niet worden opgeslagen" in page.inner_text("#file-error")
    _check_at_widths(journey, "document-geweigerd")

    page.get_by_label("Bestand").set_input_files({"name": "OPP Zeynep.pdf", "mimeType": "application/pdf",
                                                  "buffer": factories.PDF_BYTES})
    page.get_by_label("Titel").fill("OPP 2026-2027")
    page.get_by_label("Datum van het document").fill("15-10-2026")
    page.get_by_role("button", name="Document toevoegen").click()
    assert "Het document is toegevoegd." in page.inner_text("main")
    documents = page.inner_text("section.documents")
    assert "OPP 2026-2027" in documents and "Ontwikkelingsperspectief (OPP)" in documents
    _check_at_widths(journey, "casus-met-document")

    with page.expect_download() as info:
        page.get_by_role("link", name="OPP 2026-2027", exact=True).click()
    download = info.value
    assert download.suggested_filename == "OPP Zeynep.pdf"
    target = tmp_path / "opp.pdf"
    download.save_as(target)
    assert target.read_bytes() == factories.PDF_BYTES

    page.get_by_role("link", name="Verwijderen OPP 2026-2027").click()
    page.get_by_role("button", name="Document verwijderen").click()
    assert "Vul de reden in" in page.inner_text("#error-summary")
    _check_at_widths(journey, "document-verwijderen")
    page.get_by_label("Reden").fill("Nieuwe versie volgt")
    page.get_by_role("button", name="Document verwijderen").click()
    assert "Het document is verwijderd." in page.inner_text("main")
    assert "Document verwijderd: Ontwikkelingsperspectief (OPP)" in page.inner_text("#journaal ol.timeline")
