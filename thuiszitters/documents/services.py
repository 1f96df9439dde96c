"""Documents on a case: storing a file while it streams in, reading it back out in chunks, removing it.

Each change and each read writes its audit event in the same transaction (a download is a read of personal data:
it is in the processing log). The trail names the document by id, its kind, type and size; never its title or
file name, which often hold the pupil's name. Services never commit and never see the request.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from sqlalchemy import delete, insert, select

from thuiszitters.accounts.models import User
from thuiszitters.audit.services import read_activity, record
from thuiszitters.cases.models import Case
from thuiszitters.clock import now_utc
from thuiszitters.documents import content
from thuiszitters.documents.models import Document, DocumentChunk
from thuiszitters.documents.rules import (
    document_problems,
    file_name_problems,
    may_remove,
    may_remove_any_kind,
    reason_problems,
    title_for,
)
from thuiszitters.errors import FileTooLarge, Forbidden, InvalidParam, NotFound, UnsupportedFileType, ValidationFailed
from thuiszitters.extensions import db
from thuiszitters.permissions import Capability, require

# One row of bytes: small enough that neither the app nor a database driver holds much at a time, large enough
# that a 20 MB file is twenty rows.
CHUNK_BYTES = 1024 * 1024
FILE_FIELD = "file"


@dataclass(frozen=True)
class DocumentInput:
    """An upload as the edge read it: the description, and the file as a seekable binary stream (or None)."""

    kind: str | None
    title: str | None
    document_date: date | None
    file_name: str | None
    stream: BinaryIO | None


def _size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    return stream.tell()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _file_problems(data: DocumentInput, max_bytes: int) -> tuple[list[InvalidParam], type[ValidationFailed]]:
    """What is wrong with the file itself, and the refusal it makes (413 too large, 415 not an allowed type)."""
    if data.stream is None:
        return [InvalidParam(FILE_FIELD, "required", "Kies een bestand.")], ValidationFailed
    problems = file_name_problems(data.file_name, FILE_FIELD)
    size = _size(data.stream)
    if size == 0:
        return [*problems, InvalidParam(FILE_FIELD, "empty", "Het bestand is leeg (0 bytes). Kies het bestand met "
                                                             "de inhoud.")], ValidationFailed
    if size > max_bytes:
        return [*problems, InvalidParam(FILE_FIELD, "too_large", f"Het bestand is {_megabytes(size)}; een document "
                                        f"mag hoogstens {_megabytes(max_bytes)} zijn.")], FileTooLarge
    if content.recognise(data.stream) is None:
        return [*problems, InvalidParam(FILE_FIELD, "unsupported_type", "Dit soort bestand kan niet worden "
                                        f"opgeslagen. Toegestaan zijn {content.TYPE_NAMES}.")], UnsupportedFileType
    return problems, ValidationFailed


def upload_problems(data: DocumentInput, *, today: date,
                    max_bytes: int) -> tuple[list[InvalidParam], type[ValidationFailed]]:
    """Everything wrong with an upload at once, and the refusal it makes (ValidationFailed, FileTooLarge or
    UnsupportedFileType). Reads the file's head (and a text file through) to recognise it; changes nothing."""
    problems = document_problems(kind=data.kind, title=data.title, document_date=data.document_date, today=today)
    file_problems, refusal = _file_problems(data, max_bytes)
    return [*problems, *file_problems], refusal


