"""Building, storing and handing out the monthly inspectie export.

The builder (`thuiszitters.exports.builder`) is pure; this module feeds it from the database and keeps the
record. `export_cases` streams the cases of all swv's in id order, a batch at a time (keyset pagination), so
memory does not grow with the number of cases. It reads only what `builder.ExportCase` holds: no names, BSN,
full date of birth or notes ever leave the database here.

Exports are stored under ``EXPORT_DIR/<month>/`` plus an `ExportRun` row with one `ExportFile` row per file.
"""
from __future__ import annotations

import shutil
from collections import defaultdict, namedtuple
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from flask import current_app
from sqlalchemy import Row, or_, select

from thuiszitters import parsing
from thuiszitters.audit.models import AuditEvent
from thuiszitters.audit.services import ACTIVITY_INSPECTIE, record
from thuiszitters.cases.models import Case, Pupil, Step
from thuiszitters.cases.services import terms
from thuiszitters.clock import local_midnight_utc, now_utc, to_local
from thuiszitters.errors import InvalidParam, NotFound, ValidationFailed
from thuiszitters.escalation import lifecycle, spec
from thuiszitters.escalation.gate import done_on
from thuiszitters.escalation.terms import Terms
from thuiszitters.exports import builder
from thuiszitters.exports.models import ExportFile, ExportRun
from thuiszitters.extensions import db
from thuiszitters.reference.models import Gemeente, School, Swv

BATCH_SIZE = 2000

# The school board's reaction to a GPO oordeel: the export counts the oordelen it did not follow.
_FOLLOW_UP_FIELDS = ("follow_up", "follow_up_on")


def _export_step_fields() -> tuple[str, ...]:
    """The step columns the export needs, from the spec: each kind's start date and what "done" reads (its dates,
    its required values and the term it may lapse after), and the GPO follow-up. No free text and no school ever
    leave the database here.
    """
    names: dict[str, None] = {}
    for kind in spec.KINDS:
        names[kind.starts_on] = None
        names.update(dict.fromkeys((*kind.done.on, *kind.done.requires)))
        for term in kind.terms:
            if term.name == kind.done.lapses_after:
                names.update(dict.fromkeys(term.reads))
    names.update(dict.fromkeys(_FOLLOW_UP_FIELDS))
    return tuple(names)


# The step columns the export reads, as a plain tuple (fast attribute access, no ORM object).
_StepRow = namedtuple("_StepRow", ("case_id", "kind", *_export_step_fields()))
_STEP_COLUMNS = tuple(getattr(Step, name) for name in _StepRow._fields)
_STEP_START_INDEX = {kind.name: _StepRow._fields.index(kind.starts_on) for kind in spec.KINDS}


# --- Months ----------------------------------------------------------------------------------------------


def parse_month(month: str) -> str:
    """The month ``YYYY-MM`` as given, or ValidationFailed with a Dutch message."""
    try:
        parsing.parse_month(month)
    except parsing.ParseError as exc:
        raise ValidationFailed([InvalidParam(
            "month", exc.code, f"Ongeldige maand {month!r}: {exc.reason}",
        )]) from None
    return month


def previous_month(today: date) -> str:
    """The month before the one ``today`` falls in, as ``YYYY-MM``."""
    last_day = today.replace(day=1) - timedelta(days=1)
    return f"{last_day.year:04d}-{last_day.month:02d}"


# --- Reading cases ---------------------------------------------------------------------------------------


def step_done_on(step: object, month_end: date, case_terms: Terms) -> date | None:
    """The date a step became done (DOMAIN.md), as it stood at the end of ``month_end``; None if not done then.

    An aanmelding that got no decision is done the day after its decision term ran out.
    """
    done = done_on(step, case_terms)
    return done if done is not None and done <= month_end else None


def export_step(step: _StepRow, month_end: date, case_terms: Terms) -> builder.ExportStep | None:
    """One step row as the builder wants it; None for a step without a start date (nothing to report)."""
    index = _STEP_START_INDEX.get(step.kind)
    started_on = step[index] if index is not None else None
    if started_on is None:
        return None
    not_followed_on = step.follow_up_on if step.follow_up == spec.NOT_FOLLOWED else None
    return builder.ExportStep(kind=step.kind, started_on=started_on,
                              done_on=step_done_on(step, month_end, case_terms), not_followed_on=not_followed_on)


class Closure(NamedTuple):
    """How a case stood at a moment: closed (with its date, outcome and offer) or open (all None)."""

    closed_on: date | None
    outcome: str | None
    offer_started_on: date | None


OPEN = Closure(None, None, None)


def _new_value(changes: dict | None, name: str) -> object:
    value = (changes or {}).get(name)
    return value[1] if isinstance(value, list) and len(value) == 2 else None


