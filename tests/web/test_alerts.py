"""The leerplicht review queue, the alerts API, notifications and the alert state shown to coordinators."""
from __future__ import annotations

from datetime import date

from flask import render_template_string
from sqlalchemy import func, select

from tests import factories
from tests.conftest import csrf_from
from thuiszitters.alerts.models import Alert, Notification
from thuiszitters.audit.models import AuditEvent
from thuiszitters.extensions import db
from thuiszitters.reminders.services import send_due_reminders


def _overdue_world():
    w = factories.world()
    older = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 5, 4), reference="TZ-OUD",
                           first_name="Sara", last_name="Jansen")
    newer = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 7, 20), reference="TZ-NIEUW")
    elsewhere = factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 6, 1), reference="TZ-ZAAN")
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()
    alerts = {a.case_id: a for a in db.session.scalars(select(Alert))}
    return w, alerts[older.id], alerts[newer.id], alerts[elsewhere.id]


def test_the_queue_lists_open_alerts_in_scope_most_overdue_first_and_a_note_is_required(app, auth, client):
    w, older, _newer, elsewhere = _overdue_world()
    auth.login("lp1@example.nl")
    page = client.get("/signalen").get_data(as_text=True)
    assert page.index("TZ-OUD") < page.index("TZ-NIEUW")
    assert "TZ-ZAAN" not in page
    assert "Sara Jansen" in page and "dagen over de termijn" in page

    token = csrf_from(page)
    response = client.post(f"/signalen/{older.id}/afhandelen", data={"csrf_token": token, "note": "  "},
                           follow_redirects=True)
    assert "Vul een notitie in" in response.get_data(as_text=True)
    db.session.refresh(older)
    assert older.status == "open"

    response = client.post(f"/signalen/{older.id}/afhandelen",
                           data={"csrf_token": token, "note": "Huisbezoek gedaan; school benaderd."},
                           follow_redirects=True)
    assert "Het signaal is afgehandeld." in response.get_data(as_text=True)
    db.session.refresh(older)
    assert (older.status, older.acknowledged_by_id, older.note) == (
        "acknowledged", w.leerplicht.id, "Huisbezoek gedaan; school benaderd.")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "alert.acknowledge"))
    assert (event.actor_id, event.case_id) == (w.leerplicht.id, older.case_id)
    assert "Huisbezoek" not in str(event.changes)

    queue = client.get("/signalen").get_data(as_text=True)
    assert "TZ-OUD" not in queue and "TZ-NIEUW" in queue
    history = client.get("/signalen/afgehandeld").get_data(as_text=True)
    assert "TZ-OUD" in history and "Huisbezoek gedaan" in history

    # Out of scope: 404, and nothing changes.
    assert client.post(f"/signalen/{elsewhere.id}/afhandelen",
                       data={"csrf_token": token, "note": "x"}).status_code == 404


def test_only_leerplicht_reviews_alerts_in_the_ui(app, auth, client):
    _overdue_world()
    auth.login("coord1@example.nl")
    assert client.get("/signalen").status_code == 403
    assert client.get("/signalen/afgehandeld").status_code == 403


def test_alerts_api_lists_paginates_and_acknowledges(app, client):
    w, older, newer, elsewhere = _overdue_world()
    lp = {"Authorization": f"Bearer {factories.token(w.leerplicht)}"}
    coord = {"Authorization": f"Bearer {factories.token(w.coordinator)}"}
    insp = {"Authorization": f"Bearer {factories.token(w.inspectie)}"}
    db.session.commit()

    body = client.get("/api/v1/alerts?status=open&pageSize=1", headers=lp).get_json()
    assert (body["page"], body["pageSize"], body["total"]) == (1, 1, 2)
    assert body["items"][0]["id"] == older.id and body["items"][0]["kind"] == "overdue"
    assert body["items"][0]["dueOn"] == older.due_on.isoformat() and body["items"][0]["status"] == "open"
    assert client.get("/api/v1/alerts?page=2&pageSize=1", headers=lp).get_json()["items"][0]["id"] == newer.id

    missing = client.post(f"/api/v1/alerts/{older.id}/acknowledge", json={}, headers=lp)
    assert missing.status_code == 400 and missing.mimetype == "application/problem+json"
    assert missing.get_json()["invalidParams"][0]["name"] == "note"
    assert client.post(f"/api/v1/alerts/{older.id}/acknowledge", json={"note": "ok"},
                       headers=coord).status_code == 403
    assert client.post(f"/api/v1/alerts/{elsewhere.id}/acknowledge", json={"note": "ok"},
                       headers=lp).status_code == 404
    assert client.get("/api/v1/alerts", headers=insp).status_code == 403
    assert client.get("/api/v1/alerts?status=nonsense", headers=lp).status_code == 400

    done = client.post(f"/api/v1/alerts/{older.id}/acknowledge", json={"note": "Gesprek gevoerd."}, headers=lp)
    assert done.status_code == 200
    assert done.get_json()["status"] == "acknowledged" and done.get_json()["note"] == "Gesprek gevoerd."
    assert done.get_json()["acknowledgedBy"]["id"] == w.leerplicht.id
    again = client.post(f"/api/v1/alerts/{older.id}/acknowledge", json={"note": "nogmaals"}, headers=lp)
    assert again.status_code == 409
    handled = client.get("/api/v1/alerts?status=acknowledged", headers=coord).get_json()
    assert [a["id"] for a in handled["items"]] == [older.id]
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "post" in paths["/alerts/{alertId}/acknowledge"] and "get" in paths["/alerts"]


