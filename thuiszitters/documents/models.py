"""A document on a case and its bytes, stored in the database so that every app server reaches them.

The bytes are split over `DocumentChunk` rows of at most `services.CHUNK_BYTES` each: a file goes in and comes out
one chunk at a time, so neither an upload nor a download holds a whole file in memory, and no database driver
has to move one value of 20 MB.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thuiszitters.accounts.models import User
from thuiszitters.extensions import UTCDateTime, db


class Document(db.Model):
    """A file on a case, described by its kind, title and date. Never changed after upload; removed with a reason."""

    __tablename__ = "case_document"
    __table_args__ = (
        # The case page and the API list a case's documents, newest document date first.
        Index("ix_case_document_case_date", "case_id", "document_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    # The name the file had when it was uploaded (checked: no path, no control characters).
    file_name: Mapped[str] = mapped_column(String(255))
    # Recognised from the content (documents/content.py), never taken from the client.
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    document_date: Mapped[date | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    uploaded_by: Mapped[User | None] = relationship()


class DocumentChunk(db.Model):
    """One piece of a document's bytes; `seq` counts from 0. Deleted with its document (and its case)."""

    __tablename__ = "case_document_chunk"

    document_id: Mapped[int] = mapped_column(ForeignKey("case_document.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
