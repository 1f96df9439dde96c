"""The network and the journal in the web UI: the case page's sections, the forms, refusals beside the fields, stale
edits, the author-only correction, scope and roles, the logged reads, and the note that became the first entry."""
from __future__ import annotations

import re
from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tests import factories
from tests.conftest import Auth, csrf_from
from thuiszitters.audit.models import AuditEvent
from thuiszitters.cases.models import Case
from thuiszitters.casework.models import JournalEntry, Participant
from thuiszitters.clock import to_local
from thuiszitters.extensions import db

VERSION_RE = re.compile(r'name="version"[^>]*value="(\d*)"')


@pytest.fixture
def w(app, clock):
    clock.set_today(date(2026, 10, 5))
    w = factories.world()
    w.school = factories.school("07NU00", swv_obj=w.swv1, gemeente_obj=w.gem1, name="De Regenboog")
    w.case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), school_obj=w.school)
    w.other_case = factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 9, 1))
    db.session.commit()
    return w


def _login(client, email: str) -> None:
    assert Auth(client).login(email).status_code == 302


def _submit(client, path: str, data: dict, *, form_page: str | None = None):
    page = client.get(form_page or path).get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page)}
    version = VERSION_RE.search(page)
    if version:
        fields["version"] = version.group(1)
    fields.update(data)
    return client.post(path, data=fields)


