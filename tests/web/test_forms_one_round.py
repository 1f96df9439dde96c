"""Every wrong field in one round: the form's own checks and the service's (codes, BSN, domain rules) after one
submit, with what was typed kept (the password aside). Today is 02-11-2026 (config/testing.py)."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tests import factories
from tests.conftest import csrf_from
from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Case, Step
from thuiszitters.extensions import db

VERSION_RE = re.compile(r'name="version"[^>]*value="(\d*)"')

NEW_CASE = {
    "first_name": "Sanne", "last_name": "Jansen", "date_of_birth": "12-05-2013", "bsn": "",
    "swv_code": "PO 27-01", "gemeente_code": "GM0363", "school_brin": "", "absence_kind": "absoluut_verzuim",
    "out_of_school_since": "01-09-2026", "note": "", "status": "open",
}


def _errors_of(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def _post(client, path: str, data: dict):
    page = client.get(path).get_data(as_text=True)
    fields = {"csrf_token": csrf_from(page)}
    version = VERSION_RE.search(page)
    if version:
        fields["version"] = version.group(1)
    return client.post(path, data={**fields, **data})


def test_a_new_case_with_three_wrong_fields_names_all_three_after_one_submit(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    response = _post(client, "/casussen/nieuw", {
        **NEW_CASE, "date_of_birth": "31-02-2013", "bsn": "123456789", "out_of_school_since": "01-12-2026",
        "note": "Moeder belt terug",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Deze datum bestaat niet" in _errors_of(html, "date_of_birth")  # the form's own check
    assert "BSN" in _errors_of(html, "bsn")  # the service's 11-proef
    assert "ligt in de toekomst" in _errors_of(html, "out_of_school_since")  # a domain rule
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert all(f'href="#{name}"' in summary for name in ("date_of_birth", "bsn", "out_of_school_since"))
    # One message per field: the unreadable birth date is not also reported as missing.
    assert "Vul de geboortedatum" not in html
    # What was typed stays.
    for value in ("31-02-2013", "123456789", "01-12-2026", "Sanne", "Jansen"):
        assert f'value="{value}"' in html
    assert "Moeder belt terug" in html
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_an_empty_new_case_flags_the_swv_and_the_gemeente_without_a_dangling_code(app, auth, client):
    factories.world()
    factories.user("coordinator", email="both@example.nl", swvs=("PO 27-01", "VO 27-02"))
    db.session.commit()
    auth.login("both@example.nl")
    response = _post(client, "/casussen/nieuw", {name: "" for name in NEW_CASE})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kies het samenwerkingsverband." in _errors_of(html, "swv_code")
    assert "Kies de gemeente waar de leerling woont." in _errors_of(html, "gemeente_code")
    for field in ("first_name", "last_name", "date_of_birth", "absence_kind", "status"):
        assert _errors_of(html, field), field
    assert "Onbekend samenwerkingsverband" not in html and "Onbekende gemeente" not in html


def test_leaving_kies_een_selected_never_names_an_empty_code(app, auth, client):
    factories.world()
    factories.user("coordinator", email="both@example.nl", swvs=("PO 27-01", "VO 27-02"))
    db.session.commit()
    auth.login("both@example.nl")
    response = _post(client, "/casussen/nieuw", {**NEW_CASE, "swv_code": "", "gemeente_code": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _errors_of(html, "swv_code").strip() and _errors_of(html, "gemeente_code").strip()
    assert not re.search(r"Onbekend(e)? [a-z ]+:\s*<", html)


def test_editing_a_case_reports_the_forms_and_the_services_problems_together(app, auth, client):
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=factories.date(2026, 9, 1))
    db.session.commit()
    auth.login("coord1@example.nl")
    path = f"/casussen/{case.id}/bewerken"
    response = _post(client, path, {
        "first_name": "", "last_name": "de Vries", "date_of_birth": "01-03-2014", "bsn": "123456789",
        "gemeente_code": "GM0363", "school_brin": "", "absence_kind": "absoluut_verzuim",
        "out_of_school_since": "01-12-2026", "note": "",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vul de voornaam" in _errors_of(html, "first_name")
    assert "BSN" in _errors_of(html, "bsn")
    assert "ligt in de toekomst" in _errors_of(html, "out_of_school_since")


def test_a_step_reports_an_unreadable_date_and_a_rule_in_one_round(app, auth, client):
    w = factories.world()
    case = factories.case(w.swv1, w.gem1, out_of_school_since=factories.date(2026, 9, 1))
    db.session.commit()
    auth.login("coord1@example.nl")
    response = _post(client, f"/casussen/{case.id}/stappen/nieuw/aanmelding", {
        "received_on": "07-11-2026", "decision": "toegelaten", "decided_on": "31-09-2026", "school_brin": "",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ligt in de toekomst" in _errors_of(html, "received_on")
    assert "Deze datum bestaat niet" in _errors_of(html, "decided_on")
    assert db.session.scalar(select(func.count(Step.id))) == 0


def test_a_new_user_with_every_field_wrong_hears_of_all_in_one_round_and_keeps_all_but_the_password(
        app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    response = _post(client, "/beheer/gebruikers/nieuw", {
        "email": "", "name": "Nieuwe Collega", "role": "coordinator", "password": "kort", "active": "y",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vul een e-mailadres in." in _errors_of(html, "email")
    assert _errors_of(html, "swvs").strip()  # a coordinator needs an swv: the service's rule
    assert _errors_of(html, "password").strip()  # too short: the service's rule
    assert 'value="Nieuwe Collega"' in html
    assert "kort" not in re.findall(r'<input[^>]*name="password"[^>]*>', html)[0]

    response = _post(client, "/beheer/gebruikers/nieuw", {
        "email": "nieuw@example.nl", "name": "", "role": "coordinator", "swvs": "PO 27-01", "password": "",
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vul een naam in." in _errors_of(html, "name")
    assert "Vul een wachtwoord in." in _errors_of(html, "password")
    assert 'value="nieuw@example.nl"' in html and re.search(r'<input checked[^>]*value="PO 27-01"', html)
    assert db.session.scalar(select(func.count(User.id)).where(User.email == "nieuw@example.nl")) == 0
