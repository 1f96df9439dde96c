"""What a file is, judged by its content alone: the allowed kinds of document and nothing else.

The name a user gave a file and the type a browser or client declared are not evidence (a renamed executable
claims to be a PDF just as well). `recognise` reads the bytes and answers one of the allowed media types, or None:

| type | recognised by |
|---|---|
| PDF | starts with ``%PDF-`` and a version digit |
| PNG | the 8-byte PNG signature followed by the IHDR chunk |
| JPEG | starts with the SOI marker ``FF D8 FF`` |
| DOCX | a ZIP whose ``[Content_Types].xml`` names the WordprocessingML main document (not the macro variant) |
| ODT | a ZIP whose first entry is ``mimetype``, stored, holding ``application/vnd.oasis.opendocument.text`` |
| plain text | valid UTF-8 throughout, no control characters but tab, line breaks and form feed, and not markup or a
|            | script (HTML, XML/SVG or a ``#!`` line: those are code a browser or shell would run, whatever the name) |

Everything else (an executable, a ZIP that is no Word document, a spreadsheet, HTML named ``.pdf``) is refused.
Four of the six are a fixed signature of a few bytes, so no library is needed for them; the two that are ZIP
containers need a look inside, which no signature library does reliably (they guess from the first entry's name),
so `office_type` does it here with the standard library's `zipfile`, reading at most a small, bounded part of the
archive. Pure: a seekable binary file in, a media type out; no Flask, no database.
"""
from __future__ import annotations

import codecs
import re
import zipfile
from typing import BinaryIO
from xml.etree import ElementTree

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain; charset=utf-8"

# The types a document may have, with the extension a download gets when its name has none of its own.
ALLOWED_TYPES: dict[str, str] = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt", JPEG: ".jpg", PNG: ".png", TEXT: ".txt"}
# How the types read to a user (the upload form's hint, the refusal).
TYPE_NAMES = "PDF, Word (DOCX), OpenDocument-tekst (ODT), JPEG, PNG of platte tekst"

HEAD_BYTES = 1024  # what the signatures and the markup check look at
READ_CHUNK = 64 * 1024

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDF_HEADER = re.compile(rb"%PDF-[12]\.")
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CONTENT_TYPES = "[Content_Types].xml"
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# A [Content_Types].xml is a few kilobytes; more (or a ZIP bomb behind its name) is not a Word document.
_MAX_CONTENT_TYPES_BYTES = 256 * 1024
_MAX_ZIP_ENTRIES = 10_000

# Text a browser would treat as a page or an image with script (the WHATWG MIME sniffing patterns for HTML, and
# XML), or a shell would run. Checked at the start of the text, after white space and a byte order mark.
_MARKUP_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|object|embed"
    rb"|meta|link|base|form|img|!--)(?:[\s>/]|$)|<\?xml",
    re.IGNORECASE,
)
# Control characters that do not occur in text a person wrote (tab, LF, CR and form feed do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _head(stream: BinaryIO) -> bytes:
    stream.seek(0)
    return stream.read(HEAD_BYTES)


def office_type(stream: BinaryIO) -> str | None:
    """DOCX or ODT when the seekable `stream` is a ZIP that is one of them, None otherwise (also for a broken,
    encrypted or oversized archive). Reads only the archive's directory and one small entry."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if not entries or len(entries) > _MAX_ZIP_ENTRIES:
                return None
            first = entries[0]
            if first.filename == "mimetype":
                # ODF: the first entry, stored uncompressed, so that the type can be read at a fixed offset.
                if first.compress_type != zipfile.ZIP_STORED or first.file_size > 100:
                    return None
                return ODT if archive.read(first).strip() == ODT.encode() else None
            names = {entry.filename: entry for entry in entries}
            manifest = names.get(_CONTENT_TYPES)
            if manifest is None or manifest.file_size > _MAX_CONTENT_TYPES_BYTES:
                return None
            with archive.open(manifest) as handle:
                xml = handle.read(_MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, KeyError, RuntimeError,
            NotImplementedError):
        return None
    return DOCX if _names_word_main_part(xml) else None


def _names_word_main_part(xml: bytes) -> bool:
    """Whether a [Content_Types].xml declares a WordprocessingML main document (an Override whose ContentType is
    exactly the .docx main part; the macro-enabled .docm declares another type and is refused)."""
    if len(xml) > _MAX_CONTENT_TYPES_BYTES or b"<!DOCTYPE" in xml.upper() or b"<!ENTITY" in xml.upper():
        return False  # a package manifest has no document type declaration: no entities to expand
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 - bounded size, no DTD (checked above)
    except ElementTree.ParseError:
        return False
    if root.tag != f"{_CONTENT_TYPES_NS}Types":
        return False
    return any(element.get("ContentType") == _WORD_MAIN for element in root.iter(f"{_CONTENT_TYPES_NS}Override"))


def is_plain_text(stream: BinaryIO) -> bool:
    """Valid UTF-8 from the first byte to the last, no stray control characters, and no markup or script at its
    start. Reads the whole stream in chunks (never all at once)."""
    head = _head(stream).removeprefix(codecs.BOM_UTF8).lstrip()
    if _MARKUP_START.match(head) or head.startswith(b"#!"):
        return False
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        while chunk := stream.read(READ_CHUNK):
            if _CONTROL.search(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def recognise(stream: BinaryIO) -> str | None:
    """The allowed media type of the file in the seekable `stream`, judged by its content; None when it is none of
    them. The stream's position is left undefined."""
    head = _head(stream)
    if _PDF_HEADER.match(head):
        return PDF
    if head.startswith(_PNG_SIGNATURE) and head[12:16] == b"IHDR":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_ZIP_LOCAL_HEADER):
        return office_type(stream)
    if head and is_plain_text(stream):
        return TEXT
    return None
