"""The processing log answers "who looked at this pupil's file?" for the admin."""
from datetime import date

from sqlalchemy import select

from tests import factories
from thuiszitters.audit.models import AuditEvent
from thuiszitters.extensions import db


def test_admin_sees_who_read_a_case(app, auth, client):
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), reference="TZ-2026-00042")
    other = factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 9, 1), reference="TZ-2026-00043")
    w.coordinator.name = "Carla Coördinator"
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get(f"/casussen/{case.id}").status_code == 200
    auth.logout()

    auth.login("admin@example.nl")
    html = client.get("/beheer/verwerkingen?case=TZ-2026-00042").get_data(as_text=True)
    assert "Carla Coördinator" in html and "Casus ingezien" in html
    assert "thuiszitterszorg: casusregie" in html
    assert "Noah" not in html  # the log shows no case content
    # Looking at the log is logged too.
    assert db.session.scalar(select(AuditEvent.case_id).where(AuditEvent.action == "processing_log.read")) == case.id
    html_other = client.get("/beheer/verwerkingen?case=TZ-2026-00043").get_data(as_text=True)
    assert "Carla" not in html_other
    assert other.id


def test_admin_finds_the_cases_of_a_pupil_by_bsn_without_it_appearing_in_a_url(app, auth, client):
    w = factories.world()
    factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), reference="TZ-2026-00050",
                   bsn="111222333")
    db.session.commit()
    auth.login("admin@example.nl")
    token = auth.csrf("/beheer/verwerkingen")
    response = client.post("/beheer/verwerkingen", data={"bsn": "1112.22.333", "csrf_token": token})
    html = response.get_data(as_text=True)
    assert "TZ-2026-00050" in html
    assert "111222333" not in html.split("TZ-2026-00050")[0].split("<ul>")[-1]
    bad = client.post("/beheer/verwerkingen", data={"bsn": "123456789", "csrf_token": token})
    assert bad.status_code == 400 and "elfproef" in bad.get_data(as_text=True)


def test_only_admins_read_the_processing_log(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get("/beheer/verwerkingen").status_code == 403


def test_steps_and_alerts_read_as_dutch_in_the_processing_log(app, auth, client, clock):
    from thuiszitters.cases.services import add_step

    clock.set_today(date(2026, 10, 1))
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), reference="TZ-2026-00060")
    db.session.commit()
    add_step(case, "aanmelding", {"received_on": date(2026, 9, 14)}, expected_version=case.version,
             actor=w.coordinator, today=clock.today())
    db.session.commit()
    auth.login("admin@example.nl")
    html = client.get("/beheer/verwerkingen?case=TZ-2026-00060").get_data(as_text=True)
    assert "Stap vastgelegd: Schriftelijke aanmelding" in html
    assert "Stap: create" not in html and "create" not in html.split("<tbody>")[1]


def test_every_action_written_about_a_case_has_a_dutch_name_in_the_processing_log():
    import re
    from pathlib import Path

    from thuiszitters.reports.processing_log import ACTION_LABELS

    source = "\n".join(path.read_text() for path in Path("thuiszitters").rglob("*.py"))
    actions = set(re.findall(r'(?:record|_audit|record_list_read)\(\s*(?:case, )?"([a-z_]+\.[a-z_.]+)"', source))
    case_actions = {a for a in actions if a.split(".")[0] in {"case", "step", "alert", "processing_log"}}
    assert case_actions and case_actions <= set(ACTION_LABELS), case_actions - set(ACTION_LABELS)
