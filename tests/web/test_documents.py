"""Documents on a case, on the pages and in the API: upload, list, download, remove; what is refused and why; the
audit trail, retention and the processing log."""
from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from datetime import date

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import csrf_from
from thuiszitters.audit.models import AuditEvent, AuditNote
from thuiszitters.documents.models import Document, DocumentChunk
from thuiszitters.documents.services import CHUNK_BYTES
from thuiszitters.extensions import db
from thuiszitters.retention.services import anonymise_expired_cases

MB = 1024 * 1024
PDF = factories.PDF_BYTES


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def _zip(entries: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in entries:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


DOCX = _zip([("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
              b'2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxml'
              b'formats-officedocument.wordprocessingml.document.main+xml"/></Types>', zipfile.ZIP_DEFLATED),
             ("word/document.xml", b"<w:document/>", zipfile.ZIP_DEFLATED)])
ODT = _zip([("mimetype", b"application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED),
            ("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED)])
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot"

ALLOWED = [
    ("opp.pdf", PDF, "application/pdf"),
    ("foto.png", _png(), "image/png"),
    ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "image/jpeg"),
    ("besluit.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("verslag.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ("notitie.txt", "Gesprek met moeder, école en jeugdhulp.\n".encode(), "text/plain; charset=utf-8"),
]


@pytest.fixture
def world(app):
    w = factories.world()
    w.case = factories.case(w.swv1, w.gem1, out_of_school_since=date(2026, 9, 1), first_name="Zoë",
                            last_name="Öztürk")
    w.other = factories.case(w.swv2, w.gem2, out_of_school_since=date(2026, 9, 1))
    w.tokens = {name: factories.token(getattr(w, name)) for name in ("coordinator", "leerplicht", "inspectie")}
    db.session.commit()
    return w


def _api(client, world, method, path, who="coordinator", **kwargs):
    return client.open(f"/api/v1{path}", method=method,
                       headers={"Authorization": f"Bearer {world.tokens[who]}"}, **kwargs)


def _api_upload(client, world, case_id, file_name, data, who="coordinator", **fields):
    form = {"kind": "opp", **fields, "file": (io.BytesIO(data), file_name)}
    return _api(client, world, "POST", f"/cases/{case_id}/documents", who=who, data=form,
                content_type="multipart/form-data")


def _web_upload(client, case_id, file_name, data, **fields):
    page = client.get(f"/casussen/{case_id}/documenten/nieuw")
    form = {"kind": "opp", "title": "", "document_date": "", **fields,
            "csrf_token": csrf_from(page.get_data(as_text=True))}
    if file_name is not None:
        form["file"] = (io.BytesIO(data), file_name)
    return client.post(f"/casussen/{case_id}/documenten/nieuw", data=form, content_type="multipart/form-data")


def _error(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def _documents() -> list[Document]:
    db.session.expire_all()
    return list(db.session.scalars(select(Document).order_by(Document.id)))


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- the pages ------------------------------------------------------------------------------------------------


def test_a_coordinator_uploads_a_document_sees_it_on_the_case_and_downloads_it(world, auth, client):
    auth.login("coord1@example.nl")
    response = _web_upload(client, world.case.id, "OPP Zoë 2026.pdf", PDF, title="OPP schooljaar 2026",
                           document_date="15-09-2026")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/casussen/{world.case.id}#documenten")
    html = client.get(f"/casussen/{world.case.id}").get_data(as_text=True)
    assert "Het document is toegevoegd." in html
    section = html[html.index('id="documenten"'):]
    assert "OPP schooljaar 2026" in section and "Ontwikkelingsperspectief (OPP)" in section
    assert "15-09-2026" in section and "OPP Zoë 2026.pdf" in section
    [document] = _documents()
    assert (document.kind, document.media_type, document.size) == ("opp", "application/pdf", len(PDF))
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()

    download = client.get(f"/casussen/{world.case.id}/documenten/{document.id}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith('attachment; filename="OPP Zoe 2026.pdf"')
    assert "filename*=UTF-8''OPP%20Zo%C3%AB%202026.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == "sandbox"
    assert download.headers["Cache-Control"] == "no-store"
    # Both the upload and the download are in the trail, naming the case, never the title or the file name.
    [upload_event] = _events("document.upload")
    [read_event] = _events("document.read")
    assert upload_event.case_id == read_event.case_id == world.case.id
    assert read_event.actor_id == world.coordinator.id and read_event.object_id == document.id
    assert "OPP" not in str(upload_event.changes) and "Zo" not in str(upload_event.changes)
    # The case's timeline tells what happened, by kind.
    timeline = client.get(f"/casussen/{world.case.id}").get_data(as_text=True)
    timeline = timeline[timeline.index('id="timeline"'):]
    assert "Document toegevoegd: Ontwikkelingsperspectief (OPP)" in timeline
    assert "Document gedownload" in timeline and "application/pdf" not in timeline


@pytest.mark.parametrize(("file_name", "data", "media_type"), ALLOWED)
def test_each_allowed_kind_of_file_is_recognised_by_its_content(world, auth, client, file_name, data, media_type):
    auth.login("coord1@example.nl")
    assert _web_upload(client, world.case.id, file_name, data).status_code == 302
    [document] = _documents()
    assert document.media_type == media_type
    assert client.get(f"/casussen/{world.case.id}/documenten/{document.id}").data == data


def test_a_renamed_executable_gets_a_dutch_message_beside_the_file(world, auth, client):
    auth.login("coord1@example.nl")
    response = _web_upload(client, world.case.id, "opp.pdf", EXECUTABLE)
    html = response.get_data(as_text=True)
    assert response.status_code == 415
    assert "Dit soort bestand kan niet worden opgeslagen" in _error(html, "file")
    assert "PDF, Word (DOCX)" in _error(html, "file")
    assert _documents() == []


@pytest.mark.parametrize("data", [b"<!DOCTYPE html><script>alert(1)</script>", b"#!/bin/sh\nrm -rf /\n",
                                  b"<svg onload=alert(1)>", b"tekst\x00met nul"])
def test_markup_scripts_and_binary_named_as_text_are_refused(world, auth, client, data):
    auth.login("coord1@example.nl")
    assert _web_upload(client, world.case.id, "notitie.txt", data).status_code == 415
    assert _documents() == []


def test_every_wrong_field_of_an_upload_is_told_in_one_round(world, auth, client):
    auth.login("coord1@example.nl")
    response = _web_upload(client, world.case.id, "leeg.pdf", b"", kind="rapport", document_date="31-02-2026",
                           title="x" * 201)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "leeg" in _error(html, "file")
    assert "Kies een soort document uit de lijst." in _error(html, "kind")
    assert _error(html, "document_date")
    assert "langer dan 200 tekens" in _error(html, "title")
    assert 'value="rapport"' not in html or "selected" not in html  # an unknown kind is not offered back
    assert "Verbeter deze 4 punten" in html
    assert _documents() == []


@pytest.mark.parametrize(("file_name", "code_text"), [
    ("../../etc/opp.pdf", "map of pad"),
    ("/home/juf/opp.pdf", "map of pad"),
    ("opp\x07.pdf", "stuurtekens"),
    ("gpj\u202e.exe", "stuurtekens"),
])
def test_a_file_name_with_path_parts_or_control_characters_is_refused(world, auth, client, file_name, code_text):
    auth.login("coord1@example.nl")
    response = _web_upload(client, world.case.id, file_name, PDF)
    assert response.status_code == 400
    assert code_text in _error(response.get_data(as_text=True), "file")
    assert _documents() == []


def test_no_file_a_future_date_and_no_kind_are_told(world, auth, client, clock):
    clock.set_today(date(2026, 10, 1))
    auth.login("coord1@example.nl")
    response = _web_upload(client, world.case.id, None, b"", kind="", document_date="02-10-2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kies een bestand." in _error(html, "file")
    assert "Kies de soort document." in _error(html, "kind")
    assert "toekomst" in _error(html, "document_date")


def test_a_file_over_20_mb_is_refused_with_413(world, auth, client):
    auth.login("coord1@example.nl")
    response = _web_upload(client, world.case.id, "groot.pdf", PDF + b"0" * (20 * MB + 1 - len(PDF)))
    assert response.status_code == 413
    assert "hoogstens 20 MB" in _error(response.get_data(as_text=True), "file")
    # A body far over the limit is refused before it is read.
    response = _web_upload(client, world.case.id, "groter.pdf", PDF + b"0" * (21 * MB))
    assert response.status_code == 413 and "hoogstens 20 MB" in response.get_data(as_text=True)
    assert _documents() == []


def test_a_large_file_is_stored_in_chunks_and_streamed_back_whole(world, auth, client):
    data = PDF + bytes(range(256)) * (20 * MB // 256 - 1)
    assert len(data) <= 20 * MB
    auth.login("coord1@example.nl")
    assert _web_upload(client, world.case.id, "scan.pdf", data).status_code == 302
    [document] = _documents()
    sizes = list(db.session.scalars(select(func.length(DocumentChunk.data)).where(
        DocumentChunk.document_id == document.id).order_by(DocumentChunk.seq)))
    assert len(sizes) == -(-len(data) // CHUNK_BYTES) and max(sizes) <= CHUNK_BYTES
    response = client.get(f"/casussen/{world.case.id}/documenten/{document.id}", buffered=False)
    assert response.is_streamed
    assert int(response.headers["Content-Length"]) == len(data)
    assert hashlib.sha256(b"".join(response.response)).hexdigest() == hashlib.sha256(data).hexdigest()


def test_removing_needs_a_reason_which_is_kept_beside_the_trail(world, auth, client):
    document_id = factories.document(world.case, uploaded_by=world.coordinator).id
    db.session.commit()
    auth.login("coord1@example.nl")
    path = f"/casussen/{world.case.id}/documenten/{document_id}/verwijderen"
    page = client.get(path).get_data(as_text=True)
    refused = client.post(path, data={"reason": "  ", "csrf_token": csrf_from(page)})
    assert refused.status_code == 400
    assert "Vul de reden in" in _error(refused.get_data(as_text=True), "reason")
    assert len(_documents()) == 1
    done = client.post(path, data={"reason": "Verkeerde leerling", "csrf_token": csrf_from(page)})
    assert done.status_code == 302
    assert _documents() == [] and db.session.scalar(select(func.count()).select_from(DocumentChunk)) == 0
    [event] = _events("document.remove")
    assert event.case_id == world.case.id and event.actor_id == world.coordinator.id
    assert db.session.scalar(select(AuditNote.text).where(AuditNote.event_id == event.id)) == "Verkeerde leerling"
    assert client.get(f"/casussen/{world.case.id}/documenten/{document_id}").status_code == 404
    timeline = client.get(f"/casussen/{world.case.id}").get_data(as_text=True)
    timeline = timeline[timeline.index('id="timeline"'):]
    assert "Document verwijderd: Ontwikkelingsperspectief (OPP)" in timeline
    assert "Reden: Verkeerde leerling" in timeline


def test_the_leerplicht_adds_and_removes_its_own_documents_but_not_the_coordinators(world, auth, client):
    own = factories.document(world.case, uploaded_by=world.leerplicht, title="Verzuimmelding")
    theirs = factories.document(world.case, uploaded_by=world.coordinator, title="Besluit")
    db.session.commit()
    auth.login("lp1@example.nl")
    html = client.get(f"/casussen/{world.case.id}").get_data(as_text=True)
    assert f"/documenten/{own.id}/verwijderen" in html and f"/documenten/{theirs.id}/verwijderen" not in html
    assert client.get(f"/casussen/{world.case.id}/documenten/{theirs.id}/verwijderen").status_code == 403
    assert client.get(f"/casussen/{world.case.id}/documenten/{theirs.id}").status_code == 200
    assert _web_upload(client, world.case.id, "melding.txt", b"Melding van verzuim.").status_code == 302
    assert len(_documents()) == 3


def test_documents_of_a_case_out_of_scope_or_of_another_case_are_not_found(world, auth, client):
    elsewhere = factories.document(world.other)
    db.session.commit()
    auth.login("coord1@example.nl")
    assert client.get(f"/casussen/{world.other.id}/documenten/{elsewhere.id}").status_code == 404
    assert client.get(f"/casussen/{world.case.id}/documenten/{elsewhere.id}").status_code == 404
    assert client.get(f"/casussen/{world.other.id}/documenten/nieuw").status_code == 404
    assert _events("document.read") == []


def test_the_inspectie_sees_no_documents(world, auth, client):
    document = factories.document(world.case)
    db.session.commit()
    auth.login("insp@example.nl")
    assert client.get(f"/casussen/{world.case.id}/documenten/{document.id}").status_code == 403
    assert client.get(f"/casussen/{world.case.id}/documenten/nieuw").status_code == 403


def test_retention_deletes_the_documents_with_the_case(world, app):
    world.case.status, world.case.closed_on = "closed", date(2020, 1, 1)
    kept = factories.document(world.other)
    factories.document(world.case)
    factories.document(world.case, data=b"tweede")
    db.session.commit()
    assert anonymise_expired_cases(date(2026, 10, 1)) == 1
    db.session.commit()
    assert [document.id for document in _documents()] == [kept.id]
    assert db.session.scalar(select(func.count()).select_from(DocumentChunk)) == 1


def test_the_processing_log_shows_who_downloaded_a_document(world, auth, client):
    document = factories.document(world.case)
    world.case.reference = "TZ-2026-DOC01"
    db.session.commit()
    auth.login("coord1@example.nl")
    client.get(f"/casussen/{world.case.id}/documenten/{document.id}")
    auth.logout()
    auth.login("admin@example.nl")
    html = client.get("/beheer/verwerkingen?case=TZ-2026-DOC01").get_data(as_text=True)
    assert "Document gedownload" in html and "opp.pdf" not in html


# --- the API ----------------------------------------------------------------------------------------------------


def test_the_api_uploads_lists_downloads_and_removes_a_document(world, client):
    created = _api_upload(client, world, world.case.id, "opp.pdf", PDF, title="OPP", documentDate="2026-09-15")
    assert created.status_code == 201
    body = created.json
    assert {key: body[key] for key in ("kind", "title", "fileName", "mediaType", "size", "documentDate")} == {
        "kind": "opp", "title": "OPP", "fileName": "opp.pdf", "mediaType": "application/pdf", "size": len(PDF),
        "documentDate": "2026-09-15"}
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["uploadedBy"]["id"] == world.coordinator.id
    listed = _api(client, world, "GET", f"/cases/{world.case.id}/documents")
    assert [item["id"] for item in listed.json["items"]] == [body["id"]]
    content = _api(client, world, "GET", f"/cases/{world.case.id}/documents/{body['id']}/content")
    assert content.data == PDF and content.headers["Content-Disposition"].startswith("attachment")
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert content.headers["Content-Security-Policy"] == "sandbox"
    assert [event.case_id for event in _events("document.read")] == [world.case.id]
    assert [event.case_id for event in _events("document.list")] == [world.case.id]
    no_reason = _api(client, world, "DELETE", f"/cases/{world.case.id}/documents/{body['id']}", json={})
    assert no_reason.status_code == 400
    assert [param["name"] for param in no_reason.json["invalidParams"]] == ["reason"]
    removed = _api(client, world, "DELETE", f"/cases/{world.case.id}/documents/{body['id']}",
                   json={"reason": "Dubbel toegevoegd"})
    assert removed.status_code == 204 and _documents() == []


def test_the_api_refuses_a_renamed_executable_with_415(world, client):
    response = _api_upload(client, world, world.case.id, "opp.pdf", EXECUTABLE)
    assert response.status_code == 415
    assert response.content_type == "application/problem+json"
    assert [param["name"] for param in response.json["invalidParams"]] == ["file"]
    assert _documents() == []


def test_the_api_refuses_a_file_over_20_mb_with_413(world, client):
    response = _api_upload(client, world, world.case.id, "groot.pdf", PDF + b"0" * (20 * MB))
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert _documents() == []


def test_the_api_names_every_invalid_field(world, client, clock):
    clock.set_today(date(2026, 10, 1))
    response = _api_upload(client, world, world.case.id, "../opp.pdf", b"", kind="rapport",
                           documentDate="2026-10-02")
    assert response.status_code == 400
    names = sorted(param["name"] for param in response.json["invalidParams"])
    assert names == ["documentDate", "file", "file", "kind"]
    unreadable = _api_upload(client, world, world.case.id, "opp.pdf", PDF, documentDate="15-09-2026")
    assert unreadable.status_code == 400
    assert [param["name"] for param in unreadable.json["invalidParams"]] == ["documentDate"]
    assert _documents() == []


def test_the_api_refuses_an_upload_with_a_field_it_does_not_know(world, client):
    """An upload is as closed as a JSON body (found by schemathesis): an unknown form field is named, nothing saved."""
    response = _api_upload(client, world, world.case.id, "opp.pdf", PDF, documentDatum="2026-09-15")
    assert response.status_code == 400
    assert [(p["name"], p["code"]) for p in response.json["invalidParams"]] == [("documentDatum", "unknown_field")]
    assert _documents() == []


def test_the_api_keeps_to_scope_and_roles(world, client):
    other = factories.document(world.other)
    coordinators = factories.document(world.case, uploaded_by=world.coordinator)
    db.session.commit()
    assert _api(client, world, "GET", f"/cases/{world.other.id}/documents").status_code == 404
    assert _api(client, world, "GET", f"/cases/{world.other.id}/documents/{other.id}/content").status_code == 404
    assert _api(client, world, "GET", f"/cases/{world.case.id}/documents/{other.id}/content").status_code == 404
    assert _api_upload(client, world, world.other.id, "opp.pdf", PDF).status_code == 404
    assert _api(client, world, "GET", f"/cases/{world.case.id}/documents", who="inspectie").status_code == 403
    assert _api_upload(client, world, world.case.id, "opp.pdf", PDF, who="inspectie").status_code == 403
    refused = _api(client, world, "DELETE", f"/cases/{world.case.id}/documents/{coordinators.id}",
                   who="leerplicht", json={"reason": "weg"})
    assert refused.status_code == 403
    own = _api_upload(client, world, world.case.id, "melding.txt", b"Melding.", who="leerplicht", kind="verslag")
    assert own.status_code == 201
    assert _api(client, world, "DELETE", f"/cases/{world.case.id}/documents/{own.json['id']}", who="leerplicht",
                json={"reason": "Per ongeluk"}).status_code == 204


def test_the_openapi_document_describes_the_document_endpoints(world, client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/cases/{caseId}/documents"])
    assert "multipart/form-data" in paths["/cases/{caseId}/documents"]["post"]["requestBody"]["content"]
    assert {"413", "415"} <= set(paths["/cases/{caseId}/documents"]["post"]["responses"])
    assert "get" in paths["/cases/{caseId}/documents/{documentId}/content"]
    assert "delete" in paths["/cases/{caseId}/documents/{documentId}"]


def test_a_hand_made_upload_with_a_nameless_part_is_refused_not_a_server_error(world, client):
    body = (b"--XX\r\nContent-Disposition: form-data\r\n\r\nabc\r\n"
            b'--XX\r\nContent-Disposition: form-data; name="kind"\r\n\r\nopp\r\n--XX--\r\n')
    response = _api(client, world, "POST", f"/cases/{world.case.id}/documents", data=body,
                    content_type="multipart/form-data; boundary=XX")
    assert response.status_code == 400
    assert [param["name"] for param in response.json["invalidParams"]] == ["file"]


def test_the_case_page_logs_its_list_of_documents_as_a_read_when_it_names_any(world, auth, client):
    # The titles on the list often name the pupil: the page's list is a read of its own, as the API's is.
    auth.login("coord1@example.nl")
    assert client.get(f"/casussen/{world.case.id}").status_code == 200
    assert _events("document.list") == []  # an empty list names nothing
    assert _api_upload(client, world, world.case.id, "opp.pdf", PDF, title="OPP").status_code == 201
    page = client.get(f"/casussen/{world.case.id}")
    assert page.status_code == 200 and "OPP" in page.get_data(as_text=True)
    events = _events("document.list")
    assert [(e.case_id, e.actor_id) for e in events] == [(world.case.id, world.coordinator.id)]
