"""Stored monthly inspectie exports."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thuiszitters.extensions import UTCDateTime, db


class ExportRun(db.Model):
    __tablename__ = "export_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    case_count: Mapped[int] = mapped_column(default=0)

    files: Mapped[list[ExportFile]] = relationship(
        back_populates="run", order_by="ExportFile.name", cascade="all, delete-orphan"
    )


class ExportFile(db.Model):
    __tablename__ = "export_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("export_run.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]

    run: Mapped[ExportRun] = relationship(back_populates="files")
