"""List and search reads leave a trace: one audit event per request naming the cases shown, none of their
content, and the processing log finds it from each case it showed."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select, text

from tests import factories
from tests.conftest import csrf_from
from thuiszitters.audit.models import AuditEvent, AuditEventCase
from thuiszitters.audit.services import ACTIVITY_ADMIN, ACTIVITY_CASE_MANAGEMENT, ACTIVITY_LEERPLICHT
from thuiszitters.extensions import db
from thuiszitters.reminders.services import send_due_reminders


def _list_events() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(("case.list", "case.search"))).order_by(AuditEvent.id)))


def _indexed(event: AuditEvent) -> list[int]:
    return sorted(db.session.scalars(select(AuditEventCase.case_id).where(AuditEventCase.event_id == event.id)))


def _cases(w, count: int, **kwargs) -> list:
    return [factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 6, 1 + i), first_name="Fenna",
                           last_name=f"Jansen-{i}", bsn="111222333" if i == 0 else None,
                           reference=f"TZ-LIST-{i:03d}", **kwargs) for i in range(count)]


def _assert_no_personal_data(event: AuditEvent) -> None:
    row = json.dumps({"changes": event.changes, "reason": event.reason, "object": event.object_type})
    for value in ("Fenna", "Jansen", "111222333", "2014-03-01"):
        assert value not in row


def test_the_web_case_list_logs_one_event_per_page_naming_the_cases_shown(app, auth, client):
    w = factories.world()
    cases = _cases(w, 30)
    factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 6, 1), reference="TZ-ELSEWHERE")
    db.session.commit()
    auth.login("coord1@example.nl")

    first = client.get("/casussen")
    second = client.get("/casussen?page=2&status=open")

    assert first.status_code == second.status_code == 200
    events = _list_events()
    assert len(events) == 2, "one event per request, not one per case"
    shown_first = events[0].changes["case_ids"]
    shown_second = events[1].changes["case_ids"]
    assert len(shown_first) == 25 and len(shown_second) == 5
    assert sorted(shown_first + shown_second) == sorted(case.id for case in cases)
    # In the order shown: the page's first row is the first id.
    assert shown_first[0] == cases[0].id
    for event in events:
        assert (event.actor_id, event.processing_activity, event.case_id) == (
            w.coordinator.id, ACTIVITY_CASE_MANAGEMENT, None)
        assert event.changes["listed_on"] == "/casussen"
        assert _indexed(event) == sorted(event.changes["case_ids"])
        _assert_no_personal_data(event)


def test_an_empty_list_logs_nothing(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get("/casussen").status_code == 200
    assert _list_events() == []


def test_the_api_case_list_logs_one_event_per_request(app, client):
    w = factories.world()
    cases = _cases(w, 7)
    token = factories.token(w.coordinator)
    db.session.commit()

    response = client.get("/api/v1/cases?pageSize=5&page=2", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200
    shown = [item["id"] for item in response.get_json()["items"]]
    assert len(shown) == 2
    (event,) = _list_events()
    assert event.changes == {"listed_on": "/api/v1/cases", "case_ids": shown}
    assert _indexed(event) == sorted(shown)
    assert event.actor_id == w.coordinator.id
    assert {case.id for case in cases} >= set(shown)


def _overdue_alerts(w) -> list:
    cases = _cases(w, 3)
    db.session.commit()
    send_due_reminders(date(2026, 11, 2))
    db.session.commit()
    return cases


def test_alert_lists_and_the_leerplicht_dashboard_log_the_pupils_they_show(app, auth, client):
    w = factories.world()
    cases = _overdue_alerts(w)
    token = factories.token(w.leerplicht)
    db.session.commit()
    auth.login("lp1@example.nl")

    queue = client.get("/signalen")
    dashboard = client.get("/dashboard/leerplicht")
    api = client.get("/api/v1/alerts", headers={"Authorization": f"Bearer {token}"})

    assert "Fenna Jansen-0" in queue.get_data(as_text=True)
    assert "Fenna Jansen-0" in dashboard.get_data(as_text=True)
    assert api.status_code == 200
    events = _list_events()
    assert [event.changes["listed_on"] for event in events] == ["/signalen", "/dashboard/leerplicht",
                                                                 "/api/v1/alerts"]
    for event in events:
        assert set(event.changes["case_ids"]) == {case.id for case in cases}
        assert (event.actor_id, event.processing_activity) == (w.leerplicht.id, ACTIVITY_LEERPLICHT)
        _assert_no_personal_data(event)


def test_the_processing_log_shows_who_saw_a_case_in_a_list_and_the_bsn_search_is_logged(app, auth, client):
    w = factories.world()
    cases = _cases(w, 2)
    w.coordinator.name = "Carla Coördinator"
    db.session.commit()
    auth.login("coord1@example.nl")
    client.get("/casussen")
    auth.logout()

    auth.login("admin@example.nl")
    html = client.get("/beheer/verwerkingen?case=TZ-LIST-001&alleen=inzage").get_data(as_text=True)
    assert "Carla Coördinator" in html and "Getoond in een lijst" in html and "/casussen" in html
    assert "Fenna" not in html

    token = csrf_from(client.get("/beheer/verwerkingen").get_data(as_text=True))
    found = client.post("/beheer/verwerkingen", data={"bsn": "111222333", "csrf_token": token})
    assert "TZ-LIST-000" in found.get_data(as_text=True)
    search = _list_events()[-1]
    assert (search.action, search.actor_id, search.processing_activity) == ("case.search", w.admin.id,
                                                                             ACTIVITY_ADMIN)
    assert search.changes["case_ids"] == [cases[0].id]
    _assert_no_personal_data(search)


def test_verify_finds_a_list_index_changed_behind_the_apps_back(app, auth, client, runner):
    w = factories.world()
    cases = _cases(w, 3)
    db.session.commit()
    auth.login("coord1@example.nl")
    client.get("/casussen")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    (event,) = _list_events()

    with db.engine.begin() as conn:  # hide that the first case was shown, as a DBA could
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("DELETE FROM audit_event_case WHERE event_id = :e AND case_id = :c"),
                     {"e": event.id, "c": cases[0].id})

    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"de getoonde casussen bij id {event.id} zijn gewijzigd" in result.output
    assert db.session.scalar(select(func.count()).select_from(AuditEventCase)) == 2
