"""Dashboards: the numbers respect scope, the query count does not grow with the data, charts have tables."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests import factories
from tests.helpers import counted_queries
from thuiszitters.alerts.models import Alert
from thuiszitters.extensions import db

TODAY = date(2026, 11, 2)


def _add_cases(w, count: int, *, start: int = 0) -> None:
    """A mix of open, overdue and closed cases with steps, in both swv's and gemeenten."""
    for index in range(start, start + count):
        own = index % 3 != 2
        since = TODAY - timedelta(days=7 + (index * 37) % 400)
        item = factories.case(w.swv1 if own else w.swv2, w.gem1 if own else w.gem2, out_of_school_since=since,
                              first_name="Zebedeus", last_name=f"Quackenbush{index}")
        factories.step(item, "aanmelding", received_on=since + timedelta(days=3),
                       created_at=datetime(2026, 1, 1, tzinfo=UTC))
        item.stage = "aanmelding"
        if index % 4 == 0 and since + timedelta(days=60) <= TODAY:
            item.status, item.outcome = "closed", "terug_naar_school"
            item.offer_started_on = since + timedelta(days=60)
            item.closed_on = item.offer_started_on
        elif item.return_deadline < TODAY:
            db.session.add(Alert(case_id=item.id, kind="overdue", due_on=item.return_deadline + timedelta(days=1),
                                 created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.session.commit()


def _figure(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>([^<]*)</dd>", html)
    assert match, f"no key figure {label!r}"
    return match.group(1)


@pytest.fixture
def w(app, clock):
    clock.set_today(TODAY)
    world = factories.world()
    db.session.commit()
    return world


@pytest.mark.parametrize(("email", "path"), [
    ("coord1@example.nl", "/dashboard"),
    ("lp1@example.nl", "/dashboard/leerplicht"),
    ("insp@example.nl", "/dashboard/inspectie"),
])
def test_dashboards_issue_the_same_number_of_queries_for_5_and_50_cases(w, auth, client, email, path):
    auth.login(email)
    _add_cases(w, 5)
    client.get(path)  # warm up: the first request may load extra state
    with counted_queries() as few:
        assert client.get(path).status_code == 200
    _add_cases(w, 45, start=5)
    with counted_queries() as many:
        assert client.get(path).status_code == 200
    assert len(few) == len(many), (few, many)
    assert len(many) <= 12


def test_coordinator_counts_only_the_cases_of_its_own_swv(w, auth, client):
    for _ in range(3):
        factories.case(w.swv1, w.gem1, out_of_school_since=TODAY - timedelta(days=10))
    for _ in range(7):
        factories.case(w.swv2, w.gem2, out_of_school_since=TODAY - timedelta(days=10))
    # Overdue: started more than three months ago and still open.
    factories.case(w.swv1, w.gem1, out_of_school_since=TODAY - timedelta(days=120))
    db.session.commit()
    auth.login("coord1@example.nl")
    html = client.get("/dashboard").get_data(as_text=True)
    assert _figure(html, "Open casussen") == "4"
    assert _figure(html, "Over de terugkeerdatum") == "1"


def test_start_page_sends_coordinators_and_leerplicht_to_their_werkvoorraad(w, auth, client):
    # Issue 19 made the werkvoorraad their start page (it was their dashboard); the menu still has the dashboard.
    auth.login("coord1@example.nl")
    assert client.get("/").headers["Location"].endswith("/mijn-werk")
    assert 'href="/dashboard"' in client.get("/mijn-werk").get_data(as_text=True)
    auth.logout()
    auth.login("lp1@example.nl")
    assert client.get("/").headers["Location"].endswith("/mijn-werk")
    assert 'href="/dashboard/leerplicht"' in client.get("/mijn-werk").get_data(as_text=True)


@pytest.mark.parametrize(("email", "path"), [
    ("coord1@example.nl", "/dashboard/inspectie"),
    ("coord1@example.nl", "/dashboard/leerplicht"),
    ("lp1@example.nl", "/dashboard"),
    ("insp@example.nl", "/dashboard"),
    ("insp@example.nl", "/dashboard/leerplicht"),
])
def test_other_roles_get_403(w, auth, client, email, path):
    auth.login(email)
    assert client.get(path).status_code == 403


def test_dashboard_requires_login(w, client):
    response = client.get("/dashboard/inspectie")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_inspectie_sees_numbers_per_swv_and_no_personal_data(w, auth, client):
    _add_cases(w, 12)
    auth.login("insp@example.nl")
    html = client.get("/dashboard/inspectie").get_data(as_text=True)
    assert "PO 27-01" in html and "VO 27-02" in html
    assert "Zebedeus" not in html and "Quackenbush" not in html
    assert "TZ-TEST" not in html  # no case references either
    assert _figure(html, "Open casussen") != "0"


def test_leerplicht_sees_overdue_cases_and_time_since_acknowledgement(w, auth, client):
    never = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 5, 1), first_name="Nooit")
    seen = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), first_name="Gezien")
    factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 5, 1), first_name="Elders")
    db.session.add_all([
        Alert(case_id=never.id, kind="overdue", due_on=date(2026, 8, 2), created_at=datetime(2026, 8, 2, tzinfo=UTC)),
        Alert(case_id=seen.id, kind="overdue", due_on=date(2026, 9, 2), created_at=datetime(2026, 9, 2, tzinfo=UTC),
              status="acknowledged", acknowledged_at=datetime(2026, 10, 23, 9, 0, tzinfo=UTC), note="Gebeld."),
    ])
    db.session.commit()
    auth.login("lp1@example.nl")
    html = client.get("/dashboard/leerplicht").get_data(as_text=True)
    assert "Nooit" in html and "Gezien" in html and "Elders" not in html
    assert "10 dagen geleden" in html
    assert "nog nooit" in html
    assert _figure(html, "Onbevestigde signalen") == "1"


