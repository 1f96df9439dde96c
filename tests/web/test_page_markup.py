"""What the pages' markup promises a user: valid HTML, labelled stacked table cells, the app's own Dutch validation
(never the browser's, never a cut-off text), autocomplete on the login fields."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_from
from tests.helpers import assert_nu_valid
from thuiszitters.accounts.models import User
from thuiszitters.alerts.models import Alert, Notification
from thuiszitters.cases.models import Case
from thuiszitters.exports.services import build_month_export
from thuiszitters.extensions import db
from thuiszitters.seed.demo import DEMO_PASSWORD, load_demo

TODAY = date(2026, 12, 1)


class _Tables(HTMLParser):
    """For each table that stacks on a phone: its column headers and, per body cell, (its column, data-label)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._stack: list[dict] = []
        self._text: list[str] | None = None
        self._section = ""
        self._column = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            stacked = "table-stacked" in (attrs.get("class") or "")
            self._stack.append({"stacked": stacked, "headers": [], "cells": []})
        if not self._stack:
            return
        table = self._stack[-1]
        if tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr":
            self._column = 0
        elif tag == "th" and self._section == "thead":
            self._text = []
        elif tag in ("td", "th") and self._section == "tbody":
            if tag == "td" and "colspan" not in attrs:
                table["cells"].append((self._column, attrs.get("data-label")))
            self._column += int(attrs.get("colspan") or 1)

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "th" and self._text is not None:
            self._stack[-1]["headers"].append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "table" and self._stack:
            table = self._stack.pop()
            if table["stacked"]:
                self.tables.append(table)


def _stacked_tables(html: str) -> list[dict]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture
def demo(app, clock, client):
    clock.set_today(TODAY)
    load_demo(TODAY)
    first = db.session.scalar(select(Case).where(Case.status == "open").order_by(Case.id))
    lp_case = db.session.scalar(select(Case).where(Case.gemeente.has(code="GM0363")).order_by(Case.id))
    for case in db.session.scalars(select(Case).where(Case.gemeente.has(code="GM0363")).limit(3)):
        db.session.add(Alert(case_id=case.id, kind="overdue", due_on=date(2026, 11, 1),
                             created_at=datetime(2026, 11, 1, tzinfo=UTC)))
    lotte = db.session.scalar(select(User).where(User.email == "leerplicht@demo.thuiszitters.nl"))
    for n in range(2):
        db.session.add(Notification(user_id=lotte.id, case_id=lp_case.id, message=f"Melding {n}",
                                    created_at=datetime(2026, 11, 20, tzinfo=UTC)))
    db.session.commit()
    build_month_export("2026-11", actor_id=None, now=clock.now_utc())
    db.session.commit()
    return {"case": first.id, "ref": first.reference, "lp_case": lp_case.id}


def _pages(client, demo) -> dict[str, str]:
    """Every kind of page, as each role sees it."""
    pages: dict[str, str] = {"login": client.get("/login").get_data(as_text=True)}
    visits = {
        "coordinator": ["/mijn-werk", "/dashboard", "/casussen", "/casussen/{case}", "/casussen/nieuw",
                        "/casussen/{case}/bewerken",
                        "/casussen/{case}/stappen/nieuw/aanmelding", "/casussen/{case}/sluiten",
                        "/casussen/{case}/overdragen", "/meldingen", "/account/tweestapsverificatie"],
        "leerplicht": ["/mijn-werk", "/dashboard/leerplicht", "/signalen", "/signalen/afgehandeld", "/meldingen",
                       "/casussen/{lp_case}"],
        "inspectie": ["/dashboard/inspectie", "/inspectie/exports"],
        "admin": ["/beheer/gebruikers", "/beheer/gebruikers/nieuw", "/beheer/gebruikers/1",
                  "/beheer/verwerkingen?case={ref}", "/beheer/referentiegegevens", "/beheer/mail",
                  "/beheer/organisatie-accounts", "/toegankelijkheid"],
    }
    for role, paths in visits.items():
        page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": f"{role}@demo.thuiszitters.nl", "password": DEMO_PASSWORD,
                                    "csrf_token": csrf_from(page)})
        for path in paths:
            response = client.get(path.format(**demo))
            assert response.status_code == 200, (role, path, response.status_code)
            pages[f"{role}{path.format(**demo)}".replace("/", "_").replace("?", "_")] = response.get_data(as_text=True)
        last = pages[f"{role}{paths[-1].format(**demo)}".replace("/", "_").replace("?", "_")]
        assert client.post("/logout", data={"csrf_token": csrf_from(last)}).status_code == 302
    return pages