def _error(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


PARENT = {"role": "ouder", "name": "Fatima el Amrani", "organisation": "", "email": "f.elamrani@example.nl",
          "phone": "06 1234 5678", "consent_to_share": "ja", "note": "Liefst na 15.00 uur bellen."}


def test_the_coordinator_adds_edits_and_removes_participants_on_the_case_page(client, w):
    _login(client, "coord1@example.nl")
    case_url = f"/casussen/{w.case.id}"
    page = client.get(case_url).get_data(as_text=True)
    assert "Er staat nog niemand in het netwerk." in page
    # The school and the gemeente's leerplicht are suggested.
    assert "De Regenboog (De Regenboog) toevoegen" in page and "Leerplicht Amsterdam" in page

    response = _submit(client, f"{case_url}/netwerk/nieuw", PARENT)
    assert response.status_code == 302 and response.headers["Location"].endswith("#netwerk")
    prefilled = client.get(f"{case_url}/netwerk/nieuw?voorstel=school").get_data(as_text=True)
    assert 'value="De Regenboog"' in prefilled
    assert _submit(client, f"{case_url}/netwerk/nieuw", {"role": "school", "name": "De Regenboog",
                                                         "organisation": "De Regenboog"}).status_code == 302

    page = client.get(case_url).get_data(as_text=True)
    network = page.split('id="netwerk"')[1].split("</section>")[0]
    assert "Fatima el Amrani" in network and "06 12345678" in network and "Liefst na 15.00 uur bellen." in network
    assert network.index("Fatima el Amrani") < network.index("De Regenboog")  # by role: ouder before school
    assert "De Regenboog (De Regenboog) toevoegen" not in page  # no longer suggested

    parent = db.session.scalar(select(Participant).where(Participant.role == "ouder"))
    edit_url = f"{case_url}/netwerk/{parent.id}"
    assert _submit(client, edit_url, {**PARENT, "phone": "+32 470 12 34 56", "consent_to_share": ""}).status_code \
        == 302
    db.session.expire_all()
    assert parent.phone == "+32470123456" and parent.consent_to_share is None and parent.version == 2

    page = client.get(edit_url).get_data(as_text=True)
    response = client.post(f"{edit_url}/verwijderen", data={"csrf_token": csrf_from(page), "version": "2"})
    assert response.status_code == 302
    db.session.expire_all()
    assert parent.removed_at is not None and parent.email is None and parent.note is None
    page = client.get(case_url).get_data(as_text=True)
    assert "Fatima el Amrani" not in page.split('id="netwerk"')[1].split("</section>")[0]
    assert "Betrokkene uit het netwerk verwijderd" in page  # in the stream


def test_every_wrong_participant_field_gets_its_dutch_message_in_one_round_and_nothing_is_saved(client, w):
    _login(client, "coord1@example.nl")
    response = _submit(client, f"/casussen/{w.case.id}/netwerk/nieuw", {
        "role": "buurman", "name": "  ", "email": "geen-adres", "phone": "12", "consent_to_share": "misschien",
        "note": "x" * 1001})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _error(html, "role") == "Kies de rol van deze betrokkene uit de lijst."
    assert _error(html, "name") == "Vul de naam van de betrokkene in."
    assert _error(html, "email") and _error(html, "phone") and _error(html, "consent_to_share")
    assert _error(html, "note") == "Gebruik ten hoogste 1000 tekens (nu 1001)."
    assert 'value="geen-adres"' in html  # what was typed stays
    assert db.session.scalars(select(Participant)).all() == []


def test_a_stale_participant_edit_is_refused_with_the_other_change_shown(client, w):
    parent = factories.participant(w.case, w.coordinator, **{"email": "a@example.nl"})
    db.session.commit()
    _login(client, "coord1@example.nl")
    url = f"/casussen/{w.case.id}/netwerk/{parent.id}"
    page = client.get(url).get_data(as_text=True)
    token = csrf_from(page)
    assert client.post(url, data={**PARENT, "csrf_token": token, "version": "1", "role": "ouder",
                                  "name": "Fatima"}).status_code == 302
    stale = client.post(url, data={**PARENT, "csrf_token": token, "version": "1", "name": "F. el Amrani"})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Deze betrokkene is intussen gewijzigd" in html and "Gegevens van een betrokkene gewijzigd" in html
    assert '<th scope="row">Naam</th><td colspan="2" data-label="Is nu">gewijzigd (inhoud niet getoond)</td>' in html
    db.session.expire_all()
    assert parent.name == "Fatima"


def test_journal_entries_stream_with_the_chain_and_filter_by_kind(client, w):
    parent = factories.participant(w.case, w.coordinator)
    factories.audit_event(w.case, action="case.update", actor=w.coordinator, changes={"version": [1, 2]})
    db.session.commit()
    _login(client, "coord1@example.nl")
    url = f"/casussen/{w.case.id}/journaal/nieuw"
    assert _submit(client, url, {"occurred_on": "02-10-2026", "kind": "telefoon", "participant_ids": [parent.id],
                                 "summary": "Moeder gebeld over een nieuwe school."}).status_code == 302
    assert _submit(client, url, {"occurred_on": "03-10-2026", "kind": "overleg",
                                 "summary": "Overleg met de school."}).status_code == 302

    page = client.get(f"/casussen/{w.case.id}").get_data(as_text=True)
    stream = page.split('id="timeline"')[1]
    # Newest first: the edit of today (05-10), the meeting of 03-10, the call of 02-10.
    assert stream.index("Casusgegevens gewijzigd") < stream.index("Overleg met de school.") < stream.index(
        "Moeder gebeld")
    assert "Met: Fatima el Amrani (Ouder of verzorger)" in stream
    only_calls = client.get(f"/casussen/{w.case.id}?soort=telefoon").get_data(as_text=True)
    assert "Moeder gebeld" in only_calls and "Overleg met de school." not in only_calls
    assert "Casusgegevens gewijzigd" not in only_calls
    events_only = client.get(f"/casussen/{w.case.id}?soort=keten").get_data(as_text=True)
    assert "Casusgegevens gewijzigd" in events_only and "Moeder gebeld" not in events_only


def test_bad_journal_input_is_refused_beside_each_field(client, w):
    stranger = factories.participant(w.other_case, w.coordinator2)
    db.session.commit()
    _login(client, "coord1@example.nl")
    response = _submit(client, f"/casussen/{w.case.id}/journaal/nieuw", {
        "occurred_on": "06-10-2026", "kind": "", "participant_ids": [str(stranger.id)], "summary": "   "})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "ligt in de toekomst" in _error(html, "occurred_on")
    assert _error(html, "kind") == "Kies de soort contact uit de lijst."
    assert _error(html, "participant_ids") == "Kies alleen betrokkenen uit het netwerk van deze casus."
    assert _error(html, "summary") == "Schrijf op wat er besproken of afgesproken is."

    unreadable = _submit(client, f"/casussen/{w.case.id}/journaal/nieuw", {
        "occurred_on": "31-02-2026", "kind": "gesprek", "summary": "x" * 5001})
    html = unreadable.get_data(as_text=True)
    assert unreadable.status_code == 400 and _error(html, "occurred_on")
    assert _error(html, "summary") == "Gebruik ten hoogste 5000 tekens (nu 5001)."  # in the same round
    assert db.session.scalars(select(JournalEntry)).all() == []


def test_the_author_corrects_and_the_earlier_text_stays_readable(client, w):
    entry = factories.journal_entry(w.case, w.coordinator, summary="Eerste versie.")
    db.session.commit()
    _login(client, "coord1@example.nl")
    url = f"/casussen/{w.case.id}/journaal/{entry.id}"
    assert _submit(client, url, {"occurred_on": "05-10-2026", "kind": "gesprek",
                                 "summary": "Tweede versie."}).status_code == 302
    page = client.get(f"/casussen/{w.case.id}").get_data(as_text=True)
    assert "Tweede versie." in page and "Eerdere versies (1)" in page and "Eerste versie." in page
    assert "Eerste versie." in client.get(url).get_data(as_text=True)


def test_leerplicht_writes_entries_but_cannot_correct_the_coordinators(client, w):
    entry = factories.journal_entry(w.case, w.coordinator, summary="Van de coördinator.")
    db.session.commit()
    _login(client, "lp1@example.nl")
    page = client.get(f"/casussen/{w.case.id}").get_data(as_text=True)
    assert "Journaalbericht schrijven" in page and "Betrokkene toevoegen" not in page
    assert f"/journaal/{entry.id}" not in page  # no correction link on another's entry
    assert client.get(f"/casussen/{w.case.id}/journaal/{entry.id}").status_code == 403
    assert _submit(client, f"/casussen/{w.case.id}/journaal/nieuw",
                   {"occurred_on": "05-10-2026", "kind": "huisbezoek", "summary": "Huisbezoek."}).status_code == 302
    own = db.session.scalar(select(JournalEntry).where(JournalEntry.author_id == w.leerplicht.id))
    assert f"/journaal/{own.id}" in client.get(f"/casussen/{w.case.id}").get_data(as_text=True)
    assert client.get(f"/casussen/{w.case.id}/netwerk/nieuw").status_code == 403


def test_other_scopes_answer_404(client, w):
    stranger = factories.participant(w.other_case, w.coordinator2)
    entry = factories.journal_entry(w.other_case, w.coordinator2)
    mine = factories.journal_entry(w.case, w.coordinator)
    db.session.commit()
    _login(client, "coord1@example.nl")
    for url in (f"/casussen/{w.other_case.id}/netwerk/nieuw", f"/casussen/{w.other_case.id}/journaal/nieuw",
                f"/casussen/{w.other_case.id}/netwerk/{stranger.id}",
                f"/casussen/{w.other_case.id}/journaal/{entry.id}",
                # an id of another case under one's own case
                f"/casussen/{w.case.id}/netwerk/{stranger.id}", f"/casussen/{w.case.id}/journaal/{entry.id}"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/casussen/{w.case.id}/journaal/{mine.id}").status_code == 200


def test_the_case_page_logs_the_reads_of_the_network_and_the_journal(client, w):
    factories.participant(w.case, w.coordinator, email="ouder@example.nl")
    factories.journal_entry(w.case, w.coordinator)
    db.session.commit()
    _login(client, "lp1@example.nl")
    client.get(f"/casussen/{w.case.id}")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == w.leerplicht.id)).all()
    assert {"case.read", "network.read", "journal.read"} <= set(actions)