@pytest.mark.parametrize(("email", "path"), [
    ("coord1@example.nl", "/dashboard"),
    ("lp1@example.nl", "/dashboard/leerplicht"),
    ("insp@example.nl", "/dashboard/inspectie"),
])
def test_every_chart_is_named_and_has_a_table_with_its_numbers(w, auth, client, email, path):
    _add_cases(w, 20)
    auth.login(email)
    html = client.get(path).get_data(as_text=True)
    figures = re.findall(r"<figure.*?</figure>", html, re.S)
    assert figures
    for figure in figures:
        svg = re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', figure)
        assert svg, "chart without role=img and a name"
        for ref in svg.group(1).split():
            assert f'id="{ref}"' in figure
        assert "<table" in figure and "<th scope=\"row\">" in figure
        assert "style=" not in figure  # the CSP forbids inline styles


def test_the_running_month_is_marked_as_running_in_the_chart_and_its_table(w, auth, client):
    _add_cases(w, 20)
    auth.login("coord1@example.nl")
    html = client.get("/dashboard").get_data(as_text=True)
    figure = re.search(r'<figure.*?id="maanden-desc".*?</figure>', html, re.S).group(0)
    assert "November 2026 loopt nog: geteld tot en met 2 november 2026." in figure
    assert "<th scope=\"row\">nov 2026 (lopend, tot en met 2 november 2026)</th>" in figure
    assert "<th scope=\"row\">okt 2026</th>" in figure  # a finished month is just its name
    assert "chart-running" in figure and ">lopend<" in figure


@pytest.mark.parametrize(("acknowledged", "shown"), [
    (datetime(2026, 11, 2, 8, 0, tzinfo=UTC), "vandaag"),
    (datetime(2026, 11, 1, 8, 0, tzinfo=UTC), "1 dag geleden"),
])
def test_an_acknowledgement_of_today_reads_vandaag_not_0_dagen_geleden(w, auth, client, acknowledged, shown):
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1))
    db.session.add(Alert(case_id=case.id, kind="overdue", due_on=date(2026, 9, 2),
                         created_at=datetime(2026, 9, 2, tzinfo=UTC), status="acknowledged",
                         acknowledged_at=acknowledged, note="Gebeld."))
    db.session.commit()
    auth.login("lp1@example.nl")
    html = client.get("/dashboard/leerplicht").get_data(as_text=True)
    cell = re.search(r'<td data-label="Laatst bevestigd">([^<]*)</td>', html).group(1)
    assert cell == shown
    assert "0 dagen geleden" not in html
