"""The plan van aanpak and the meetings in the web UI: the case page's section with overdue actions marked in words,
adding an action, recording an MDO with its agreements in one form, every wrong field beside its field in one round,
a stale edit refused with the other person's change shown, leerplicht marking its own action done, a closed case,
the meeting in the case's stream and in the summary."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import Auth, csrf_from
from thuiszitters.audit.models import AuditEvent
from thuiszitters.casework import plan_services
from thuiszitters.casework.models import Action, Meeting
from thuiszitters.clock import now_utc
from thuiszitters.extensions import db
from thuiszitters.reports.summary import SummaryOptions, summary_for_case

VERSION_RE = re.compile(r'name="version"[^>]*value="(\d*)"')


@pytest.fixture
def w(app, clock):
    clock.set_today(date(2026, 10, 5))
    w = factories.world()
    w.case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), first_name="Noah")
    w.parent = factories.participant(w.case, w.coordinator, role="ouder", name="Fatima el Amrani")
    db.session.commit()
    return w


def _login(client, email: str) -> None:
    assert Auth(client).login(email).status_code == 302


def _form(client, path: str) -> dict[str, str]:
    page = client.get(path).get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page)}
    version = VERSION_RE.search(page)
    if version:
        fields["version"] = version.group(1)
    return fields


def _error(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def _assert_refused_beside(response, messages: dict[str, str]) -> None:
    """A 400 that shows each message beside its field, and says how many points to correct."""
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for field, message in messages.items():
        assert message in _error(html, field), field
    assert f"Verbeter deze {len(messages)} punten" in html


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_case_page_lists_the_plan_with_overdue_actions_marked_in_words(client, w):
    factories.action(w.case, w.coordinator, description="School bellen.", due_on=date(2026, 10, 2))
    factories.action(w.case, w.coordinator, owner=w.parent, description="Formulier tekenen.", due_on=date(2026, 10, 5))
    factories.action(w.case, w.coordinator, owner=w.leerplicht, description="Huisbezoek.", due_on=date(2026, 10, 9))
    db.session.commit()
    _login(client, "coord1@example.nl")
    page = client.get(f"/casussen/{w.case.id}").get_data(as_text=True)
    plan = _text(page[page.index('id="plan"'):page.index("</section>", page.index('id="plan"'))])
    assert "1 actie te laat." in plan
    assert "School bellen. Coord1 02-10-2026 Te laat Open" in plan
    assert "Fatima el Amrani (Ouder of verzorger)" in plan and "05-10-2026 Vandaag" in plan
    assert plan.index("School bellen.") < plan.index("Formulier tekenen.") < plan.index("Huisbezoek.")
    assert "Actie toevoegen" in plan and "Overleg (MDO) vastleggen" in plan


def test_a_coordinator_adds_an_action_and_bad_input_is_named_beside_each_field(client, w):
    _login(client, "coord1@example.nl")
    path = f"/casussen/{w.case.id}/plan/nieuw"
    fields = _form(client, path)
    wrong = client.post(path, data={**fields, "description": "", "owner": f"gebruiker-{w.coordinator2.id}",
                                    "due_on": "01-08-2026"})
    _assert_refused_beside(wrong, {"description": "Beschrijf wat er gedaan moet worden.",
                                   "owner": "kan de casus niet inzien", "due_on": "voor het begin van de casus"})
    assert db.session.scalar(select(Action.id)) is None

    done = client.post(path, data={**fields, "description": "School bellen over plaatsing.",
                                   "owner": f"betrokkene-{w.parent.id}", "due_on": "12-10-2026"})
    assert done.status_code == 302 and done.headers["Location"].endswith("#plan")
    action = db.session.scalar(select(Action))
    assert (action.owner_participant_id, action.owner_user_id, action.due_on) == (w.parent.id, None, date(2026, 10, 12))


def test_an_mdo_with_three_agreements_is_recorded_in_one_form(client, w):
    _login(client, "coord1@example.nl")
    path = f"/casussen/{w.case.id}/overleg/nieuw"
    fields = _form(client, path)
    meeting = {**fields, "held_on": "05-10-2026", "kind": "mdo", "participant_ids": str(w.parent.id),
               "summary": "Proefplaatsing besproken."}
    agreements = {
        "agreements-0-description": "Proefplaatsing regelen.", "agreements-0-owner": f"gebruiker-{w.coordinator.id}",
        "agreements-0-due_on": "12-10-2026",
        "agreements-1-description": "Zonder eigenaar.", "agreements-1-due_on": "12-10-2026",
        "agreements-2-description": "Huisbezoek.", "agreements-2-owner": f"gebruiker-{w.leerplicht.id}",
        "agreements-2-due_on": "01-01-2020",
    }
    wrong = client.post(path, data={**meeting, "held_on": "06-10-2026", **agreements})
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert "in de toekomst" in _error(html, "held_on")
    assert "Kies een eigenaar" in _error(html, "agreements-1-owner")
    assert "voor het begin van de casus" in _error(html, "agreements-2-due_on")
    assert "Verbeter deze 3 punten" in html and "Afspraak 2, eigenaar: Kies een eigenaar" in html
    assert 'value="Proefplaatsing regelen."' in html or "Proefplaatsing regelen.</textarea>" in html  # kept
    assert db.session.scalar(select(Meeting.id)) is None

    agreements |= {"agreements-1-owner": f"betrokkene-{w.parent.id}", "agreements-2-due_on": "07-10-2026"}
    saved = client.post(path, data={**meeting, **agreements})
    assert saved.status_code == 302
    stored = db.session.scalar(select(Meeting))
    assert stored.participant_ids == [w.parent.id] and len(stored.actions) == 3
    assert {a.meeting_id for a in db.session.scalars(select(Action))} == {stored.id}

    page = _text(client.get(f"/casussen/{w.case.id}").get_data(as_text=True))
    assert "Het overleg is vastgelegd, met 3 afspraken." in page
    assert "MDO (multidisciplinair overleg) · 05-10-2026" in page  # in the stream
    assert "Afgesproken in het overleg van 05-10-2026" in page  # on the plan


def test_a_stale_edit_is_refused_with_the_other_persons_change_shown(app, client, w):
    action = factories.action(w.case, w.coordinator, due_on=date(2026, 10, 9))
    db.session.commit()
    _login(client, "coord1@example.nl")
    path = f"/casussen/{w.case.id}/plan/{action.id}"
    fields = _form(client, path)
    # Meanwhile another coordinator of the swv moves the date.
    other = factories.user("coordinator", email="coord3@example.nl", swvs=("PO 27-01",))
    plan_services.update_action(db.session.get(Action, action.id), {"due_on": date(2026, 10, 20)},
                                expected_version=1, actor=other, today=date(2026, 10, 5))
    db.session.commit()
    # The edit form sends every field it shows (the coordinator's also the description and the owner).
    stale = client.post(path, data={**fields, "description": action.description,
                                    "owner": f"gebruiker-{w.coordinator.id}", "status": "gedaan", "done_on": "",
                                    "due_on": "09-10-2026"})
    assert stale.status_code == 409
    html = _text(stale.get_data(as_text=True))
    assert "niet opgeslagen" in html and "Actie gewijzigd Door Coord3" in html
    assert "Uiterlijk op 09-10-2026 20-10-2026" in html
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == "open"


def test_a_coordinator_rewords_an_action_and_hands_it_to_someone_else(client, w):
    action = factories.action(w.case, w.coordinator, description="School bellen.", due_on=date(2026, 10, 9))
    db.session.commit()
    _login(client, "coord1@example.nl")
    path = f"/casussen/{w.case.id}/plan/{action.id}"
    form = client.get(path).get_data(as_text=True)
    assert "School bellen.</textarea>" in form
    assert f'<option selected value="gebruiker-{w.coordinator.id}">' in form  # the current owner is chosen
    fields = _form(client, path)
    wrong = client.post(path, data={**fields, "description": " ", "owner": f"gebruiker-{w.coordinator2.id}",
                                    "status": "gedaan", "done_on": "31-12-2099", "due_on": "09-10-2026"})
    _assert_refused_beside(wrong, {"description": "Beschrijf wat er gedaan moet worden.",
                                   "owner": "kan de casus niet inzien", "done_on": "ligt in de toekomst"})
    saved = client.post(path, data={**fields, "description": "School en ouders bellen.",
                                    "owner": f"betrokkene-{w.parent.id}", "status": "open", "done_on": "",
                                    "due_on": "12-10-2026"})
    assert saved.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Action, action.id)
    assert (stored.description, stored.owner_user_id, stored.owner_participant_id, stored.due_on) == (
        "School en ouders bellen.", None, w.parent.id, date(2026, 10, 12))
    history = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "action.update"))
    assert "School en ouders" not in str(history.changes)  # free text: the trail says that it changed


def test_leerplicht_marks_its_own_action_done_but_may_not_open_anothers(client, w):
    mine = factories.action(w.case, w.coordinator, owner=w.leerplicht, due_on=date(2026, 10, 9))
    theirs = factories.action(w.case, w.coordinator, due_on=date(2026, 10, 9))
    db.session.commit()
    _login(client, "lp1@example.nl")
    page = client.get(f"/casussen/{w.case.id}").get_data(as_text=True)
    assert f"/plan/{mine.id}" in page and f"/plan/{theirs.id}" not in page
    assert "Actie toevoegen" not in page
    assert client.get(f"/casussen/{w.case.id}/plan/{theirs.id}").status_code == 403
    assert client.get(f"/casussen/{w.case.id}/plan/nieuw").status_code == 403
    path = f"/casussen/{w.case.id}/plan/{mine.id}"
    form = client.get(path).get_data(as_text=True)
    assert 'name="due_on"' not in form  # the coordinator moves dates
    done = client.post(path, data={**_form(client, path), "status": "gedaan", "done_on": "04-10-2026"})
    assert done.status_code == 302
    db.session.expire_all()
    assert (db.session.get(Action, mine.id).status, db.session.get(Action, mine.id).done_on) == (
        "gedaan", date(2026, 10, 4))


def test_a_closed_case_takes_no_new_action(client, w):
    w.case.status, w.case.closed_on, w.case.outcome = "closed", date(2026, 10, 2), "maatwerk"
    db.session.commit()
    _login(client, "coord1@example.nl")
    assert "Actie toevoegen" not in client.get(f"/casussen/{w.case.id}").get_data(as_text=True)
    path = f"/casussen/{w.case.id}/plan/nieuw"
    refused = client.post(path, data={**_form(client, path), "description": "Nog iets",
                                      "owner": f"gebruiker-{w.coordinator.id}", "due_on": "09-10-2026"})
    assert refused.status_code == 400
    assert "Deze casus is gesloten: er kunnen geen nieuwe acties bij." in refused.get_data(as_text=True)
    assert db.session.scalar(select(Action.id)) is None


def test_the_summary_shows_the_plan_and_the_meetings_text_only_with_the_journal(w, clock):
    factories.meeting(w.case, w.coordinator, summary="Noah wil naar De Regenboog.", present=(w.parent,),
                      agreements=({"description": "Proefdag regelen.", "owner_user_id": w.coordinator.id,
                                   "due_on": date(2026, 10, 2)},))
    db.session.commit()
    plain = summary_for_case(w.case, generated_by=w.coordinator, today=date(2026, 10, 5), now=now_utc())
    assert [(a.description, a.overdue) for a in plain.plan] == [("Proefdag regelen.", True)]
    assert plain.meetings[0].kind_label.startswith("MDO") and plain.meetings[0].text is None
    assert "Fatima el Amrani (Ouder of verzorger)" in plain.meetings[0].participants
    full = summary_for_case(w.case, generated_by=w.coordinator, today=date(2026, 10, 5), now=now_utc(),
                            options=SummaryOptions(journal=True))
    assert full.meetings[0].text == "Noah wil naar De Regenboog."
