"""Importing reference data from CSV: all rows or none."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from thuiszitters.audit.services import ACTIVITY_ADMIN, record
from thuiszitters.extensions import db
from thuiszitters.identifiers import (
    InvalidIdentifier,
    normalize_brin,
    normalize_email,
    normalize_gemeente_code,
    normalize_swv_code,
)
from thuiszitters.reference.models import SCHOOL_TYPES, SECTORS, Gemeente, School, Swv

# The columns of each kind, in the documented order (docs/reference-data.md).
COLUMNS = {
    "swv": ("code", "name", "sector", "email"),
    "gemeente": ("code", "name"),
    "school": ("brin", "name", "school_type", "swv_code", "gemeente_code"),
}
OPTIONAL = {"email", "swv_code", "gemeente_code"}


class ImportRefused(Exception):
    """The file has bad rows; nothing was imported. `problems` lists (line, message)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"regel {line}: {message}" for line, message in problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _reader(text: str) -> csv.DictReader:
    first_line = text.splitlines()[0] if text else ""
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def import_csv(kind: str, text: str, *, actor_id: int | None = None) -> ImportResult:
    """Validate every row first, then upsert them by code. A bad row refuses the whole file."""
    if kind not in COLUMNS:
        raise ImportRefused([(0, f"onbekende soort {kind!r}; kies uit {', '.join(COLUMNS)}")])
    text = text.lstrip("\ufeff")
    reader = _reader(text)
    header = [name.strip() for name in (reader.fieldnames or [])]
    required = [c for c in COLUMNS[kind] if c not in OPTIONAL]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRefused([(1, f"kolommen ontbreken: {', '.join(missing)}")])

    swvs = {s.code: s for s in db.session.scalars(select(Swv))}
    gemeenten = {g.code: g for g in db.session.scalars(select(Gemeente))}
    problems: list[tuple[int, str]] = []
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for line_no, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        try:
            cleaned = _clean(kind, row, swvs, gemeenten)
        except (ValueError, InvalidIdentifier) as exc:
            problems.append((line_no, str(getattr(exc, "message", exc))))
            continue
        key = cleaned["code"] if "code" in cleaned else cleaned["brin"]
        if key in seen:
            problems.append((line_no, f"{key} staat twee keer in het bestand"))
        seen.add(key)
        rows.append(cleaned)
    if problems:
        raise ImportRefused(problems)

    created = updated = 0
    for row in rows:
        obj = _upsert(kind, row, swvs, gemeenten)
        if obj is None:
            updated += 1
        else:
            created += 1
    db.session.flush()
    record(f"refdata.import.{kind}", actor_id=actor_id, activity=ACTIVITY_ADMIN,
           changes={"created": created, "updated": updated})
    return ImportResult(created=created, updated=updated)


def _require(row: dict[str, str], name: str, max_len: int) -> str:
    value = row.get(name, "")
    if not value:
        raise ValueError(f"{name} is leeg")
    if len(value) > max_len:
        raise ValueError(f"{name} is langer dan {max_len} tekens")
    return value


def _clean(kind: str, row: dict[str, str], swvs: dict, gemeenten: dict) -> dict[str, str]:
    if kind == "swv":
        sector = _require(row, "sector", 2).lower()
        if sector not in SECTORS:
            raise ValueError(f"sector moet po of vo zijn, niet {sector!r}")
        code = normalize_swv_code(_require(row, "code", 16))
        if code[:2].lower() != sector:
            raise ValueError(f"code {code} past niet bij sector {sector}")
        email = row.get("email", "")
        if email:
            try:
                email = normalize_email(email)
            except InvalidIdentifier as exc:
                raise ValueError(f"e-mailadres {email!r}: {exc.message}") from None
        return {"code": code, "name": _require(row, "name", 200), "sector": sector, "email": email}
    if kind == "gemeente":
        return {"code": normalize_gemeente_code(_require(row, "code", 6)), "name": _require(row, "name", 120)}
    school_type = _require(row, "school_type", 3).lower()
    if school_type not in SCHOOL_TYPES:
        raise ValueError(f"schoolsoort {school_type!r} is onbekend; kies uit {', '.join(SCHOOL_TYPES)}")
    swv_code = row.get("swv_code", "")
    if swv_code:
        swv_code = normalize_swv_code(swv_code)
        if swv_code not in swvs:
            raise ValueError(f"samenwerkingsverband {swv_code} bestaat niet")
    gemeente_code = row.get("gemeente_code", "")
    if gemeente_code:
        gemeente_code = normalize_gemeente_code(gemeente_code)
        if gemeente_code not in gemeenten:
            raise ValueError(f"gemeente {gemeente_code} bestaat niet")
    return {
        "brin": normalize_brin(_require(row, "brin", 6)),
        "name": _require(row, "name", 200),
        "school_type": school_type,
        "swv_code": swv_code,
        "gemeente_code": gemeente_code,
    }


def _upsert(kind: str, row: dict[str, str], swvs: dict, gemeenten: dict):
    """Create or update one row; returns the new object, or None when an existing one was updated."""
    if kind == "swv":
        existing = swvs.get(row["code"])
        if existing:
            existing.name, existing.sector, existing.email = row["name"], row["sector"], row["email"] or None
            return None
        obj = Swv(code=row["code"], name=row["name"], sector=row["sector"], email=row["email"] or None)
        swvs[obj.code] = obj
    elif kind == "gemeente":
        existing = gemeenten.get(row["code"])
        if existing:
            existing.name = row["name"]
            return None
        obj = Gemeente(code=row["code"], name=row["name"])
        gemeenten[obj.code] = obj
    else:
        existing = db.session.scalar(select(School).where(School.brin == row["brin"]))
        target = existing or School(brin=row["brin"])
        target.name, target.school_type = row["name"], row["school_type"]
        target.swv = swvs.get(row["swv_code"]) if row["swv_code"] else None
        target.gemeente = gemeenten.get(row["gemeente_code"]) if row["gemeente_code"] else None
        if existing:
            return None
        obj = target
    db.session.add(obj)
    return obj
