"""Optimistic locking for every versioned model, in one place.

A model opts in with SQLAlchemy's version counter (``__mapper_args__ = {"version_id_col": version}``) and tells
this module how to describe what changed since a version (``explain_changes_with``). Then:

* ``check_version(obj, expected)`` refuses a change based on an old version before anything is touched
  (``VersionRequired`` without a version, ``StaleVersion`` with the other person's changes otherwise);
* two saves that both passed that check at the same moment are settled by the database: the second UPDATE
  matches no row (``StaleDataError``), or on PostgreSQL a lock or serialization conflict is reported. The
  session's ``flush`` turns either into the same ``StaleVersion``, with the version now stored, so every caller
  (API, web form, CLI) answers a lost race exactly like a stale edit, and nothing was written.

A new versioned model (a casework sub-resource) gets all of this by declaring its version column and its
history; tests/web/test_racing_writes.py checks that every versioned model has one.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import inspect, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.exc import StaleDataError

from thuiszitters.errors import ConcurrentWrite, NotFound, StaleVersion, VersionRequired

# (session, primary key of the object, the version the refused change was based on) -> what others changed since,
# as StaleVersion.changes: [{"action", "actor", "at", "changes"}], oldest first.
History = Callable[[Session, tuple[Any, ...], int], list[dict[str, Any]]]
_HISTORIES: dict[type, History] = {}
# How a refusal names a model other than the case ("dit journaalbericht"): (stale detail, stale title, a change
# without a version). A model without wording is spoken of as the case (errors.StaleVersion's default).
_WORDING: dict[type, tuple[str, str, str]] = {}

# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
_PG_CONFLICTS = frozenset({"40001", "40P01", "55P03"})
_SQLITE_BUSY = 5


def explain_changes_with(model: type, history: History, *, called: str | None = None) -> None:
    """Register how a versioned model lists the changes made after a given version; `called` names one object
    of the model in a refusal ("dit journaalbericht"), when it is not the case itself."""
    _HISTORIES[model] = history
    if called:
        _WORDING[model] = (
            f"Iemand anders heeft {called} intussen gewijzigd. Uw wijziging is niet opgeslagen.",
            f"{called[0].upper()}{called[1:]} is intussen gewijzigd",
            f"Stuur de versie van {called} mee (If-Match, de ETag) om een wijziging te doen.",
        )


def _wording(mapper: Mapper[Any]) -> tuple[str, str, str] | None:
    return next((_WORDING[cls] for cls in mapper.class_.__mro__ if cls in _WORDING), None)


def stale(mapper: Mapper[Any], version: int, changes: list[dict[str, Any]]) -> StaleVersion:
    """The refusal of a change to an object of `mapper`'s model that was based on an older version."""
    wording = _wording(mapper)
    if wording is None:
        return StaleVersion(version, changes)
    return StaleVersion(version, changes, detail=wording[0], title=wording[1])


def has_history(model: type) -> bool:
    return model in _HISTORIES


def _version_key(mapper: Mapper[Any]) -> str | None:
    column = mapper.version_id_col
    return None if column is None else mapper.get_property_by_column(column).key


def current_version(obj: Any) -> int:
    state = inspect(obj)
    key = _version_key(state.mapper)
    if key is None:
        raise TypeError(f"{type(obj).__name__} has no version counter")
    return getattr(obj, key)


def check_version(obj: Any, expected: int | None) -> None:
    """Refuse a change to `obj` that was based on `expected` if `obj` is now at another version."""
    state = inspect(obj)
    if expected is None:
        wording = _wording(state.mapper)
        raise VersionRequired(wording[2] if wording else None)
    version = current_version(obj)
    if version != expected:
        assert state.session is not None and state.identity is not None
        raise stale(state.mapper, version, _changes(state.session, state.mapper, state.identity, expected))


def _changes(session: Session, mapper: Mapper[Any], identity: tuple[Any, ...], version: int) -> list[dict[str, Any]]:
    history = next((_HISTORIES[cls] for cls in mapper.class_.__mro__ if cls in _HISTORIES), None)
    return history(session, identity, version) if history is not None else []


def is_write_conflict(exc: BaseException) -> bool:
    """A database error that means "someone else is writing the same rows", not a bug."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _PG_CONFLICTS:
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == _SQLITE_BUSY


Pending = tuple[Mapper[Any], tuple[Any, ...], int]


def _pending_versions(session: Session) -> list[Pending]:
    """The versioned objects this flush is about to update or delete, with the version they were loaded at."""
    pending = []
    for obj in (*session.dirty, *session.deleted):
        state = inspect(obj)
        key = _version_key(state.mapper)
        if key is not None and state.identity is not None and key in state.dict:
            pending.append((state.mapper, state.identity, state.dict[key]))
    return pending


def explain_conflict(session: Session, pending: list[Pending]) -> Exception:
    """Why the database refused this session's write: the first object whose stored version moved on.

    Reads through a separate session: the refused transaction is left alone for the caller to roll back.
    """
    reader = Session(bind=session.get_bind())
    try:
        for mapper, identity, expected in pending:
            version_column = mapper.version_id_col
            assert version_column is not None
            where = [column == value for column, value in zip(mapper.primary_key, identity, strict=True)]
            stored = reader.execute(select(version_column).where(*where)).scalar_one_or_none()
            if stored is None:
                return NotFound()
            if stored != expected:
                return stale(mapper, stored, _changes(reader, mapper, identity, expected))
        return ConcurrentWrite()
    finally:
        reader.close()


class VersionedSession(FlaskSession):
    """``db.session``: a flush that loses a race on a versioned row raises StaleVersion, not a database error."""

    def flush(self, objects: Any = None) -> None:
        pending = _pending_versions(self)
        try:
            super().flush(objects)
        except StaleDataError as exc:
            raise explain_conflict(self, pending) from exc
        except DBAPIError as exc:
            if not pending or not is_write_conflict(exc):
                raise
            raise explain_conflict(self, pending) from exc
