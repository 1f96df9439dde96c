"""Names cannot pose as other names: bidi overrides, zero-width and other invisible characters are taken out of
pupil and user names wherever they enter (web forms, API, command line), by one shared function."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.web.test_case_pages import NEW_CASE, _errors_of, _submit
from tests.web.test_case_pages import _world as _case_world
from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Pupil
from thuiszitters.extensions import db
from thuiszitters.identifiers import clean_person_name

RLO, PDF, LRI, PDI, ZWSP, ZWJ, BOM, SHY = "\u202e", "\u202c", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u00ad"


@pytest.mark.parametrize(("typed", "stored"), [
    (f"Ali{RLO}eoJ{PDF}", "AlieoJ"),  # would display as "AliJoe"
    (f"{LRI}Sanne{PDI} Jansen", "Sanne Jansen"),
    (f"Sa{ZWSP}nne", "Sanne"),
    (f"{BOM}Noah{ZWJ}", "Noah"),
    (f"Zo{SHY}ë", "Zoë"),
    ("  Noah \n de\u2028Vries\t", "Noah de Vries"),
    ("Noa\u0301h", "Noáh"),  # composed (NFC), so equal names compare equal
    ("Łukasz Şahin-Ærøe", "Łukasz Şahin-Ærøe"),
    ("محمد العلي", "محمد العلي"),
    ("van 't Hek", "van 't Hek"),
])
def test_invisible_characters_are_taken_out_and_visible_ones_kept(typed, stored):
    assert clean_person_name(typed) == stored


def test_the_case_form_stores_and_shows_the_name_without_a_right_to_left_override(app, auth, client):
    _case_world()
    auth.login("coord1@example.nl")
    response = _submit(client, "/casussen/nieuw", {**NEW_CASE, "first_name": f"Ali{RLO}eoJ",
                                                   "last_name": f"{ZWSP}Jansen{ZWSP}"})
    assert response.status_code == 302
    pupil = db.session.scalar(select(Pupil))
    assert (pupil.first_name, pupil.last_name) == ("AlieoJ", "Jansen")
    page = client.get("/casussen").get_data(as_text=True)
    assert "AlieoJ Jansen" in page and RLO not in page and ZWSP not in page


def test_a_name_of_only_invisible_characters_is_refused_as_empty(app, auth, client):
    _case_world()
    auth.login("coord1@example.nl")
    response = _submit(client, "/casussen/nieuw", {**NEW_CASE, "first_name": f"{RLO}{ZWSP}{PDF}"})
    assert response.status_code == 400
    assert "Vul de voornaam van de leerling in." in _errors_of(response.get_data(as_text=True), "first_name")
    assert db.session.scalar(select(Pupil)) is None


def test_the_api_cleans_names_on_create_and_on_update(app, client):
    w = factories.world()
    token = factories.token(w.coordinator)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/cases", headers=headers, json={
        "pupil": {"firstName": f"{RLO}anneS", "lastName": "Jansen", "dateOfBirth": "2014-02-01",
                  "gemeenteCode": "GM0363"},
        "swvCode": "PO 27-01", "absenceKind": "relatief_verzuim", "outOfSchoolSince": "2026-09-01"})
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    assert case["pupil"]["firstName"] == "anneS"

    updated = client.patch(f"/api/v1/cases/{case['id']}", json={"pupil": {"lastName": f"Jan{ZWJ}sen{LRI}"}},
                           headers={**headers, "If-Match": f'"{case["version"]}"'})
    assert updated.status_code == 200, updated.get_json()
    assert updated.get_json()["pupil"]["lastName"] == "Jansen"

    refused = client.post("/api/v1/cases", headers=headers, json={
        "pupil": {"firstName": ZWSP, "lastName": "Jansen", "dateOfBirth": "2014-02-01", "gemeenteCode": "GM0363"},
        "swvCode": "PO 27-01", "absenceKind": "relatief_verzuim", "outOfSchoolSince": "2026-09-01"})
    assert refused.status_code == 400
    assert refused.content_type.startswith("application/problem+json")
    assert "pupil.firstName" in {p["name"] for p in refused.get_json()["invalidParams"]}


def test_user_names_are_cleaned_in_the_admin_form_and_on_the_command_line(app, auth, client, runner):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    token = auth.csrf("/beheer/gebruikers/nieuw")
    response = client.post("/beheer/gebruikers/nieuw", data={
        "csrf_token": token, "email": "nina@example.nl", "name": f"Nina {RLO}weiN", "role": "coordinator",
        "swvs": ["PO 27-01"], "active": "y", "password": "een-lang-wachtwoord-42"})
    assert response.status_code == 302
    result = runner.invoke(args=["users", "create", "ole@example.nl", "--role", "inspectie",
                                 "--name", f"Ole{ZWSP} {BOM}Olsen"], input="een-lang-wachtwoord-42\n")
    assert result.exit_code == 0, result.output
    names = set(db.session.scalars(select(User.name).where(User.email.in_(("nina@example.nl", "ole@example.nl")))))
    assert names == {"Nina weiN", "Ole Olsen"}
