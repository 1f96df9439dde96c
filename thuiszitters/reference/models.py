"""Reference data every case points to."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thuiszitters.extensions import db

SCHOOL_TYPES = ("po", "sbo", "so", "vo", "vso", "pro", "mbo")
SECTORS = ("po", "vo")


class Swv(db.Model):
    """A samenwerkingsverband passend onderwijs."""

    __tablename__ = "swv"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(2))
    email: Mapped[str | None] = mapped_column(String(254))

    def __repr__(self) -> str:
        return f"<Swv {self.code}>"


class Gemeente(db.Model):
    __tablename__ = "gemeente"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<Gemeente {self.code}>"


class School(db.Model):
    """A school vestiging, identified by BRIN + vestiging number (e.g. 07NU00)."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    brin: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    school_type: Mapped[str] = mapped_column(String(3))
    swv_id: Mapped[int | None] = mapped_column(ForeignKey("swv.id"), index=True)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)

    swv: Mapped[Swv | None] = relationship()
    gemeente: Mapped[Gemeente | None] = relationship()

    def __repr__(self) -> str:
        return f"<School {self.brin}>"
