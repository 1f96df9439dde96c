"""The case page leads with the pupil, the status and the next thing to do; a closed case reads as closed; each
chain step says what it still needs; the timeline names schools and gemeenten. Today is 02-11-2026."""
from __future__ import annotations

import re
from datetime import date

from tests import factories
from thuiszitters.cases.services import CaseInput, add_step, close_case, create_case
from thuiszitters.escalation import spec
from thuiszitters.escalation.gate import still_needed
from thuiszitters.extensions import db

TODAY = date(2026, 11, 2)


def _world():
    w = factories.world()
    w.school = factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Regenboog")
    db.session.commit()
    return w


def _case(w, **overrides):
    data = CaseInput(first_name="Noah", last_name="de Vries", date_of_birth=date(2014, 3, 1),
                     gemeente_code="GM0363", swv_code="PO 27-01", absence_kind="absoluut_verzuim",
                     out_of_school_since=date(2026, 9, 1), school_brin="07NU00")
    for key, value in overrides.items():
        setattr(data, key, value)
    case = create_case(data, actor=w.coordinator, today=TODAY)
    db.session.commit()
    return case


def _primary(html: str) -> str:
    match = re.search(r'<a class="[^"]*primary-action[^"]*" href="([^"]*)">([^<]*)</a>', html)
    assert match, "no primary button"
    return f"{match.group(2)} -> {match.group(1)}"


def _chain_item(html: str, kind: str) -> str:
    return html.split(f'id="keten-{kind}"')[1].split('<li class="chain-step')[0]


def test_the_page_leads_with_the_pupils_name_the_status_and_the_next_step_as_primary_button(app, auth, client):
    w = _world()
    case = _case(w)
    auth.login("coord1@example.nl")
    html = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert re.search(r"<h1>\s*Noah de Vries\s*</h1>", html)
    lead = html.split("</h1>")[1].split("<h2")[0]
    assert case.reference in lead and "Open" in lead
    # The next action comes before the pupil's details and the chain, and its button is the next step.
    assert html.index('id="next-action"') < html.index('id="pupil"') < html.index('id="keten"')
    assert _primary(html) == f"Schriftelijke aanmelding vastleggen -> /casussen/{case.id}/stappen/nieuw/aanmelding"
    assert "primary-action" not in html.split("Casus sluiten")[0].rsplit("<a", 1)[1]  # closing is secondary

    # Received 20-10: the school's decision term runs until December, so the aanmelding still runs.
    step = add_step(case, "aanmelding", {"received_on": date(2026, 10, 20)}, expected_version=case.version,
                    actor=w.coordinator, today=TODAY)
    db.session.commit()
    html = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    assert _primary(html) == f"Schriftelijke aanmelding bijwerken -> /casussen/{case.id}/stappen/{step.id}"


def test_each_chain_step_says_what_is_still_needed_from_the_spec(app, auth, client):
    w = _world()
    case = _case(w)
    add_step(case, "aanmelding", {"received_on": date(2026, 9, 7), "decision": "afgewezen",
                                  "decided_on": date(2026, 10, 1)}, expected_version=case.version,
             actor=w.coordinator, today=TODAY)
    add_step(case, "swv_inzet", {"started_on": date(2026, 10, 2)}, expected_version=case.version,
             actor=w.coordinator, today=TODAY)
    db.session.commit()
    auth.login("coord1@example.nl")
    html = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    swv = _chain_item(html, "swv_inzet")
    assert "Nog vast te leggen om af te ronden: actie van het samenwerkingsverband en einddatum." in swv
    consulent = _chain_item(html, "consulent")
    assert "Afgerond met: adviesdatum of datum afsluiting." in consulent
    # The needs come from the spec's Done, not from a list of their own.
    assert still_needed("consulent") == tuple(
        [" of ".join(spec.KIND["consulent"].get(n).label if i == 0 else spec.KIND["consulent"].get(n).label.lower()
                     for i, n in enumerate(spec.KIND["consulent"].done.on))])
    interventieteam = _chain_item(html, "interventieteam")
    assert interventieteam.count("Nog niet mogelijk") == 1
    assert "Inzet samenwerkingsverband</a>: loopt nog; nodig: actie van het samenwerkingsverband en einddatum" \
        in interventieteam
    assert "Onderwijs(zorg)consulent</a>: nog niet gestart; nodig: adviesdatum of datum afsluiting" in interventieteam


def test_a_closed_case_reads_as_closed(app, auth, client):
    w = _world()
    case = _case(w)
    add_step(case, "aanmelding", {"received_on": date(2026, 10, 20)}, expected_version=case.version,
             actor=w.coordinator, today=TODAY)
    close_case(case, outcome="maatwerk", offer_started_on=date(2026, 10, 20), school_brin=None, note=None,
               expected_version=case.version, actor=w.coordinator, today=TODAY)
    db.session.commit()
    auth.login("coord1@example.nl")
    html = client.get(f"/casussen/{case.id}").get_data(as_text=True)
    chain = html.split('id="keten"')[1].split("</ol>")[0]
    assert "Loopt" not in chain and "loopt" not in chain
    assert "Nog niet mogelijk" not in chain and "state-blocked" not in chain
    assert "Niet afgerond" in _chain_item(html, "aanmelding")
    assert "Niet doorlopen" in _chain_item(html, "consulent")
    assert _primary(html) == f"Casus heropenen -> /casussen/{case.id}/heropenen"
    assert "Casus sluiten" not in html


def test_the_timeline_names_schools_and_gemeenten_and_a_new_case_lists_no_changed_personal_data(app, auth, client):
    w = _world()
    case = _case(w)
    auth.login("coord1@example.nl")
    form = client.get(f"/casussen/{case.id}/bewerken").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post(f"/casussen/{case.id}/bewerken", data={
        "csrf_token": token, "version": str(case.version), "first_name": "Noah", "last_name": "de Vries",
        "date_of_birth": "01-03-2014", "bsn": "", "gemeente_code": "GM0479", "school_brin": "",
        "absence_kind": "absoluut_verzuim", "out_of_school_since": "01-09-2026", "note": "",
    })
    assert response.status_code == 302
    timeline = client.get(f"/casussen/{case.id}").get_data(as_text=True).split('id="timeline"')[1]
    assert "Zaanstad" in timeline and "GM0479" not in timeline and "GM0363" not in timeline
    assert "De Regenboog" in timeline and "07NU00" not in timeline
    created = timeline.split("Casus geregistreerd")[1]
    assert "Voornaam" not in created and "gewijzigd" not in created