def test_every_cell_of_a_stacked_table_is_labelled_with_its_own_column_header(demo, client):
    checked = 0
    for name, html in _pages(client, demo).items():
        for table in _stacked_tables(html):
            for column, label in table["cells"]:
                assert label is not None, f"{name}: a cell in column {column} has no data-label"
                if label:  # "" marks a cell that needs no label (an action button)
                    assert label.replace("\u00ad", "") == table["headers"][column], (name, column, label)
                checked += 1
    assert checked > 200


def test_every_page_passes_the_nu_html_checker(demo, client):
    # Includes the alert queue with several alerts and the notifications with several unread: each has many
    # forms, and once repeated the id "csrf_token" (5 errors on the alerts page).
    pages = _pages(client, demo)
    assert pages["leerplicht_signalen"].count('name="csrf_token"') >= 3
    assert 'id="csrf_token"' not in "".join(pages.values())
    assert_nu_valid(pages)


def test_no_form_field_cuts_what_is_typed_and_every_form_validates_on_the_server(demo, client):
    for name, html in _pages(client, demo).items():
        assert "maxlength" not in html, name
        # A form with a field a browser would check itself says novalidate, so only the app's Dutch message shows.
        for form, body in re.findall(r"(<form\b[^>]*>)(.*?)</form>", html, re.S):
            if re.search(r"\srequired\b", body):
                assert "novalidate" in form, (name, form)


def test_a_too_long_name_is_kept_and_refused_beside_its_field_in_dutch(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    page = client.get("/casussen/nieuw").get_data(as_text=True)
    response = client.post("/casussen/nieuw", data={"csrf_token": csrf_from(page), "first_name": "A" * 130})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="' + "A" * 130 + '"' in html  # nothing cut off
    error = re.search(r'id="first_name-error">(.*?)</div>', html, re.S).group(1)
    assert "langer dan 100 tekens" in error


def test_an_empty_alert_note_gets_a_dutch_message_beside_that_note_and_keeps_the_others_empty(app, auth, client,
                                                                                          clock):
    clock.set_today(date(2026, 12, 1))
    w = factories.world()
    first = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), reference="TZ-EEN")
    second = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 2), reference="TZ-TWEE")
    alerts = [Alert(case_id=c.id, kind="overdue", due_on=date(2026, 9, 2), created_at=datetime(2026, 9, 2, tzinfo=UTC))
              for c in (first, second)]
    db.session.add_all(alerts)
    db.session.commit()
    auth.login("lp1@example.nl")
    page = client.get("/signalen").get_data(as_text=True)
    assert page.count("novalidate") == 2 and "maxlength" not in page

    response = client.post(f"/signalen/{alerts[1].id}/afhandelen", data={"csrf_token": csrf_from(page), "note": " "})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(rf'id="note-{alerts[1].id}-error">(.*?)</div>', html, re.S).group(1)
    assert "Vul een notitie in" in error
    assert f'href="#note-{alerts[1].id}"' in html.split('id="error-summary"')[1]
    assert f'id="note-{alerts[0].id}-error"' not in html
    too_long = "Gebeld. " * 300
    html = client.post(f"/signalen/{alerts[0].id}/afhandelen",
                       data={"csrf_token": csrf_from(page), "note": too_long}).get_data(as_text=True)
    assert "ten hoogste 2000 tekens" in html and too_long.strip() in html  # what was typed is still there
    db.session.refresh(alerts[0])
    assert alerts[0].status == "open"


def test_login_fields_say_what_they_hold_so_browsers_and_password_managers_fill_them_in(app, client):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'<input[^>]*autocomplete="username"[^>]*name="email"|<input[^>]*name="email"[^>]*'
                     r'autocomplete="username"', html)
    assert re.search(r'<input[^>]*autocomplete="current-password"[^>]*name="password"|<input[^>]*name="password"'
                     r'[^>]*autocomplete="current-password"', html)


def test_no_page_repeats_an_id(demo, client):
    """Without the Nu checker too: an id is on one element only (the alerts page once repeated "csrf_token")."""
    for name, html in _pages(client, demo).items():
        ids = re.findall(r'<[a-zA-Z][^>]*?\sid="([^"]+)"', html)
        repeated = sorted({value for value in ids if ids.count(value) > 1})
        assert repeated == [], f"{name}: {repeated}"
