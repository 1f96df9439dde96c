"""The checks of a case's own fields, shared by registering and editing a case (cases.services).

They look up the codes typed (swv, gemeente, school), read the pupil's data (names, BSN 11-proef, the dates) and
collect every problem in one `Problems`, so a form or request hears of all of them at once. Nothing here changes
data; the services raise the collected problems as one ValidationFailed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select

from thuiszitters.accounts.models import User
from thuiszitters.cases.models import Case
from thuiszitters.errors import InvalidParam, ValidationFailed
from thuiszitters.escalation import lifecycle, spec
from thuiszitters.escalation.terms import Terms
from thuiszitters.escalation.validation import Violation, validate_case_dates
from thuiszitters.extensions import db
from thuiszitters.identifiers import InvalidIdentifier, clean_person_name, normalize_brin, normalize_bsn
from thuiszitters.reference.models import Gemeente, School, Swv

CASE_FIELDS = (
    "first_name", "last_name", "date_of_birth", "bsn", "gemeente_code", "school_brin", "absence_kind",
    "out_of_school_since", "note",
)


def terms() -> Terms:
    return Terms.from_config(current_app.config.get("TERMS", {}))


@dataclass
class CaseInput:
    """A new case, as typed values (the API and the forms parse strings into this).

    ``status`` "signaal" registers a dreigend thuiszitter without a first day out of school; "open" (the default)
    needs ``out_of_school_since``.
    """

    first_name: str
    last_name: str
    date_of_birth: date
    gemeente_code: str
    swv_code: str
    absence_kind: str
    out_of_school_since: date | None
    bsn: str | None = None
    school_brin: str | None = None
    note: str | None = None
    status: str = lifecycle.OPEN


@dataclass
class Problems:
    """Collects invalid fields so a form or request reports them all at once."""

    items: list[InvalidParam] = field(default_factory=list)

    def add(self, name: str, code: str, reason: str) -> None:
        self.items.append(InvalidParam(name, code, reason))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(self.items)


# --- lookups -------------------------------------------------------------------------------------------


def _coded(model: type[Swv] | type[Gemeente], code: str | None, problems: Problems, name: str, *,
           missing: str, unknown: tuple[str, str]) -> Any:
    """The swv or gemeente with this code; a blank code is `missing`, one that is not there `unknown` (its code and
    the start of its message, which ends on the code as typed)."""
    code = (code or "").strip()
    if not code:
        problems.add(name, "required", missing)
        return None
    found = db.session.scalar(select(model).where(model.code == code.upper()))
    if found is None:
        problems.add(name, unknown[0], f"{unknown[1]}: {code}")
    return found


def swv_named(code: str | None, problems: Problems, name: str = "swv_code") -> Swv | None:
    return _coded(Swv, code, problems, name, missing="Kies het samenwerkingsverband.",
                  unknown=("unknown_swv", "Onbekend samenwerkingsverband"))


def gemeente_named(code: str | None, problems: Problems, name: str = "gemeente_code") -> Gemeente | None:
    return _coded(Gemeente, code, problems, name, missing="Kies de gemeente waar de leerling woont.",
                  unknown=("unknown_gemeente", "Onbekende gemeente"))


def school_named(brin: str | None, problems: Problems, name: str = "school_brin") -> School | None:
    if not brin:
        return None
    try:
        normalised = normalize_brin(brin)
    except InvalidIdentifier as exc:
        problems.add(name, exc.code, exc.message)
        return None
    school = db.session.scalar(select(School).where(School.brin == normalised))
    if school is None:
        problems.add(name, "unknown_school", f"Onbekende school (BRIN): {normalised}")
    return school


def report(problems: Problems, violations: list[Violation]) -> None:
    for violation in violations:
        problems.add(violation.field or "step", violation.code, violation.message)


def _validate_pupil(problems: Problems, *, first_name: str, last_name: str, date_of_birth: date | None,
                    out_of_school_since: date | None, bsn: str | None, absence_kind: str,
                    today: date) -> str | None:
    if not (first_name or "").strip():
        problems.add("first_name", "required", "Vul de voornaam van de leerling in.")
    elif len(first_name) > 100:
        problems.add("first_name", "too_long", "De voornaam is langer dan 100 tekens.")
    if not (last_name or "").strip():
        problems.add("last_name", "required", "Vul de achternaam van de leerling in.")
    elif len(last_name) > 150:
        problems.add("last_name", "too_long", "De achternaam is langer dan 150 tekens.")
    if absence_kind not in spec.ABSENCE_KINDS:
        problems.add("absence_kind", "unknown_value", "Kies een soort verzuim uit de lijst.")
    if date_of_birth is None:
        problems.add("date_of_birth", "required", "Vul de geboortedatum van de leerling in.")
    for violation in validate_case_dates(out_of_school_since, date_of_birth, today, terms()):
        problems.add(violation.field, violation.code, violation.message)
    if bsn:
        try:
            return normalize_bsn(bsn)
        except InvalidIdentifier as exc:
            problems.add("bsn", exc.code, exc.message)
    return None


@dataclass
class CheckedCase:
    """What the checks of a new case or an edit looked up and normalised, for the change that follows."""

    problems: Problems
    values: dict[str, Any]
    swv: Swv | None = None
    gemeente: Gemeente | None = None
    school: School | None = None
    bsn: str | None = None


def checked_new_case(data: CaseInput, actor: User, today: date) -> CheckedCase:
    problems = Problems()
    swv = swv_named(data.swv_code, problems)
    if swv is not None and swv.id not in actor.swv_ids:
        problems.add("swv_code", "outside_scope", "U kunt alleen casussen van uw eigen samenwerkingsverband aanmaken.")
    gemeente = gemeente_named(data.gemeente_code, problems)
    school = school_named(data.school_brin, problems)
    # Names are stored without invisible characters (a right-to-left override could make one pose as another).
    first_name, last_name = clean_person_name(data.first_name or ""), clean_person_name(data.last_name or "")
    if data.status not in (lifecycle.OPEN, lifecycle.SIGNAAL):
        problems.add("status", "unknown_value", "Een nieuwe casus is open of een signaal.")
    elif data.status == lifecycle.OPEN and data.out_of_school_since is None:
        problems.add("out_of_school_since", "required",
                     "Vul de eerste dag in waarop de leerling niet naar school ging, of registreer een signaal.")
    elif data.status == lifecycle.SIGNAAL and data.out_of_school_since is not None:
        problems.add("out_of_school_since", "signal_has_no_first_day",
                     "Een signaal (dreigend thuiszitter) heeft nog geen eerste dag thuis. Laat de datum leeg, of "
                     "registreer een open casus als de leerling al thuiszit.")
    bsn = _validate_pupil(
        problems, first_name=first_name, last_name=last_name, date_of_birth=data.date_of_birth,
        out_of_school_since=data.out_of_school_since, bsn=data.bsn, absence_kind=data.absence_kind, today=today,
    )
    return CheckedCase(problems, {"first_name": first_name, "last_name": last_name}, swv, gemeente, school, bsn)


def checked_case_update(case: Case, values: dict[str, Any], today: date) -> CheckedCase:
    unknown = set(values) - set(CASE_FIELDS)
    problems = Problems()
    for name in sorted(unknown):
        problems.add(name, "not_editable", f"Het veld {name} kan hier niet worden gewijzigd.")
    merged = {
        "first_name": case.pupil.first_name, "last_name": case.pupil.last_name,
        "date_of_birth": case.pupil.date_of_birth, "bsn": case.pupil.bsn,
        "absence_kind": case.absence_kind, "out_of_school_since": case.out_of_school_since,
        **{k: v for k, v in values.items() if k in CASE_FIELDS},
    }
    for name in ("first_name", "last_name"):
        merged[name] = clean_person_name(merged[name] or "")
    gemeente = gemeente_named(values["gemeente_code"], problems) if "gemeente_code" in values else case.gemeente
    school = school_named(values.get("school_brin"), problems) if "school_brin" in values else case.school
    if case.status == lifecycle.OPEN and merged["out_of_school_since"] is None:
        problems.add("out_of_school_since", "required",
                     "Vul de eerste dag in waarop de leerling niet naar school ging.")
    bsn = _validate_pupil(
        problems, first_name=merged["first_name"], last_name=merged["last_name"],
        date_of_birth=merged["date_of_birth"], out_of_school_since=merged["out_of_school_since"],
        bsn=merged["bsn"], absence_kind=merged["absence_kind"], today=today,
    )
    return CheckedCase(problems, merged, case.swv, gemeente, school, bsn)


