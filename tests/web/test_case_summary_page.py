"""The case summary's HTML print view: the same summary as the PDF, readable by a screen reader, logged like it."""
from __future__ import annotations

import html
import io
import re
from datetime import date

import pypdf
from sqlalchemy import select

from tests import factories
from tests.helpers import assert_nu_valid
from tests.web.test_case_summary import NOTE, _case_through_services, _world_with_school
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import ACTIVITY_CASE_MANAGEMENT
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.reports.document import Empty, Facts, Grid, Items, summary_document
from thuiszitters.reports.summary import summary_for_case

SECTION_TITLES = ["Leerling", "Status", "Escalatieketen", "Plan van aanpak", "Overleggen (MDO)", "Tijdlijn",
                  "Betrokkenen", "Netwerk van de leerling", "Openstaande signalen", "Volgende stappen"]


def _page_text(page: str) -> str:
    """What a reader of the page reads: the text of the main content, tags removed, entities decoded."""
    main = page[page.index("<main"):page.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def _summary_reads(case_id: int) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.case_id == case_id, AuditEvent.action == "case.summary.read").order_by(AuditEvent.id)))


def test_coordinator_reads_the_summary_as_a_web_page_with_headings_and_table_headers(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    auth.login("coord1@example.nl")

    response = client.get(f"/casussen/{case.id}/samenvatting")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert '<html lang="nl">' in page
    # The browser's tab and history name the case, not the pupil.
    assert f"<title>Casusoverzicht {case.reference} · Thuiszitters</title>" in page
    assert f'<h1 id="summary-title">Casusoverzicht {case.reference}</h1>' in page
    assert re.findall(r'<h2 id="[a-z-]+-title">([^<]+)</h2>', page) == SECTION_TITLES
    for key in ("leerling", "status", "escalatieketen", "tijdlijn", "betrokkenen", "signalen", "volgende-stappen"):
        assert f'<li><a href="#{key}">' in page, "the contents link to every section"
    assert '<th scope="col">Stap</th><th scope="col">Data</th>' in page
    assert '<th scope="col">Datum en tijd</th>' in page and '<th scope="row">' in page
    assert "style=" not in page, "no inline styles: the CSP allows only the app's stylesheets"
    text = _page_text(page)
    assert "Łukasz Şahin-Ærøe" in text and "Basisschool De Ærø" in text
    assert "BSN ******333" in text and "111222333" not in page
    # The note the case was registered with is the journal's first entry (issue 18), shown with the journal.
    assert NOTE not in text
    assert "Stap vastgelegd: Schriftelijke aanmelding" in text
    assert f'href="/casussen/{case.id}/samenvatting.pdf"' in page
    assert [(e.actor_id, e.processing_activity) for e in _summary_reads(case.id)] == [
        (w.coordinator.id, ACTIVITY_CASE_MANAGEMENT)]
    with_journal = client.get(f"/casussen/{case.id}/samenvatting?journaal=ja").get_data(as_text=True)
    assert NOTE in _page_text(with_journal) and "&lt;b&gt;school &amp; zorg&lt;/b&gt;" in with_journal, \
        "the note's markup is shown as typed"


def test_the_page_and_the_pdf_show_the_same_sections_labels_and_values(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    auth.login("coord1@example.nl")
    document = summary_document(summary_for_case(case, generated_by=w.coordinator, today=clock.today(),
                                                 now=now_utc()))

    page = "".join(_page_text(client.get(f"/casussen/{case.id}/samenvatting").get_data(as_text=True)).split())
    pdf = "".join(_pdf_text(client.get(f"/casussen/{case.id}/samenvatting.pdf").data).split())

    expected: list[str] = [document.title, document.subtitle]
    for section in document.sections:
        expected.append(section.title)
        for block in section.blocks:
            if isinstance(block, Facts):
                expected += [text for label, value in block.rows for text in (label, *value.lines)]
            elif isinstance(block, Grid):
                expected += [*block.headers, *(line for row in block.rows for value in row for line in value.lines)]
            elif isinstance(block, Items):
                expected += [*filter(None, [block.title]), *block.items]
            elif isinstance(block, Empty):
                expected.append(block.text)
    assert len(expected) > 60
    for text in expected:
        squeezed = "".join(text.split())
        assert squeezed in page, f"missing on the page: {text}"
        assert squeezed in pdf, f"missing in the PDF: {text}"


def test_only_coordinators_in_scope_see_the_print_view_and_refusals_log_nothing(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    url = f"/casussen/{case.id}/samenvatting"
    assert client.get(url).status_code == 302  # to the login page

    auth.login("lp1@example.nl")
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login("coord2@example.nl")
    other = client.get(url)
    assert other.status_code == 404
    assert "Şahin" not in other.get_data(as_text=True)
    auth.logout()
    auth.login("insp@example.nl")
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login("admin@example.nl")  # no scope
    assert client.get(url).status_code == 404
    assert _summary_reads(case.id) == []


def test_the_case_page_offers_both_forms_to_coordinators_and_logs_the_view_in_its_history(
        app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    auth.login("coord1@example.nl")
    case_page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert f'href="/casussen/{case.id}/samenvatting">Casusoverzicht bekijken en afdrukken</a>' in case_page
    assert f'href="/casussen/{case.id}/samenvatting.pdf">Casusoverzicht downloaden (PDF)</a>' in case_page

    client.get(f"/casussen/{case.id}/samenvatting")

    assert "Casusoverzicht bekeken (printweergave)" in client.get(f"/casussen/{case.id}").get_data(as_text=True)
    # A read is no part of the case's story told in the summary itself.
    assert "printweergave" not in _pdf_text(client.get(f"/casussen/{case.id}/samenvatting.pdf").data)
    auth.logout()
    auth.login("lp1@example.nl")
    assert "/samenvatting" not in client.get(f"/casussen/{case.id}").get_data(as_text=True)


def test_an_empty_case_says_so_in_every_empty_section(app, auth, client):
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), reference="TZ-LEEG")
    db.session.commit()
    auth.login("coord1@example.nl")

    text = _page_text(client.get(f"/casussen/{case.id}/samenvatting").get_data(as_text=True))

    assert "Nog geen stappen in de escalatieketen." in text
    assert "Geen gebeurtenissen vastgelegd." in text  # inserted without an audit trail
    assert "Geen openstaande signalen." in text


def test_the_print_view_and_the_case_page_that_links_to_it_pass_the_nu_html_checker(app, auth, client, clock):
    w = _world_with_school()
    case = _case_through_services(w, clock)
    auth.login("coord1@example.nl")

    assert_nu_valid({
        "casusoverzicht": client.get(f"/casussen/{case.id}/samenvatting").get_data(as_text=True),
        "casus": client.get(f"/casussen/{case.id}").get_data(as_text=True),
    })
