"""The admin imports reference data through the web page: all rows or, with a bad row, none, each line named."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from tests import factories
from tests.conftest import csrf_from
from thuiszitters.audit.models import AuditEvent
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, School


def _upload(client, kind: str, content: bytes, name: str = "data.csv"):
    token = csrf_from(client.get("/beheer/referentiegegevens").get_data(as_text=True))
    return client.post("/beheer/referentiegegevens", content_type="multipart/form-data",
                       data={"csrf_token": token, "kind": kind, "file": (io.BytesIO(content), name)})


def test_an_admin_imports_schools_and_a_bad_file_changes_nothing(app, auth, client):
    w = factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    schools_before = db.session.scalar(select(func.count()).select_from(School))

    good = ("\ufeffbrin;name;school_type;swv_code;gemeente_code\n"
            f"12AB00;De Zonnewijzer;po;{w.swv1.code};{w.gem1.code}\n").encode()
    response = _upload(client, "school", good)
    assert response.status_code == 302
    page = client.get("/beheer/referentiegegevens").get_data(as_text=True)
    assert "Import geslaagd: 1 nieuw, 0 bijgewerkt." in page
    assert db.session.scalar(select(School.name).where(School.brin == "12AB00")) == "De Zonnewijzer"
    assert db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "refdata.import.school")) \
        == w.admin.id

    bad = ("brin;name;school_type;swv_code;gemeente_code\n"
           f"34CD00;Het Baken;vo;{w.swv2.code};{w.gem2.code}\n"
           "XX;Zonder BRIN;po;;\n"
           "56EF00;De Linde;kleuterschool;;\n").encode()
    response = _upload(client, "school", bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bestand geweigerd: er is niets geïmporteerd" in html and "2 fouten" in html
    assert "Regel 3:" in html and "Regel 4:" in html
    assert db.session.scalar(select(func.count()).select_from(School)) == schools_before + 1  # Het Baken neither


def test_a_file_that_is_not_utf8_or_missing_is_refused_with_a_message(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    gemeenten = db.session.scalar(select(func.count()).select_from(Gemeente))
    response = _upload(client, "gemeente", "code;name\nGM0001;Appingedam\u00e9\n".encode("utf-16"))
    assert response.status_code == 400 and "geen UTF-8-tekst" in response.get_data(as_text=True)
    token = csrf_from(client.get("/beheer/referentiegegevens").get_data(as_text=True))
    empty = client.post("/beheer/referentiegegevens", data={"csrf_token": token, "kind": "gemeente"})
    assert empty.status_code == 400 and "Kies een CSV-bestand." in empty.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Gemeente)) == gemeenten


def test_only_admins_import_reference_data(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get("/beheer/referentiegegevens").status_code == 403


def test_an_oversized_upload_is_refused_with_a_dutch_page(app, auth, client):
    factories.world()
    db.session.commit()
    auth.login("admin@example.nl")
    response = _upload(client, "school", b"brin;name;school_type\n" + b"x" * (11 * 1024 * 1024))
    assert response.status_code == 413
    assert "Bestand te groot" in response.get_data(as_text=True)
