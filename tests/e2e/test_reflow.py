"""Every page of every role reflows on a phone and fits a laptop: no sideways scrolling (WCAG 1.4.10), in Chromium.

The demo dataset gives realistic content (long names and step labels, every state of a case, overdue alerts).
At 390 px each page is also checked with axe-core; the journeys check the same pages at 1280 px.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from thuiszitters.cases.models import Case
from thuiszitters.exports.services import build_month_export
from thuiszitters.extensions import db
from thuiszitters.seed.demo import DEMO_PASSWORD, load_demo

TODAY = date(2026, 12, 1)
WIDTHS = (320, 390, 1366)
SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture
def demo(app, clock):
    clock.set_today(TODAY)
    load_demo(TODAY)
    db.session.commit()
    build_month_export("2026-11", actor_id=None, now=clock.now_utc())
    db.session.commit()
    first_open = db.session.scalar(select(Case).where(Case.status == "open").order_by(Case.id))
    lp_case = db.session.scalar(select(Case).join(Case.gemeente).where(Case.gemeente.has(code="GM0363"))
                                .order_by(Case.id))
    return {"case": first_open.id, "ref": first_open.reference, "lp_case": lp_case.id}


PAGES = {
    "coordinator@demo.thuiszitters.nl": [
        "/mijn-werk", "/mijn-werk?tot=04-11-2027", "/dashboard", "/casussen", "/casussen/{case}", "/casussen/nieuw",
        "/casussen/{case}/bewerken",
        "/casussen/{case}/stappen/nieuw/aanmelding", "/casussen/{case}/sluiten", "/casussen/{case}/samenvatting",
        "/meldingen", "/account/tweestapsverificatie",
    ],
    "leerplicht@demo.thuiszitters.nl": [
        "/mijn-werk", "/dashboard/leerplicht", "/casussen", "/casussen/{lp_case}", "/signalen",
        "/signalen/afgehandeld", "/meldingen",
    ],
    "inspectie@demo.thuiszitters.nl": ["/dashboard/inspectie", "/inspectie/exports"],
    "admin@demo.thuiszitters.nl": [
        "/beheer/gebruikers", "/beheer/gebruikers/nieuw", "/beheer/gebruikers/1", "/beheer/verwerkingen?case={ref}",
        "/beheer/referentiegegevens", "/beheer/mail", "/beheer/organisatie-accounts",
    ],
}


@pytest.mark.parametrize("email", list(PAGES))
def test_no_page_scrolls_sideways_at_320_390_or_1366_px_for_any_role(demo, journey, email):
    page = journey.page
    journey.login(email, DEMO_PASSWORD)
    wide = []
    for template in PAGES[email]:
        path = template.format(**demo)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = journey.goto(path)
            assert response.status == 200, (path, response.status)
            if page.evaluate(SCROLLS_SIDEWAYS):
                wide.append(f"{path} at {width} px: {page.evaluate('document.documentElement.scrollWidth')} px wide")
            if width == 390:
                journey.check(f"{path}-{width}")
    assert wide == []


def test_the_login_page_reflows_too(app, journey):
    for width in WIDTHS:
        journey.page.set_viewport_size({"width": width, "height": 800})
        journey.goto("/login")
        assert not journey.page.evaluate(SCROLLS_SIDEWAYS)
    journey.check("login-1366")


def test_on_a_phone_the_menu_is_a_disclosure_and_each_table_row_is_a_labelled_block(demo, journey):
    page = journey.page
    page.set_viewport_size({"width": 390, "height": 800})
    journey.login("coordinator@demo.thuiszitters.nl", DEMO_PASSWORD)
    journey.goto("/casussen")
    toggle = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert toggle.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and menu.is_visible()
    assert page.get_by_role("link", name="Nieuwe casus").is_visible()
    journey.check("menu-open")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    # A row of the case list is a block; each cell shows its column's name before its value.
    cell = page.locator("table.case-list tbody tr").first.locator("td").first
    label = cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"Leerling"'
    # On a laptop the same list is an ordinary table and the menu is open, without a button.
    page.set_viewport_size({"width": 1366, "height": 800})
    assert menu.is_visible() and not toggle.is_visible()
    assert cell.evaluate("el => getComputedStyle(el).display") == "table-cell"


def test_without_javascript_the_menu_stays_open_on_a_phone(demo, browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("E-mailadres").fill("coordinator@demo.thuiszitters.nl")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(live_server + "/casussen")
    assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    assert page.get_by_role("link", name="Nieuwe casus").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert not page.evaluate(SCROLLS_SIDEWAYS)
    context.close()