def test_users_see_their_notifications_and_mark_them_read(app, auth, client):
    w, *_ = _overdue_world()
    auth.login("coord1@example.nl")
    page = client.get("/meldingen").get_data(as_text=True)
    assert "TZ-OUD" in page and "TZ-ZAAN" not in page
    assert "Meldingen <span" in client.get("/casussen").get_data(as_text=True)  # unread badge in the menu
    mine = db.session.scalars(select(Notification).where(Notification.user_id == w.coordinator.id)).all()
    client.post(f"/meldingen/{mine[0].id}/gelezen", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert db.session.get(Notification, mine[0].id).read_at is not None
    others = db.session.scalar(select(Notification.id).where(Notification.user_id != w.coordinator.id))
    assert client.post(f"/meldingen/{others}/gelezen", data={"csrf_token": csrf_from(page)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Notification, others).read_at is None  # another user's notification is left alone
    client.post("/meldingen/gelezen", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert all(n.read_at for n in db.session.scalars(select(Notification)
                                                     .where(Notification.user_id == w.coordinator.id)))


def test_the_case_page_include_shows_the_alert_state(app):
    _w, older, newer, _ = _overdue_world()
    with app.test_request_context():
        html = render_template_string('{% include "alerts/_case_alerts.html" %}', case=older.case)
        assert "Open" in html and "wacht op beoordeling" in html
        counts = render_template_string("{{ open_alert_counts(ids) }}", ids=[older.case_id, newer.case_id])
        assert counts == str({older.case_id: 1, newer.case_id: 1})


def test_ten_weeks_without_a_decision_on_an_aanmelding_reaches_the_leerplicht_queue(app, auth, client):
    w = factories.world()
    # Out of school since 1 September: not yet overdue on 23 November (deadline 1 December).
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), reference="TZ-TIJDELIJK")
    factories.step(case, "aanmelding", received_on=date(2026, 9, 7))
    db.session.commit()
    send_due_reminders(date(2026, 11, 16))  # receipt + 10 weeks = 16 November: the school may still decide today
    db.session.commit()
    assert db.session.scalars(select(Alert.kind)).all() == []
    send_due_reminders(date(2026, 11, 17))
    send_due_reminders(date(2026, 11, 23))  # the same state a week later: no second alert
    db.session.commit()
    alert = db.session.scalar(select(Alert))
    assert (alert.kind, alert.due_on, db.session.scalar(select(func.count()).select_from(Alert))) == (
        "temporary_enrolment", date(2026, 11, 17), 1)
    with app.test_request_context():  # what the coordinator's case page says about it
        html = render_template_string('{% include "alerts/_case_alerts.html" %}', case=case)
        assert "Geen besluit op de aanmelding na tien weken" in html and "Terugkeerdoel" not in html

    auth.login("lp1@example.nl")
    queue = client.get("/signalen").get_data(as_text=True)
    assert "TZ-TIJDELIJK" in queue and "recht op tijdelijke inschrijving" in queue
    assert "dagen over de termijn" not in queue  # the case itself is not overdue
    client.post(f"/signalen/{alert.id}/afhandelen",
                data={"csrf_token": csrf_from(queue), "note": "School gebeld: leerling tijdelijk ingeschreven."})
    db.session.refresh(alert)
    assert alert.status == "acknowledged"

    with app.test_request_context():
        send_due_reminders(date(2026, 11, 24))
        assert db.session.scalar(select(func.count()).select_from(Alert)) == 1  # acknowledged stays handled
