"""The case workflow in the web UI: register, walk the chain, close, reopen, and every refusal on the form."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import Auth, csrf_from
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.cases.services import CaseInput, add_step, close_case, create_case
from thuiszitters.extensions import db

VERSION_RE = re.compile(r'name="version"[^>]*value="(\d*)"')

NEW_CASE = {
    "first_name": "Sanne", "last_name": "Jansen", "date_of_birth": "12-05-2013", "bsn": "",
    "swv_code": "PO 27-01", "gemeente_code": "GM0363", "school_brin": "", "absence_kind": "absoluut_verzuim",
    "out_of_school_since": "01-09-2026", "note": "",
}


def _world():
    w = factories.world()
    w.school = factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Regenboog")
    db.session.commit()
    return w


def _submit(client, path: str, data: dict, *, form_page: str | None = None):
    """Load the form like a browser (CSRF token and case version from the page), then post it."""
    page = client.get(form_page or path).get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page)}
    version = VERSION_RE.search(page)
    if version:
        fields["version"] = version.group(1)
    fields.update(data)
    return client.post(path, data=fields)


def _errors_of(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def _new_case(w, **overrides) -> Case:
    data = CaseInput(first_name="Noah", last_name="de Vries", date_of_birth=date(2014, 3, 1),
                     gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                     out_of_school_since=date(2026, 9, 1))
    for key, value in overrides.items():
        setattr(data, key, value)
    case = create_case(data, actor=w.coordinator, today=date(2026, 11, 2))
    db.session.commit()
    return case


def _step_count(case_id: int) -> int:
    return db.session.scalar(select(func.count(Step.id)).where(Step.case_id == case_id))


# --- the whole journey --------------------------------------------------------------------------------


def test_coordinator_registers_a_case_walks_the_chain_closes_and_reopens_it(app, auth, client):
    _world()
    auth.login("coord1@example.nl")

    response = _submit(client, "/casussen/nieuw", NEW_CASE)
    assert response.status_code == 302
    case_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/casussen/{case_id}").get_data(as_text=True)
    assert "Sanne Jansen" in page
    assert "01-12-2026" in page  # return goal: three months after the first day at home
    assert "Nog 29 dagen" in page
    assert "Nog niet mogelijk" in page  # the interventieteam
    assert "Zorg dat de ouders hun kind schriftelijk aanmelden" in page  # next action

    steps = [
        ("aanmelding", {"school_brin": "07NU00", "received_on": "07-09-2026", "decision": "afgewezen",
                        "decided_on": "01-10-2026"}),
        ("swv_inzet", {"started_on": "02-10-2026", "action": "arrangement", "description": "Arrangement op maat",
                       "ended_on": "20-10-2026"}),
        ("consulent", {"consulent_type": "onderwijsconsulent", "parental_consent": "y",
                       "requested_on": "21-10-2026", "advice_on": "30-10-2026"}),
        ("interventieteam", {"reported_on": "02-11-2026"}),
    ]
    for kind, data in steps:
        response = _submit(client, f"/casussen/{case_id}/stappen/nieuw/{kind}", data)
        assert response.status_code == 302, (kind, response.get_data(as_text=True))
    page = client.get(f"/casussen/{case_id}").get_data(as_text=True)
    assert page.count("Afgerond</strong>") == 3
    assert "Interventieteam Onderwijs en Zorg" in page and "Loopt</strong>" in page
    assert "De Regenboog (07NU00)" in page
    assert "Beslistermijn school tot en met" in page and "19-10-2026" in page

    response = _submit(client, f"/casussen/{case_id}/sluiten",
                       {"outcome": "maatwerk", "offer_started_on": "02-11-2026", "school_brin": "", "note": ""})
    assert response.status_code == 302
    page = client.get(f"/casussen/{case_id}").get_data(as_text=True)
    assert "Gesloten" in page and "Maatwerk" in page
    assert "Casus heropenen" in page and "/stappen/nieuw" not in page

    response = _submit(client, f"/casussen/{case_id}/heropenen", {"reason": "Leerling zit opnieuw thuis"})
    assert response.status_code == 302
    page = client.get(f"/casussen/{case_id}").get_data(as_text=True)
    case = db.session.get(Case, case_id)
    assert case.status == "open" and len(case.steps) == 4
    timeline = page.split('id="timeline"')[1]
    assert "Casus heropend" in timeline and "Reden: Leerling zit opnieuw thuis" in timeline
    assert timeline.index("Casus heropend") < timeline.index("Casus gesloten") < timeline.index("Casus geregistreerd")
    assert "Stap vastgelegd: Schriftelijke aanmelding" in timeline
    assert "Coord1" in timeline  # the actor's name
    assert "case.read" not in timeline


def test_interventieteam_is_refused_with_the_missing_steps_until_the_earlier_steps_are_done(app, auth, client):
    w = _world()
    case = _new_case(w)
    add_step(case, "aanmelding", {"received_on": date(2026, 9, 7), "decision": "afgewezen",
                                  "decided_on": date(2026, 10, 1)},
             expected_version=case.version, actor=w.coordinator, today=date(2026, 11, 2))
    db.session.commit()
    auth.login("coord1@example.nl")

    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    chain = page.split('id="keten-interventieteam"')[1].split("</li>\n")[0]
    assert "Nog niet mogelijk" in chain
    assert "Inzet samenwerkingsverband" in chain and "Onderwijs(zorg)consulent" in chain
    assert "Schriftelijke aanmelding" not in chain
    assert "stappen/nieuw/interventieteam" not in page  # no link to a form that would be refused

    response = _submit(client, f"/casussen/{case.id}/stappen/nieuw/interventieteam", {"reported_on": "02-11-2026"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "kan pas worden ingeschakeld als alle eerdere stappen zijn doorlopen" in html
    gate = html.split('id="gate"')[1].split("</div>")[0]
    assert "Inzet samenwerkingsverband" in gate and "Onderwijs(zorg)consulent" in gate
    assert _step_count(case.id) == 1

    for kind, values in [
        ("swv_inzet", {"started_on": date(2026, 10, 2), "action": "tlv", "ended_on": date(2026, 10, 20)}),
        ("consulent", {"consulent_type": "onderwijszorgconsulent", "parental_consent": True,
                       "requested_on": date(2026, 10, 21), "closed_on": date(2026, 10, 30)}),
    ]:
        db.session.refresh(case)
        add_step(case, kind, values, expected_version=case.version, actor=w.coordinator, today=date(2026, 11, 2))
        db.session.commit()
    response = _submit(client, f"/casussen/{case.id}/stappen/nieuw/interventieteam", {"reported_on": "02-11-2026"})
    assert response.status_code == 302
    assert _step_count(case.id) == 4


def test_a_step_out_of_order_asks_for_a_reason_beside_the_field(app, auth, client):
    w = _world()
    case = _new_case(w)
    auth.login("coord1@example.nl")
    path = f"/casussen/{case.id}/stappen/nieuw/consulent"
    page = client.get(path).get_data(as_text=True)
    assert 'name="out_of_order_reason"' in page
    assert "er is nog geen schriftelijke aanmelding, inzet samenwerkingsverband" in page

    data = {"consulent_type": "onderwijsconsulent", "parental_consent": "y", "requested_on": "20-10-2026"}
    response = _submit(client, path, data)
    assert response.status_code == 400
    assert "Vul een reden in" in _errors_of(response.get_data(as_text=True), "out_of_order_reason")
    assert _step_count(case.id) == 0

    response = _submit(client, path, {**data, "out_of_order_reason": "School weigert elk gesprek"})
    assert response.status_code == 302
    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert "is vastgelegd zonder" in page and "Reden: School weigert elk gesprek" in page


# --- optimistic locking --------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_showing_the_other_change_and_keeping_what_was_typed(app, auth, client):
    w = _world()
    factories.user("coordinator", email="anna@example.nl", name="Anna Aerts", swvs=("PO 27-01",))
    db.session.commit()
    case = _new_case(w, note="Eerste notitie")
    path = f"/casussen/{case.id}/bewerken"

    browser_a = auth
    browser_b = Auth(app.test_client())
    browser_a.login("anna@example.nl")
    browser_b.login("coord1@example.nl")
    form_a = browser_a.client.get(path).get_data(as_text=True)
    form_b = browser_b.client.get(path).get_data(as_text=True)

    def fields(page: str, **changes) -> dict:
        base = {**NEW_CASE, "first_name": "Noah", "last_name": "de Vries", "date_of_birth": "01-03-2014",
                "note": "", "csrf_token": csrf_from(page), "version": VERSION_RE.search(page).group(1)}
        base.pop("swv_code")
        return {**base, **changes}

    saved = browser_a.client.post(path, data=fields(form_a, absence_kind="relatief_verzuim"))
    assert saved.status_code == 302

    refused = browser_b.client.post(path, data=fields(form_b, first_name="Noa", note="Notitie van B"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Iemand anders heeft deze casus gewijzigd" in html
    conflict = html.split('id="conflict"')[1].split("</div>")[0]
    assert "Casusgegevens gewijzigd" in conflict and "Anna Aerts" in conflict
    assert "Soort verzuim" in conflict and "Langdurig relatief verzuim" in conflict  # A's change and the value now
    assert 'value="Noa"' in html and "Notitie van B</textarea>" in html  # B's typing is kept

    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert stored.absence_kind == "relatief_verzuim"
    assert stored.pupil.first_name == "Noah"
    assert _notes(case.id) == ["Eerste notitie"]  # B's note was not written (a note becomes a journal entry)

    # The re-rendered form carries the new version: B can now save deliberately.
    assert VERSION_RE.search(html).group(1) == str(stored.version)
    again = browser_b.client.post(path, data=fields(html, first_name="Noa", note="Notitie van B",
                                                    absence_kind="relatief_verzuim"))
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).pupil.first_name == "Noa"
    assert sorted(_notes(case.id)) == ["Eerste notitie", "Notitie van B"]


def _notes(case_id: int) -> list[str]:
    from thuiszitters.casework.models import JournalEntry

    return list(db.session.scalars(select(JournalEntry.summary).where(JournalEntry.case_id == case_id)))


def test_a_stale_step_edit_is_refused_too(app, auth, client):
    w = _world()
    case = _new_case(w)
    step = add_step(case, "aanmelding", {"received_on": date(2026, 9, 7)}, expected_version=case.version,
                    actor=w.coordinator, today=date(2026, 11, 2))
    db.session.commit()
    auth.login("coord1@example.nl")
    path = f"/casussen/{case.id}/stappen/{step.id}"
    page = client.get(path).get_data(as_text=True)
    assert 'value="07-09-2026"' in page
    # Someone else closes the case's aanmelding meanwhile (another change bumps the version).
    db.session.refresh(case)
    add_step(case, "swv_inzet", {"started_on": date(2026, 10, 2)}, expected_version=case.version,
             actor=w.coordinator, today=date(2026, 11, 2))
    db.session.commit()
    response = client.post(path, data={"csrf_token": csrf_from(page), "version": VERSION_RE.search(page).group(1),
                                       "received_on": "08-09-2026", "decision": "toegelaten",
                                       "decided_on": "01-10-2026", "school_brin": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Stap vastgelegd: Inzet samenwerkingsverband" in html
    assert 'value="08-09-2026"' in html
    db.session.expire_all()
    assert db.session.get(Step, step.id).received_on == date(2026, 9, 7)


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "message"), [
    ("date_of_birth", "31-02-2013", "Deze datum bestaat niet"),
    ("out_of_school_since", "01-12-2026", "ligt in de toekomst"),
    ("date_of_birth", "01-01-2023", "De leerling is 3 jaar"),
    ("date_of_birth", "01-01-2002", "De leerling is 24 jaar"),
    ("bsn", "123456789", "BSN"),
    ("bsn", "12345", "Een BSN bestaat uit 9 cijfers."),
    ("school_brin", "99ZZ99", "Kies een waarde uit de lijst."),
    ("first_name", "", "Vul de voornaam van de leerling in."),
    ("absence_kind", "", "Kies het soort verzuim."),
])
def test_bad_case_input_gives_a_dutch_message_beside_the_field_and_saves_nothing(app, auth, client, field, value,
                                                                                  message):
    _world()
    auth.login("coord1@example.nl")
    response = _submit(client, "/casussen/nieuw", {**NEW_CASE, field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in _errors_of(html, field)
    assert 'id="error-summary"' in html and f'href="#{field}"' in html
    assert db.session.scalar(select(func.count(Case.id))) == 0
    assert db.session.scalar(select(func.count(Pupil.id))) == 0


def test_the_swv_choice_is_limited_to_the_users_swvs(app, auth, client):
    _world()
    auth.login("coord1@example.nl")
    page = client.get("/casussen/nieuw").get_data(as_text=True)
    assert "PO 27-01" in page and "VO 27-02" not in page
    assert '<option value="GM0479">Zaanstad (GM0479)</option>' in page  # gemeenten from reference data
    response = _submit(client, "/casussen/nieuw", {**NEW_CASE, "swv_code": "VO 27-02"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize(("kind", "data", "field", "message"), [
    ("aanmelding", {"received_on": "07-09-2026", "decision": "toegelaten"}, "decided_on", "Vul de besluitdatum in."),
    ("aanmelding", {"received_on": "07-11-2026"}, "received_on", "ligt in de toekomst"),
    ("aanmelding", {"received_on": "31-09-2026"}, "received_on", "Deze datum bestaat niet"),
    ("aanmelding", {"received_on": "07-09-2026", "school_brin": "99ZZ99"}, "school_brin", "Kies een waarde"),
    ("consulent", {"consulent_type": "onderwijsconsulent", "requested_on": "20-10-2026",
                   "out_of_order_reason": "Spoed"}, "parental_consent", "alleen met toestemming van de ouders"),
    ("geschillencommissie", {"subject": "toelating", "filed_on": "20-10-2026", "verdict": "gegrond",
                             "out_of_order_reason": "Spoed"}, "verdict_on", "Vul de datum van het oordeel in."),
])
def test_bad_step_input_gives_a_dutch_message_beside_the_field_and_saves_nothing(app, auth, client, kind, data, field,
                                                                                 message):
    w = _world()
    case = _new_case(w)
    version = case.version
    auth.login("coord1@example.nl")
    response = _submit(client, f"/casussen/{case.id}/stappen/nieuw/{kind}", data)
    assert response.status_code == 400
    assert message in _errors_of(response.get_data(as_text=True), field)
    assert _step_count(case.id) == 0
    db.session.expire_all()
    assert db.session.get(Case, case.id).version == version


def test_a_step_on_a_closed_case_is_refused(app, auth, client):
    w = _world()
    case = _new_case(w)
    close_case(case, outcome="maatwerk", offer_started_on=date(2026, 11, 1), school_brin=None, note=None,
               expected_version=case.version, actor=w.coordinator, today=date(2026, 11, 2))
    db.session.commit()
    auth.login("coord1@example.nl")
    path = f"/casussen/{case.id}/stappen/nieuw/aanmelding"
    assert "Deze casus is gesloten" in client.get(path).get_data(as_text=True)
    response = _submit(client, path, {"received_on": "07-09-2026"})
    assert response.status_code == 409
    assert "Deze casus is gesloten. Heropen de casus" in response.get_data(as_text=True)
    assert _step_count(case.id) == 0


def test_closing_needs_its_fields(app, auth, client):
    w = _world()
    case = _new_case(w)
    auth.login("coord1@example.nl")
    response = _submit(client, f"/casussen/{case.id}/sluiten", {"outcome": "terug_naar_school",
                                                                 "offer_started_on": "05-11-2026"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ligt in de toekomst" in _errors_of(html, "offer_started_on")
    assert "Vul de school in waar de leerling terugkeert." in _errors_of(html, "school_brin")
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "open"


def test_transfer_to_another_swv_when_the_pupil_moved(app, auth, client):
    w = _world()
    case = _new_case(w)
    auth.login("coord1@example.nl")
    response = _submit(client, f"/casussen/{case.id}/overdragen",
                       {"swv_code": "VO 27-02", "gemeente_code": "GM0479", "reason": "Verhuisd naar Zaanstad"})
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(Case, case.id)
    assert moved.swv.code == "VO 27-02" and moved.gemeente.code == "GM0479"
    assert client.get(f"/casussen/{case.id}").status_code == 404  # now outside this coordinator's scope


def test_a_transfer_sent_after_someone_else_moved_the_case_there_gets_the_stale_page(app, auth, client):
    # Both loaded the transfer form at version 1 and chose the same swv; the second is stale, not "invalid choice".
    w = _world()
    factories.user("coordinator", email="anna@example.nl", name="Anna Aerts", swvs=("PO 27-01", "VO 27-02"))
    factories.user("coordinator", email="bram@example.nl", name="Bram Bos", swvs=("PO 27-01", "VO 27-02"))
    db.session.commit()
    case = _new_case(w)
    path = f"/casussen/{case.id}/overdragen"
    anna, bram = auth, Auth(app.test_client())
    anna.login("anna@example.nl")
    bram.login("bram@example.nl")
    pages = [anna.client.get(path).get_data(as_text=True), bram.client.get(path).get_data(as_text=True)]

    def fields(page: str, who: str) -> dict:
        return {"swv_code": "VO 27-02", "gemeente_code": "", "reason": f"Verhuisd ({who})",
                "csrf_token": csrf_from(page), "version": VERSION_RE.search(page).group(1)}

    assert anna.client.post(path, data=fields(pages[0], "Anna")).status_code == 302
    refused = bram.client.post(path, data=fields(pages[1], "Bram"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Iemand anders heeft deze casus gewijzigd" in html
    assert "Anna Aerts" in html.split('id="conflict"')[1].split("</div>")[0]


def test_editing_the_case_saves_the_changes(app, auth, client):
    w = _world()
    case = _new_case(w)
    auth.login("coord1@example.nl")
    page = client.get(f"/casussen/{case.id}/bewerken").get_data(as_text=True)
    assert 'value="01-03-2014"' in page and 'value="Noah"' in page
    data = {**NEW_CASE, "first_name": "Noah", "last_name": "de Vries", "date_of_birth": "01-03-2014",
            "school_brin": "07NU00", "bsn": "111222333"}
    data.pop("swv_code")
    response = _submit(client, f"/casussen/{case.id}/bewerken", data)
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert stored.school.brin == "07NU00" and stored.pupil.bsn == "111222333"
    timeline = client.get(f"/casussen/{case.id}").get_data(as_text=True).split('id="timeline"')[1]
    assert "Casusgegevens gewijzigd" in timeline and "BSN: van — naar" not in timeline


# --- leerplicht reads only -----------------------------------------------------------------------------


def test_leerplicht_sees_the_case_read_only_and_gets_403_on_every_change(app, auth, client):
    w = _world()
    case = _new_case(w)
    step = add_step(case, "aanmelding", {"received_on": date(2026, 9, 7)}, expected_version=case.version,
                    actor=w.coordinator, today=date(2026, 11, 2))
    db.session.commit()
    version = case.version
    auth.login("lp1@example.nl")
    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert "Noah de Vries" in page
    for text in ("Gegevens bewerken", "Overdragen", "Casus sluiten", "vastleggen", "/bewerken", "/stappen/"):
        assert text not in page
    token = csrf_from(page)
    for path in (f"/casussen/{case.id}/bewerken", f"/casussen/{case.id}/sluiten", f"/casussen/{case.id}/heropenen",
                 f"/casussen/{case.id}/overdragen", f"/casussen/{case.id}/stappen/nieuw/swv_inzet",
                 f"/casussen/{case.id}/stappen/{step.id}", "/casussen/nieuw"):
        assert client.get(path).status_code == 403, path
        response = client.post(path, data={"csrf_token": token, "version": str(version), "first_name": "X",
                                           "reason": "x", "started_on": "01-10-2026"})
        assert response.status_code == 403, path
    db.session.expire_all()
    assert db.session.get(Case, case.id).version == version
    assert _step_count(case.id) == 1


def test_the_case_page_read_is_audited_but_not_in_the_timeline(app, auth, client):
    w = _world()
    case = _new_case(w)
    auth.login("lp1@example.nl")
    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.read")).all()
    assert [(e.case_id, e.actor_id) for e in reads] == [(case.id, w.leerplicht.id)]
    assert "Casus geregistreerd" in page and "Gelezen" not in page


def test_an_edit_without_the_case_version_is_refused_with_a_message(app, auth, client):
    w = _world()
    case = _new_case(w)
    auth.login("coord1@example.nl")
    path = f"/casussen/{case.id}/heropenen"
    token = auth.csrf(f"/casussen/{case.id}/sluiten")
    response = client.post(f"/casussen/{case.id}/sluiten", data={
        "csrf_token": token, "outcome": "maatwerk", "offer_started_on": "01-11-2026"})
    assert response.status_code == 400
    assert "Het formulier mist de versie van de casus" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "open"
    assert client.get(path).status_code == 200


def test_an_overdue_case_says_so_in_words_with_the_days_late(app, auth, client):
    w = _world()
    case = _new_case(w, out_of_school_since=date(2026, 7, 1))  # goal 01-10-2026, today 02-11-2026
    auth.login("coord1@example.nl")
    page = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert "Over de termijn: 32 dagen te laat" in page
    assert "Het terugkeerdoel is niet gehaald" in page  # the warning
    assert "01-10-2026" in page


def test_the_close_form_names_every_wrong_field_in_one_round(app, auth, client):
    # Issue 20: the service's checks (a closing date in the future) used to wait until the form's own passed.
    w = _world()
    case = _new_case(w)
    auth.login("coord1@example.nl")
    response = _submit(client, f"/casussen/{case.id}/sluiten",
                       {"outcome": "", "offer_started_on": "31-02-2026", "closed_on": "31-12-2026"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _errors_of(html, "outcome") and _errors_of(html, "offer_started_on")
    assert "ligt in de toekomst" in _errors_of(html, "closed_on")
    assert html.count('class="utrecht-form-field__error-message') >= 3
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "open"


def test_the_transfer_form_names_every_wrong_field_in_one_round(app, auth, client):
    w = _world()
    case = _new_case(w)
    auth.login("coord1@example.nl")
    response = _submit(client, f"/casussen/{case.id}/overdragen", {"swv_code": "PO 27-01", "reason": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "hoort al bij dit samenwerkingsverband" in _errors_of(html, "swv_code")
    assert _errors_of(html, "reason")
    db.session.expire_all()
    assert db.session.get(Case, case.id).swv.code == "PO 27-01"