def test_the_old_case_note_becomes_the_first_journal_entry(app, w):
    case_id = w.case.id
    db.session.remove()
    downgrade(revision="0009_outcomes_signals")
    db.session.execute(Case.__table__.update().where(Case.__table__.c.id == case_id)
                       .values(note="Ouders willen een school dichter bij huis."))
    db.session.commit()
    db.session.remove()
    upgrade()
    entry = db.session.scalar(select(JournalEntry).where(JournalEntry.case_id == case_id))
    assert (entry.kind, entry.summary, entry.author_id) == ("notitie", "Ouders willen een school dichter bij huis.",
                                                            None)
    # The day the case was made in Amsterdam, not in UTC (between 22:00 and 24:00 UTC they differ).
    assert entry.occurred_on == to_local(db.session.get(Case, case_id).created_at).date() and entry.version == 1
    assert db.session.get(Case, case_id).note is None
    db.session.remove()
    downgrade(revision="0009_outcomes_signals")  # and back: the text returns to the note
    assert db.session.execute(select(Case.__table__.c.note).where(Case.__table__.c.id == case_id)).scalar() == \
        "Ouders willen een school dichter bij huis."
    db.session.remove()
    upgrade()


def test_a_stale_correction_is_refused_and_nothing_is_overwritten(client, w):
    entry = factories.journal_entry(w.case, w.coordinator, summary="Eerste versie.")
    db.session.commit()
    _login(client, "coord1@example.nl")
    url = f"/casussen/{w.case.id}/journaal/{entry.id}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    form = {"csrf_token": token, "version": "1", "occurred_on": "05-10-2026", "kind": "gesprek"}
    assert client.post(url, data={**form, "summary": "Tweede versie."}).status_code == 302
    stale = client.post(url, data={**form, "summary": "Andere tweede versie."})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Dit journaalbericht is intussen gewijzigd" in html and "Journaalbericht gecorrigeerd" in html
    assert "Andere tweede versie." in html  # what was typed stays in the form
    db.session.expire_all()
    assert entry.summary == "Tweede versie." and [r.summary for r in entry.revisions] == ["Eerste versie."]
