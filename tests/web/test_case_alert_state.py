"""Coordinators see the leerplicht alert state on their case list and case page."""
from datetime import date

from tests import factories
from thuiszitters.alerts.models import Alert
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db


def test_open_and_acknowledged_alerts_show_on_the_list_and_the_case_page(app, auth, client):
    w = factories.world()
    overdue = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), reference="TZ-TEST-LATE")
    handled = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 2), reference="TZ-TEST-DONE")
    db.session.add(Alert(case_id=overdue.id, kind="overdue", due_on=date(2026, 9, 2), created_at=now_utc()))
    db.session.add(Alert(case_id=handled.id, kind="overdue", due_on=date(2026, 9, 3), created_at=now_utc(),
                         status="acknowledged", acknowledged_by=w.leerplicht, acknowledged_at=now_utc(),
                         note="Gesprek met ouders gepland"))
    db.session.commit()
    auth.login("coord1@example.nl")
    listing = client.get("/casussen").get_data(as_text=True)
    late_row = listing[listing.index("TZ-TEST-LATE"):listing.index("</tr>", listing.index("TZ-TEST-LATE"))]
    assert "1 open" in late_row
    page = client.get(f"/casussen/{overdue.id}").get_data(as_text=True)
    assert "wacht op beoordeling door de leerplichtambtenaar" in page
    page = client.get(f"/casussen/{handled.id}").get_data(as_text=True)
    assert "Afgehandeld" in page and "Gesprek met ouders gepland" in page