def closure_at(events: list[tuple[str, datetime, dict | None]], month_end: date) -> Closure:
    """How a reopened case stood at ``month_end``, from its ``case.close`` and ``case.reopen`` events in order.

    A close counts from its ``closed_on`` (older events without it: the local date it was recorded), a reopen
    from the local date it was recorded. Before the first close the case was open.
    """
    state = OPEN
    for action, occurred_at, changes in events:
        outcome: str | None = None
        offer: date | None = None
        if action == "case.close":
            closed_on = _new_value(changes, "closed_on")
            found = _new_value(changes, "outcome")
            outcome = found if isinstance(found, str) else None
            offer_text = _new_value(changes, "offer_started_on")
            offer = date.fromisoformat(offer_text) if isinstance(offer_text, str) else None
            effective = date.fromisoformat(closed_on) if isinstance(closed_on, str) else to_local(occurred_at).date()
            if offer is not None and not lifecycle.is_offer(outcome):
                # Closed before outcomes told the truth (migration 0009): the date typed as the "offer" of an
                # exemption or a move is when it ended, which is its closing date now; it had no offer.
                effective, offer = offer, None
        else:
            effective = to_local(occurred_at).date()
        if effective > month_end:
            break
        state = Closure(effective, outcome, offer) if action == "case.close" else OPEN
    return state


def _reopened_histories() -> dict[int, list[tuple[str, datetime, dict | None]]]:
    """The close and reopen events of every case that was ever reopened (rare), in the order they happened."""
    reopened = select(AuditEvent.case_id).where(AuditEvent.action == "case.reopen").distinct()
    histories: dict[int, list[tuple[str, datetime, dict | None]]] = defaultdict(list)
    for case_id, action, occurred_at, changes in db.session.connection().execute(
        select(AuditEvent.case_id, AuditEvent.action, AuditEvent.occurred_at, AuditEvent.changes)
        .where(AuditEvent.action.in_(("case.close", "case.reopen")), AuditEvent.case_id.in_(reopened))
        .order_by(AuditEvent.id)
    ):
        histories[case_id].append((action, occurred_at, changes))
    return histories


def _case_batches(month: str, batch_size: int) -> Iterator[list[Row]]:
    year_start = builder.school_year_start(month)
    _first, month_end = builder.month_bounds(month)
    query = (
        select(
            Case.id, Swv.code.label("swv_code"), Gemeente.code.label("gemeente_code"),
            School.school_type, Case.absence_kind, Case.out_of_school_since, Case.return_deadline,
            Case.closed_on, Case.outcome, Case.offer_started_on, Pupil.date_of_birth, Case.created_at,
        )
        .join(Swv, Swv.id == Case.swv_id)
        .join(Gemeente, Gemeente.id == Case.gemeente_id)
        .join(Pupil, Pupil.id == Case.pupil_id)
        .outerjoin(School, School.id == Case.school_id)
        # Possibly in scope, or a signal at the month end; the builder makes the final call (anonymised cases
        # still count).
        .where(or_(Case.out_of_school_since <= month_end,
                   Case.created_at < local_midnight_utc(month_end + timedelta(days=1))),
               or_(Case.closed_on.is_(None), Case.closed_on >= year_start))
        .order_by(Case.id)
        .limit(batch_size)
    )
    # Core rows on the session's connection: no ORM identity map or object loading, same transaction.
    connection = db.session.connection()
    last_id = 0
    while True:
        rows = connection.execute(query.where(Case.id > last_id)).all()
        if not rows:
            return
        yield rows
        last_id = rows[-1].id


def export_cases(month: str, *, batch_size: int = BATCH_SIZE) -> Iterator[builder.ExportCase]:
    """Every case of every swv that may be in scope for ``month``, sorted by id, as `builder.ExportCase`.

    Two queries per batch (cases with their reference codes, then their steps); only one batch is held at a
    time. A case that was ever reopened is reported as it stood at the month's end, from its close and reopen
    events in the audit trail (read once up front; only the rare reopened cases), so rebuilding a past month after
    a reopen gives the same content.
    """
    _first, month_end = builder.month_bounds(month)
    case_terms = terms()
    reopened = _reopened_histories()
    for rows in _case_batches(month, batch_size):
        first_id, last_id = rows[0].id, rows[-1].id
        # A range on the indexed case_id instead of an IN list: no parameter limits, one index scan.
        steps: dict[int, list[builder.ExportStep]] = defaultdict(list)
        step_rows = db.session.connection().execute(
            select(*_STEP_COLUMNS).where(Step.case_id.between(first_id, last_id)).order_by(Step.case_id, Step.id)
        ).all()
        for step_row in map(_StepRow._make, step_rows):
            step = export_step(step_row, month_end, case_terms)
            if step is not None:
                steps[step_row.case_id].append(step)
        for (case_id, swv_code, gemeente_code, school_type, absence_kind, out_of_school_since, return_deadline,
             closed_on, outcome, offer_started_on, date_of_birth, created_at) in rows:
            if case_id in reopened:
                closed_on, outcome, offer_started_on = closure_at(reopened[case_id], month_end)
            # Only a case without a first day out of school by the month end can have been a signal then.
            created_on = (to_local(created_at).date()
                          if out_of_school_since is None or out_of_school_since > month_end else None)
            yield builder.ExportCase(
                case_id=case_id,
                swv_code=swv_code,
                gemeente_code=gemeente_code,
                school_type=school_type,
                absence_kind=absence_kind,
                out_of_school_since=out_of_school_since,
                return_deadline=return_deadline,
                closed_on=closed_on,
                reopened=case_id in reopened,
                birth_year=date_of_birth.year,
                outcome=outcome,
                offer_started_on=offer_started_on,
                steps=tuple(steps.get(case_id, ())),
                created_on=created_on,
            )


