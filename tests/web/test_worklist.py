"""The werkvoorraad ("Mijn werk", issue 19): what each user finds on it, in which order and groups, scope, the
links to where the work is done, the date chooser, the API, and the list read in the audit trail."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from thuiszitters.audit.models import AuditEvent, AuditEventCase
from thuiszitters.extensions import db

TODAY = date(2026, 11, 4)  # a Wednesday


@pytest.fixture
def work(app, clock):
    clock.set_today(TODAY)
    w = factories.world()

    def case(swv, gem, since, name, reference, *, active=True, **kwargs):
        made = factories.case(swv, gem, out_of_school_since=since, first_name=name, last_name="Worklist",
                              reference=reference, **kwargs)
        if active:
            made.last_activity_on = TODAY
        return made

    a = case(w.swv1, w.gem1, date(2026, 8, 10), "Aafke", "TZ-WL-A")  # return deadline 10-11: later
    factories.step(a, "aanmelding", received_on=date(2026, 9, 20))  # decision due 01-11: overdue
    b = case(w.swv1, w.gem1, date(2026, 7, 1), "Bram", "TZ-WL-B")  # deadline 01-10: overdue
    b.last_activity_on = date(2026, 10, 15)  # stale from 29-10
    b_alert = factories.alert(b, due_on=date(2026, 10, 2))
    c = case(w.swv1, w.gem2, date(2026, 10, 1), "Cato", "TZ-WL-C")  # deadline 01-01-2027: beyond a week
    factories.step(c, "geschillencommissie", subject="toelating", filed_on=date(2026, 7, 1), verdict="gegrond",
                   verdict_on=date(2026, 10, 4))  # follow-up due Sunday 08-11: this week
    c_alert = factories.alert(c, due_on=date(2026, 11, 3), kind="temporary_enrolment")
    f = case(w.swv1, w.gem1, date(2026, 8, 4), "Fenne", "TZ-WL-F")  # deadline today
    d = case(w.swv2, w.gem1, date(2026, 7, 1), "Dirk", "TZ-WL-D")  # another swv, the leerplicht's gemeente
    factories.step(d, "aanmelding", received_on=date(2026, 9, 1))
    d_alert = factories.alert(d, due_on=date(2026, 10, 2))
    e = case(w.swv1, w.gem1, date(2026, 7, 1), "Eva", "TZ-WL-E", status="closed")  # closed: nothing to do
    factories.step(e, "aanmelding", received_on=date(2026, 9, 1))
    factories.alert(e, due_on=date(2026, 10, 2))  # still open in the leerplicht's queue, but the case is closed
    factories.alert(a, due_on=date(2026, 11, 1), status="acknowledged", note="Gebeld.")  # handled: not shown
    tokens = {name: factories.token(getattr(w, name)) for name in ("coordinator", "leerplicht", "inspectie",
                                                                    "admin")}
    db.session.commit()
    w.cases = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
    w.alerts = {"b": b_alert, "c": c_alert, "d": d_alert}
    w.tokens = tokens
    return w


def _api(client, work, who="coordinator", query=""):
    return client.get(f"/api/v1/worklist{query}", headers={"Authorization": f"Bearer {work.tokens[who]}"})


def _rows(body) -> list[tuple[str, str, str, str, bool]]:
    return [(i["reference"], i["kind"], i["title"], i["dueOn"], i["overdue"]) for i in body["items"]]


def test_a_coordinator_gets_the_terms_alerts_and_stale_cases_of_its_swv_overdue_first(work, client):
    response = _api(client, work)
    assert response.status_code == 200
    assert _rows(response.get_json()) == [
        ("TZ-WL-B", "term", "Terugkeerdatum: uiterlijk dan een passend aanbod", "2026-10-01", True),
        ("TZ-WL-B", "alert", "Terugkeerdoel niet gehaald", "2026-10-02", True),
        ("TZ-WL-B", "stale", "Al twee weken geen activiteit", "2026-10-29", True),
        ("TZ-WL-A", "term", "Besluit van de school op de aanmelding", "2026-11-01", True),
        ("TZ-WL-C", "alert", "Geen besluit op de aanmelding na tien weken: recht op tijdelijke inschrijving",
         "2026-11-03", True),
        ("TZ-WL-F", "term", "Terugkeerdatum: uiterlijk dan een passend aanbod", "2026-11-04", False),
        ("TZ-WL-C", "term", "Reactie van het schoolbestuur op het oordeel (praktijknorm)", "2026-11-08", False),
        ("TZ-WL-A", "term", "Terugkeerdatum: uiterlijk dan een passend aanbod", "2026-11-10", False),
    ]
    first = response.get_json()["items"][0]
    assert first == {"caseId": work.cases["b"].id, "reference": "TZ-WL-B", "pupilName": "Bram Worklist",
                     "kind": "term", "title": "Terugkeerdatum: uiterlijk dan een passend aanbod",
                     "dueOn": "2026-10-01", "overdue": True}


def test_until_reaches_further_and_is_checked(work, client):
    further = _rows(_api(client, work, query="?until=2027-01-01").get_json())
    assert further[-1][:2] == ("TZ-WL-C", "term") and further[-1][3] == "2027-01-01"
    for bad, code in (("2026-13-01", "invalid_date"), ("4-11-2026", "invalid_date"), ("2026-11-03", "before_today"),
                      ("2027-11-06", "too_far_ahead"), ("", "invalid_date")):
        refused = _api(client, work, query=f"?until={bad}")
        assert refused.status_code == 400, bad
        assert refused.mimetype == "application/problem+json"
        assert [(p["name"], p["code"]) for p in refused.get_json()["invalidParams"]] == [("until", code)]


def test_another_swvs_case_never_appears(work, client, auth):
    references = {row[0] for row in _rows(_api(client, work, query="?until=2027-11-04").get_json())}
    assert "TZ-WL-D" not in references and "TZ-WL-E" not in references
    auth.login("coord1@example.nl")
    html = client.get("/mijn-werk?tot=04-11-2027").get_data(as_text=True)
    assert "TZ-WL-B" in html and "TZ-WL-D" not in html and "Dirk" not in html


def test_a_leerplicht_user_gets_only_the_open_alerts_of_its_gemeente(work, client):
    body = _api(client, work, who="leerplicht", query="?until=2027-11-04").get_json()
    # B and D live in its gemeente (D in another swv); C's alert is in another gemeente; no terms, no stale.
    # E's alert is open too, but its case closed: no work on the case, it stays in the queue (/signalen).
    assert _rows(body) == [
        ("TZ-WL-B", "alert", "Terugkeerdoel niet gehaald", "2026-10-02", True),
        ("TZ-WL-D", "alert", "Terugkeerdoel niet gehaald", "2026-10-02", True),
    ]


@pytest.mark.parametrize("who", ["inspectie", "admin"])
def test_roles_without_a_worklist_are_refused(work, client, who):
    response = _api(client, work, who=who)
    assert response.status_code == 403 and response.mimetype == "application/problem+json"


def _groups(html: str) -> list[tuple[str, list[str]]]:
    found = []
    for section in re.findall(r'<section class="worklist-group.*?</section>', html, re.S):
        heading = re.search(r"<h2[^>]*>([^<]*)", section).group(1).strip()
        found.append((heading, re.findall(r"casus (TZ-WL-\w+)", section)))
    return found


def test_the_page_groups_the_work_and_names_pupil_and_case(work, auth, client):
    auth.login("coord1@example.nl")
    start = client.get("/")
    assert start.headers["Location"].endswith("/mijn-werk")  # the coordinator's start page
    html = client.get("/mijn-werk").get_data(as_text=True)
    assert _groups(html) == [
        ("Te laat", ["TZ-WL-B", "TZ-WL-B", "TZ-WL-B", "TZ-WL-A", "TZ-WL-C"]),
        ("Vandaag", ["TZ-WL-F"]),
        ("Deze week", ["TZ-WL-C"]),
        ("Later", ["TZ-WL-A"]),
    ]
    assert "Bram Worklist, casus TZ-WL-B" in html
    assert 'value="11-11-2026"' in html  # the chooser shows the default: today + 7 days
    b, c = work.cases["b"], work.cases["c"]
    # Each item links to where the work is done.
    assert f'href="/casussen/{b.id}#deadlines"' in html
    assert f'href="/casussen/{b.id}#case-alerts-title"' in html  # a coordinator follows the alert on the case
    assert f'href="/casussen/{b.id}/journaal/nieuw"' in html  # a stale case needs an entry in its journal
    assert f'href="/casussen/{c.id}#keten-geschillencommissie"' in html
    # ... and the case page has those places.
    b_page = client.get(f"/casussen/{b.id}").get_data(as_text=True)
    assert 'id="deadlines"' in b_page and 'id="case-alerts-title"' in b_page
    assert 'id="keten-geschillencommissie"' in client.get(f"/casussen/{c.id}").get_data(as_text=True)
    assert client.get(f"/casussen/{b.id}/journaal/nieuw").status_code == 200


def test_the_page_with_a_chosen_day_and_a_refused_one(work, auth, client):
    auth.login("coord1@example.nl")
    html = client.get("/mijn-werk?tot=04-11-2026").get_data(as_text=True)
    assert [heading for heading, _ in _groups(html)] == ["Te laat", "Vandaag"]
    assert "6 taken tot en met 4 november 2026" in html
    refused = client.get("/mijn-werk?tot=31-02-2026")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Deze datum bestaat niet" in text and 'aria-invalid="true"' in text
    past = client.get("/mijn-werk?tot=01-11-2026")
    assert past.status_code == 400 and "Kies vandaag (04-11-2026) of een latere datum." in past.get_data(as_text=True)


def test_a_leerplicht_user_starts_on_its_work_and_is_sent_to_the_alert_queue(work, auth, client):
    auth.login("lp1@example.nl")
    assert client.get("/").headers["Location"].endswith("/mijn-werk")
    html = client.get("/mijn-werk").get_data(as_text=True)
    assert _groups(html) == [("Te laat", ["TZ-WL-B", "TZ-WL-D"])]
    assert "TZ-WL-E" in client.get("/signalen").get_data(as_text=True)  # the closed case's alert: in the queue
    link = f'/signalen/{work.alerts["d"].id}'
    assert f'href="{link}"' in html
    alert_page = client.get(link).get_data(as_text=True)  # the alert with its acknowledgement form
    assert "Dirk Worklist" in alert_page and f'action="{link}/afhandelen"' in alert_page
    assert "TZ-WL-B" not in alert_page
    assert client.get(f'/signalen/{work.alerts["c"].id}').status_code == 404  # another gemeente's


def test_the_page_and_the_api_log_the_cases_they_showed(work, auth, client):
    auth.login("coord1@example.nl")
    client.get("/mijn-werk")
    _api(client, work, who="leerplicht")
    db.session.expire_all()
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.list")
                                      .order_by(AuditEvent.id)))
    assert [e.changes["listed_on"] for e in events] == ["/mijn-werk", "/api/v1/worklist"]
    cases = work.cases
    assert events[0].changes["case_ids"] == [cases[k].id for k in ("b", "a", "c", "f")]
    assert events[1].changes["case_ids"] == [cases["b"].id, cases["d"].id]
    assert events[1].processing_activity.startswith("leerplicht")
    indexed = sorted(db.session.scalars(select(AuditEventCase.case_id).where(AuditEventCase.event_id == events[0].id)))
    assert indexed == sorted(cases[k].id for k in ("a", "b", "c", "f"))
    assert "Worklist" not in str(events[0].changes)  # ids only, no names


def test_roles_without_a_worklist_get_403_on_the_page(work, auth, client):
    auth.login("insp@example.nl")
    assert client.get("/mijn-werk").status_code == 403


def test_a_long_worklist_is_paged_and_only_the_shown_cases_are_logged(work, auth, client):
    many = [factories.case(work.swv1, work.gem1, out_of_school_since=date(2026, 10, 1), first_name="Stil",
                           last_name=f"Staand{i:02d}", reference=f"TZ-WL-S{i:02d}") for i in range(50)]
    for case in many:
        case.last_activity_on = date(2026, 10, 1)  # stale since 15-10: overdue, after B's and before A's items
    db.session.commit()
    auth.login("coord1@example.nl")
    first = client.get("/mijn-werk?tot=04-11-2026").get_data(as_text=True)
    assert "56 taken tot en met 4 november 2026, wat te laat is eerst; pagina 1 van 2." in first
    assert "Te laat <span class=\"count\">(55)</span>" in first  # the whole group's size on every page
    assert 'href="/mijn-werk?page=2&amp;tot=04-11-2026"' in first  # the chosen day goes along
    second = client.get("/mijn-werk?page=2&tot=04-11-2026").get_data(as_text=True)
    # Page 1: B's deadline and alert, then 48 of the 50 stale cases (stale since 15-10).
    assert _groups(second) == [("Te laat", ["TZ-WL-S48", "TZ-WL-S49", "TZ-WL-B", "TZ-WL-A", "TZ-WL-C"]),
                               ("Vandaag", ["TZ-WL-F"])]
    db.session.expire_all()
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.list")
                                      .order_by(AuditEvent.id)))
    assert events[0].changes["case_ids"] == [work.cases["b"].id, *(case.id for case in many[:48])]
    assert events[1].changes["case_ids"] == [many[48].id, many[49].id, *(work.cases[k].id for k in "bacf")]


def test_the_plans_actions_are_on_the_werkvoorraad_of_whoever_does_them(work, client):
    # Issue 19: a coordinator sees its own actions and those owned by someone of the network (whom it follows up);
    # a leerplicht user only its own; nobody another user's action.
    coordinator, leerplicht = work.coordinator, work.leerplicht
    a, d = work.cases["a"], work.cases["d"]
    parent = factories.participant(a, coordinator, role="ouder", name="Moeder Worklist")
    factories.action(a, coordinator, description="School bellen over de plaatsing", due_on=date(2026, 11, 3))
    factories.action(a, coordinator, description="Ouders sturen het OPP", owner=parent, due_on=date(2026, 11, 6))
    factories.action(a, coordinator, description="Huisbezoek afleggen", owner=leerplicht, due_on=date(2026, 11, 5))
    other = factories.user("coordinator", email="tweede@example.nl", name="Tweede Coördinator", swvs=("PO 27-01",))
    factories.action(a, coordinator, description="Van een collega", owner=other, due_on=date(2026, 11, 5))
    factories.action(d, work.coordinator2, description="Ander swv", due_on=date(2026, 11, 5))
    db.session.commit()

    mine = [row for row in _rows(_api(client, work).get_json()) if row[1] == "action"]
    assert mine == [("TZ-WL-A", "action", "School bellen over de plaatsing", "2026-11-03", True),
                    ("TZ-WL-A", "action", "Ouders sturen het OPP", "2026-11-06", False)]
    theirs = [row for row in _rows(_api(client, work, who="leerplicht").get_json()) if row[1] == "action"]
    assert theirs == [("TZ-WL-A", "action", "Huisbezoek afleggen", "2026-11-05", False)]
    item = next(i for i in _api(client, work, who="leerplicht").get_json()["items"] if i["kind"] == "action")
    assert item["caseId"] == a.id


def test_an_action_on_the_page_links_to_where_it_is_marked_done(work, auth, client):
    action = factories.action(work.cases["a"], work.coordinator, description="Huisbezoek afleggen",
                              owner=work.leerplicht, due_on=date(2026, 11, 5))
    db.session.commit()
    auth.login("lp1@example.nl")
    page = client.get("/mijn-werk").get_data(as_text=True)
    href = f'/casussen/{work.cases["a"].id}/plan/{action.id}'
    assert href in page and "Huisbezoek afleggen" in page
    assert client.get(href).status_code == 200  # the leerplicht user may open its own action to mark it done


def test_the_api_pages_the_worklist_like_every_collection_and_logs_only_the_page(work, client):
    everything = _api(client, work).get_json()
    assert (everything["page"], everything["pageSize"], everything["total"]) == (1, 50, 8)
    second = _api(client, work, query="?pageSize=3&page=2").get_json()
    assert (second["page"], second["pageSize"], second["total"]) == (2, 3, 8)
    assert _rows(second) == _rows(everything)[3:6]
    db.session.expire_all()
    last = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.list")
                              .order_by(AuditEvent.id.desc())).first()
    assert last.changes["case_ids"] == list(dict.fromkeys(i["caseId"] for i in second["items"]))
    refused = _api(client, work, query="?pageSize=500&until=gisteren")
    assert refused.status_code == 400
    assert sorted(p["name"] for p in refused.get_json()["invalidParams"]) == ["pageSize", "until"]
