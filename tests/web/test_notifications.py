"""Meldingen (issue 19, item 5): grouped per case with the pupil's name, newest first, read once opened, "alles
gelezen"; a pupil is named only while the case is in the user's scope, and the page is a logged list read."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_from
from thuiszitters.alerts.models import Notification
from thuiszitters.audit.models import AuditEvent
from thuiszitters.extensions import db


def _note(user, case, message: str, day: int, read: bool = False) -> Notification:
    moment = datetime(2026, 11, day, 8, 0, tzinfo=UTC)
    notification = Notification(user_id=user.id, case_id=case.id if case else None, message=message,
                                created_at=moment, read_at=moment if read else None)
    db.session.add(notification)
    db.session.flush()
    return notification


@pytest.fixture
def inbox(app, clock):
    clock.set_today(date(2026, 11, 10))
    w = factories.world()
    older = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1), first_name="Otto",
                           last_name="Ouderdom", reference="TZ-MEL-OUD")
    newer = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 7, 1), first_name="Nina",
                           last_name="Nieuwkoop", reference="TZ-MEL-NIEUW")
    moved = factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 7, 1), first_name="Verra",
                           last_name="Verhuisd", reference="TZ-MEL-WEG")
    me = w.coordinator
    notes = {
        "old1": _note(me, older, "Casus TZ-MEL-OUD is halverwege.", 1, read=True),
        "old2": _note(me, older, "Casus TZ-MEL-OUD staat stil.", 6),
        "new1": _note(me, newer, "Casus TZ-MEL-NIEUW nadert de terugkeerdatum.", 8),
        "moved": _note(me, moved, "Casus TZ-MEL-WEG staat stil.", 3),
        "other": _note(w.coordinator2, moved, "Casus TZ-MEL-WEG: voor iemand anders.", 9),
    }
    db.session.commit()
    w.notes, w.older, w.newer, w.moved = notes, older, newer, moved
    return w


def _groups(html: str) -> list[tuple[str, list[str]]]:
    found = []
    for section in re.findall(r'<section class="notification-group.*?</section>', html, re.S):
        heading = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r"<h2.*?</h2>", section, re.S).group(0)))
        messages = re.findall(r'<span class="notification-text">(?:<a [^>]*>)?([^<]*)', section)
        found.append((heading.strip(), messages))
    return found


def test_notifications_are_grouped_per_case_with_the_pupil_newest_first(inbox, auth, client):
    auth.login("coord1@example.nl")
    html = client.get("/meldingen").get_data(as_text=True)
    assert _groups(html) == [
        ("Nina Nieuwkoop, casus TZ-MEL-NIEUW 1 nieuw", ["Casus TZ-MEL-NIEUW nadert de terugkeerdatum."]),
        ("Otto Ouderdom, casus TZ-MEL-OUD 1 nieuw", ["Casus TZ-MEL-OUD staat stil.",
                                                     "Casus TZ-MEL-OUD is halverwege."]),
        # Another swv's case (say, transferred since): the notification stays, the pupil's name does not show.
        ("Een casus buiten uw overzicht 1 nieuw", ["Casus TZ-MEL-WEG staat stil."]),
    ]
    assert "Verra" not in html and "voor iemand anders" not in html
    assert "3 ongelezen meldingen." in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_case(inbox, auth, client):
    auth.login("coord1@example.nl")
    html = client.get("/meldingen").get_data(as_text=True)
    link = f'/meldingen/{inbox.notes["new1"].id}'
    assert f'href="{link}"' in html
    assert f'href="/meldingen/{inbox.notes["moved"].id}"' not in html  # nothing to open outside the scope
    opened = client.get(link)
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/casussen/{inbox.newer.id}")
    db.session.expire_all()
    assert db.session.get(Notification, inbox.notes["new1"].id).read_at is not None
    assert db.session.get(Notification, inbox.notes["old2"].id).read_at is None  # only the one opened
    assert _groups(client.get("/meldingen").get_data(as_text=True))[0][0] == "Nina Nieuwkoop, casus TZ-MEL-NIEUW"


def test_another_users_notification_is_not_opened(inbox, auth, client):
    auth.login("coord1@example.nl")
    opened = client.get(f'/meldingen/{inbox.notes["other"].id}')
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/meldingen")
    db.session.expire_all()
    assert db.session.get(Notification, inbox.notes["other"].id).read_at is None


def test_alles_gelezen_needs_the_csrf_token_and_marks_every_one_read(inbox, auth, client):
    auth.login("coord1@example.nl")
    page = client.get("/meldingen").get_data(as_text=True)
    assert ">Alles gelezen</button>" in page
    client.post("/meldingen/gelezen", data={})  # no token: refused, nothing changes
    db.session.expire_all()
    mine = select(Notification).where(Notification.user_id == inbox.coordinator.id)
    assert sum(n.read_at is None for n in db.session.scalars(mine)) == 3
    client.post("/meldingen/gelezen", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert all(n.read_at is not None for n in db.session.scalars(mine))
    assert db.session.get(Notification, inbox.notes["other"].id).read_at is None
    after = client.get("/meldingen").get_data(as_text=True)
    assert "Alle meldingen zijn gelezen." in after and ">Alles gelezen</button>" not in after


def test_the_page_logs_the_cases_whose_pupil_it_named(inbox, auth, client):
    auth.login("coord1@example.nl")
    client.get("/meldingen")
    db.session.expire_all()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.list"))
    assert event.changes["listed_on"] == "/meldingen"
    assert event.changes["case_ids"] == [inbox.newer.id, inbox.older.id]  # not the case out of scope