# --- Building and storing --------------------------------------------------------------------------------


def export_root() -> Path:
    return Path(current_app.config["EXPORT_DIR"])


def run_dir(run: ExportRun) -> Path:
    return export_root() / run.month


def _inspectie_key() -> bytes:
    key = current_app.config.get("INSPECTIE_KEY") or ""
    if not key:
        raise RuntimeError("INSPECTIE_KEY is not set: the inspectie export cannot be pseudonymised")
    return key.encode("utf-8")


def build_month_export(month: str, *, actor_id: int | None, now: datetime) -> ExportRun:
    """Build ``month``'s export into EXPORT_DIR/<month>/ and record it; a rebuild replaces the earlier one.

    Refuses a month that has not ended yet at ``now`` (its export would be incomplete). Writes the files,
    upserts the `ExportRun` with its `ExportFile` rows and the audit event, and flushes; the caller commits.
    """
    parse_month(month)
    _first_day, month_end = builder.month_bounds(month)
    if month_end >= to_local(now).date():
        raise ValidationFailed([InvalidParam(
            "month", "month_not_ended",
            f"De maand {month} is nog niet voorbij. Een export kan pas gemaakt worden na de laatste dag van de maand.",
        )])
    result = builder.build_export(export_cases(month), month=month, key=_inspectie_key(),
                                  out_dir=export_root() / month, terms=terms())
    run = db.session.scalar(select(ExportRun).where(ExportRun.month == month))
    rebuilt = run is not None
    if run is None:
        run = ExportRun(month=month)
        db.session.add(run)
    else:
        run.files.clear()
        db.session.flush()
    run.created_at = now
    run.case_count = result.case_count
    run.files.extend(ExportFile(name=f.name, sha256=f.sha256, size=f.size) for f in result.files)
    db.session.flush()
    record("export.build", actor_id=actor_id, activity=ACTIVITY_INSPECTIE, object_type="export_run",
           object_id=run.id, changes={"month": month, "caseCount": result.case_count, "rebuilt": rebuilt})
    return run


def _stored_intact(run: ExportRun) -> bool:
    directory = run_dir(run)
    return bool(run.files) and all(
        (directory / f.name).is_file() and (directory / f.name).stat().st_size == f.size for f in run.files
    )


def run_monthly_export(today: date) -> None:
    """The scheduler's monthly job (day 1, 06:00 Europe/Amsterdam): build the previous month, then commit.

    Safe to repeat: when that month is stored already with its files intact, nothing happens, so a second run
    or a catch-up after downtime never changes files the inspectie may have downloaded. Use the CLI to
    rebuild deliberately.
    """
    month = previous_month(today)
    run = db.session.scalar(select(ExportRun).where(ExportRun.month == month))
    if run is not None and _stored_intact(run):
        return
    build_month_export(month, actor_id=None, now=now_utc())
    db.session.commit()


def copy_export(run: ExportRun, out_dir: Path) -> list[Path]:
    """Copy a stored export's files into ``out_dir`` (created if needed); returns the written paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for file in run.files:
        target = out_dir / file.name
        shutil.copyfile(run_dir(run) / file.name, target)
        written.append(target)
    return written


# --- Listing and downloading -----------------------------------------------------------------------------


def list_runs() -> list[ExportRun]:
    """All stored exports, newest month first (a handful a year: no pagination needed)."""
    return list(db.session.scalars(select(ExportRun).order_by(ExportRun.month.desc())))


def open_for_download(month: str, file_name: str, *, actor_id: int | None) -> tuple[Path, ExportFile]:
    """The stored file ``file_name`` of ``month``'s export, and logs the download.

    Both names are checked against the database record, never used as a path on their own: an unknown
    month or a name that is not one of the run's files is NotFound.
    """
    try:
        parsing.parse_month(month)
    except parsing.ParseError:
        raise NotFound() from None
    run = db.session.scalar(select(ExportRun).where(ExportRun.month == month))
    file = next((f for f in run.files if f.name == file_name), None) if run is not None else None
    if run is None or file is None:
        raise NotFound()
    path = run_dir(run) / file.name
    if not path.is_file():
        raise NotFound("Dit exportbestand is niet meer beschikbaar op de server. Neem contact op met beheer.")
    record("export.download", actor_id=actor_id, activity=ACTIVITY_INSPECTIE, object_type="export_file",
           object_id=file.id, changes={"month": run.month, "file": file.name})
    return path, file