def add_document(user: User, case: Case, data: DocumentInput, *, today: date, max_bytes: int) -> Document:
    """Store the uploaded file on the case (every wrong field refused at once, nothing half-saved) and log it."""
    require(user, Capability.ADD_DOCUMENTS)
    problems, refusal = upload_problems(data, today=today, max_bytes=max_bytes)
    if problems:
        raise refusal(problems)
    assert data.stream is not None and data.file_name is not None
    media_type = content.recognise(data.stream)
    assert media_type is not None
    document = Document(case_id=case.id, kind=data.kind, title=title_for(data.title, data.file_name),
                        file_name=data.file_name.strip(), media_type=media_type, size=0, sha256="",
                        document_date=data.document_date, uploaded_by_id=user.id, uploaded_at=now_utc())
    db.session.add(document)
    db.session.flush()
    digest, size, seq = hashlib.sha256(), 0, 0
    data.stream.seek(0)
    # One chunk in memory at a time: written with a plain insert, so the session keeps no copy of it.
    while chunk := data.stream.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
        db.session.execute(insert(DocumentChunk), [{"document_id": document.id, "seq": seq, "data": chunk}])
        seq += 1
    document.size, document.sha256 = size, digest.hexdigest()
    record("document.upload", actor_id=user.id, activity=read_activity(user.role), case_id=case.id,
           object_type="document", object_id=document.id,
           changes={"kind": [None, document.kind], "media_type": [None, media_type], "size": [None, size]})
    db.session.flush()
    return document


def case_documents(user: User, case: Case) -> list[Document]:
    """The documents of a case the user sees, newest first; a list that names any is logged as a read (their titles
    often name the pupil), on the case page as in the API."""
    require(user, Capability.READ_DOCUMENTS)
    documents = list(db.session.scalars(
        select(Document).where(Document.case_id == case.id)
        .order_by(Document.document_date.desc().nulls_last(), Document.id.desc())))
    if documents:
        record("document.list", actor_id=user.id, activity=read_activity(user.role), case_id=case.id,
               object_type="case", object_id=case.id)
    return documents


def get_document(case: Case, document_id: int) -> Document:
    """The document of this case, NotFound for one of another case (the case itself was loaded in scope)."""
    document = db.session.scalar(select(Document).where(Document.id == document_id, Document.case_id == case.id))
    if document is None:
        raise NotFound()
    return document


def read_document(user: User, case: Case, document_id: int) -> Document:
    """The document to download, its read logged (the processing log shows every download)."""
    require(user, Capability.READ_DOCUMENTS)
    document = get_document(case, document_id)
    record("document.read", actor_id=user.id, activity=read_activity(user.role), case_id=case.id,
           object_type="document", object_id=document.id)
    return document


def document_chunk(document_id: int, seq: int) -> bytes | None:
    """Piece `seq` of the document's bytes (None past the last): a download reads one piece per query, so it never
    holds the whole file."""
    chunk = db.session.scalar(select(DocumentChunk.data).where(DocumentChunk.document_id == document_id,
                                                               DocumentChunk.seq == seq))
    return None if chunk is None else bytes(chunk)


def remove_document(user: User, case: Case, document_id: int, reason: str | None) -> None:
    """Remove a document with a reason (kept beside the audit trail, like other reasons); its bytes go with it."""
    if not may_remove_any_kind(user):
        raise Forbidden()
    document = get_document(case, document_id)
    if not may_remove(user, document.uploaded_by_id, user.id):
        raise Forbidden("U kunt alleen documenten verwijderen die u zelf heeft toegevoegd.")
    problems = reason_problems(reason)
    if problems:
        raise ValidationFailed(problems)
    record("document.remove", actor_id=user.id, activity=read_activity(user.role), case_id=case.id,
           object_type="document", object_id=document.id,
           changes={"kind": [document.kind, None], "size": [document.size, None]}, reason=(reason or "").strip())
    db.session.execute(delete(DocumentChunk).where(DocumentChunk.document_id == document.id))
    db.session.delete(document)
    db.session.flush()


def delete_case_documents(case_id: int) -> int:
    """Delete every document of a case with its bytes (retention); how many there were. Does not log or commit."""
    ids = list(db.session.scalars(select(Document.id).where(Document.case_id == case_id)))
    if ids:
        db.session.execute(delete(DocumentChunk).where(DocumentChunk.document_id.in_(ids)))
        db.session.execute(delete(Document).where(Document.id.in_(ids)))
    return len(ids)
