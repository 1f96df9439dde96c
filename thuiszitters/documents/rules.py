"""The rules of a case's documents, pure: the kinds, what a file name and a title may be, who may remove one, and
how a download names its file.

No Flask, no database: tested in tests/unit/test_document_rules.py.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import quote

from thuiszitters.cases.labels import DOCUMENT_KIND_LABELS
from thuiszitters.errors import InvalidParam
from thuiszitters.permissions import Account, Capability, can

# DOMAIN.md, "Documenten": the kinds, in the order the form offers them, with their Dutch names (written once, in
# cases/labels.py, where the case's timeline reads them too).
DOCUMENT_KINDS: dict[str, str] = DOCUMENT_KIND_LABELS

TITLE_MAX_LENGTH = 200
FILE_NAME_MAX_LENGTH = 255
REASON_MAX_LENGTH = 500

# Characters a file name must not hold: path separators (a name is a name, not a place), control characters (C0,
# DEL and C1) and invisible format characters (a right-to-left override makes "gpj.exe" read as "exe.jpg").
_PATH_SEPARATORS = frozenset("/\\")
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _has_unsafe_character(text: str) -> bool:
    return any(unicodedata.category(char) in _UNSAFE_CATEGORIES for char in text)


def file_name_problems(file_name: str | None, field: str = "file") -> list[InvalidParam]:
    """What is wrong with the name a file was uploaded with (nothing for a plain name like ``OPP 2026.pdf``).

    Refused rather than repaired: a name with a path, control characters or invisible characters says the file
    did not come from a person choosing a document, and the user can rename it."""
    name = file_name or ""
    if not name.strip():
        return [InvalidParam(field, "file_name_required", "Het bestand heeft geen naam. Geef het een naam en "
                                                           "probeer het opnieuw.")]
    if any(char in _PATH_SEPARATORS for char in name) or name.strip() in {".", ".."}:
        return [InvalidParam(field, "file_name_path", "De bestandsnaam bevat een map of pad (/ of \\). Kies het "
                                                       "bestand zelf, met alleen zijn naam.")]
    if _has_unsafe_character(name):
        return [InvalidParam(field, "file_name_control_characters", "De bestandsnaam bevat onzichtbare of "
                                                                     "stuurtekens. Geef het bestand een gewone naam.")]
    if len(name) > FILE_NAME_MAX_LENGTH:
        return [InvalidParam(field, "file_name_too_long", f"De bestandsnaam is langer dan {FILE_NAME_MAX_LENGTH} "
                                                           "tekens. Geef het bestand een kortere naam.")]
    return []


def title_for(title: str | None, file_name: str) -> str:
    """The title a document gets: the one given (trimmed), else its file name without the extension."""
    given = (title or "").strip()
    from_name = PurePosixPath(file_name.strip()).stem.strip() or file_name.strip()
    return given or from_name[:TITLE_MAX_LENGTH].strip()


def document_problems(*, kind: str | None, title: str | None, document_date: date | None,
                      today: date) -> list[InvalidParam]:
    """What is wrong with the description of a document (its kind, title and date), all at once."""
    problems = []
    if not kind:
        problems.append(InvalidParam("kind", "required", "Kies de soort document."))
    elif kind not in DOCUMENT_KINDS:
        problems.append(InvalidParam("kind", "unknown_value", "Kies een soort document uit de lijst."))
    if title is not None and len(title.strip()) > TITLE_MAX_LENGTH:
        problems.append(InvalidParam("title", "too_long", f"De titel is langer dan {TITLE_MAX_LENGTH} tekens."))
    elif title is not None and _has_unsafe_character(title):
        problems.append(InvalidParam("title", "control_characters", "De titel bevat onzichtbare of stuurtekens."))
    if document_date is not None and document_date > today:
        problems.append(InvalidParam("document_date", "future_date",
                                     "De datum van het document ligt in de toekomst."))
    return problems


def reason_problems(reason: str | None) -> list[InvalidParam]:
    """A removal needs a reason (it stays beside the audit trail); at most REASON_MAX_LENGTH characters."""
    text = (reason or "").strip()
    if not text:
        return [InvalidParam("reason", "required", "Vul de reden in waarom het document weg moet.")]
    if len(text) > REASON_MAX_LENGTH:
        return [InvalidParam("reason", "too_long", f"De reden is langer dan {REASON_MAX_LENGTH} tekens.")]
    return []


def may_remove_any_kind(user: Account) -> bool:
    """Whether the user may remove documents at all (any, or only its own): the check before loading one."""
    return can(user, Capability.REMOVE_DOCUMENTS) or can(user, Capability.REMOVE_OWN_DOCUMENTS)


def may_remove(user: Account, uploaded_by_id: int | None, user_id: int) -> bool:
    """A coordinator removes any document of a case in scope; who may remove only its own (leerplicht) removes
    what it uploaded itself."""
    if can(user, Capability.REMOVE_DOCUMENTS):
        return True
    return can(user, Capability.REMOVE_OWN_DOCUMENTS) and uploaded_by_id is not None and uploaded_by_id == user_id


# --- the download's name ---------------------------------------------------------------------------------------

_ASCII_UNSAFE = re.compile(r'[^A-Za-z0-9 ._()+,-]')


def download_name(file_name: str, title: str, extension: str) -> str:
    """The name a download is saved under: the stored file name (already checked), or the title, ending in the
    extension of the type recognised, so that a file always opens with the right program."""
    name = (file_name or title or "document").strip()
    name = "".join(" " if char in _PATH_SEPARATORS or _has_unsafe_character(char) else char for char in name)
    stem = name[: -len(PurePosixPath(name).suffix)] if PurePosixPath(name).suffix else name
    if PurePosixPath(name).suffix.lower() != extension and not (extension == ".jpg" and name.lower().endswith(".jpeg")):
        name = f"{stem or 'document'}{extension}"
    return name.strip(" .") or f"document{extension}"


def content_disposition(name: str) -> str:
    """``attachment`` with the name for every browser (RFC 6266): an ASCII fallback in ``filename`` (quotes,
    backslashes and non-ASCII replaced) and the exact name, percent-encoded UTF-8, in ``filename*`` (RFC 8187)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = _ASCII_UNSAFE.sub("_", folded).strip(" .") or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
