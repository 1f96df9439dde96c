"""What a document may be (documents/rules.py) and how its content is recognised (documents/content.py)."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from thuiszitters.documents.content import DOCX, ODT, PDF, TEXT, recognise
from thuiszitters.documents.rules import (
    content_disposition,
    document_problems,
    download_name,
    file_name_problems,
    reason_problems,
    title_for,
)


@pytest.mark.parametrize("name", ["OPP 2026.pdf", "Besluit (definitief).docx", "verslag van Zoë.odt", "a.b.c.txt"])
def test_plain_file_names_pass(name):
    assert file_name_problems(name) == []


@pytest.mark.parametrize(("name", "code"), [
    ("", "file_name_required"),
    ("   ", "file_name_required"),
    ("../opp.pdf", "file_name_path"),
    ("map\\opp.pdf", "file_name_path"),
    ("..", "file_name_path"),
    ("opp\x00.pdf", "file_name_control_characters"),
    ("opp\n.pdf", "file_name_control_characters"),
    ("opp\x85.pdf", "file_name_control_characters"),
    ("gpj\u202eexe.pdf", "file_name_control_characters"),
    ("a" * 252 + ".pdf", "file_name_too_long"),
])
def test_names_with_a_path_control_characters_or_too_long_are_refused(name, code):
    [problem] = file_name_problems(name)
    assert (problem.name, problem.code) == ("file", code)


def test_the_description_is_checked_all_at_once():
    problems = document_problems(kind="rapport", title="x" * 201, document_date=date(2026, 10, 2),
                                 today=date(2026, 10, 1))
    assert [(p.name, p.code) for p in problems] == [("kind", "unknown_value"), ("title", "too_long"),
                                                    ("document_date", "future_date")]
    assert document_problems(kind="opp", title=None, document_date=date(2026, 10, 1), today=date(2026, 10, 1)) == []
    assert [p.code for p in document_problems(kind=None, title="", document_date=None, today=date(2026, 1, 1))] == [
        "required"]


def test_a_removal_needs_a_reason_of_at_most_500_characters():
    assert [p.code for p in reason_problems(" ")] == ["required"]
    assert [p.code for p in reason_problems("x" * 501)] == ["too_long"]
    assert reason_problems("Verkeerde leerling") == []


def test_a_document_without_a_title_is_named_after_its_file():
    assert title_for(None, "OPP 2026.pdf") == "OPP 2026"
    assert title_for("  Besluit  ", "x.pdf") == "Besluit"
    assert len(title_for(None, "a" * 250 + ".pdf")) == 200  # a long file name still makes a title that fits


def test_a_download_always_ends_in_the_extension_of_its_recognised_type():
    assert download_name("opp.pdf", "OPP", ".pdf") == "opp.pdf"
    assert download_name("opp.exe", "OPP", ".pdf") == "opp.pdf"
    assert download_name("scan.jpeg", "Scan", ".jpg") == "scan.jpeg"
    assert download_name("notitie", "Notitie", ".txt") == "notitie.txt"


def test_the_download_header_carries_an_ascii_fallback_and_the_exact_name():
    header = content_disposition('Zoë "OPP".pdf')
    assert header.startswith('attachment; filename="Zoe _OPP_.pdf"')
    assert header.endswith("filename*=UTF-8''Zo%C3%AB%20%22OPP%22.pdf")


def _zip(first: str, data: bytes, compression: int = zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(first), data, compress_type=compression)
    return buffer


@pytest.mark.parametrize(("data", "expected"), [
    (b"%PDF-1.7\n...", PDF),
    (b"Beste ouders,\r\nHierbij...\f", TEXT),
    ("Ærø, Łódź en Zoë".encode(), TEXT),
    (b"MZ\x90\x00", None),
    (b"\x7fELF\x02\x01\x01", None),
    (b"<html><body>", None),
    (b"  <?xml version='1.0'?><svg/>", None),
    (b"#!/usr/bin/env python", None),
    (b"\xef\xbb\xbf<script>", None),
    (b"\xff\xfe\x00\x00", None),
    (b"latin-1 caf\xe9", None),
    (b"", None),
])
def test_content_is_recognised_by_its_bytes(data, expected):
    assert recognise(io.BytesIO(data)) == expected


def test_a_zip_is_a_document_only_when_it_says_so_inside():
    assert recognise(_zip("mimetype", ODT.encode(), zipfile.ZIP_STORED)) == ODT
    assert recognise(_zip("mimetype", ODT.encode(), zipfile.ZIP_DEFLATED)) is None  # ODF stores it uncompressed
    assert recognise(_zip("mimetype", b"application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)) is None
    assert recognise(_zip("payload.exe", b"MZ")) is None
    word = (b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override '
            b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'wordprocessingml.document.main+xml"/></Types>')
    assert recognise(_zip("[Content_Types].xml", word)) == DOCX
    macro = word.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    assert recognise(_zip("[Content_Types].xml", macro)) is None
    entity = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + word
    assert recognise(_zip("[Content_Types].xml", entity)) is None
    assert recognise(io.BytesIO(b"PK\x03\x04 broken")) is None
