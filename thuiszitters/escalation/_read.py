"""Reading a step's fields by name.

Steps are duck-typed (the ORM model, an export row, a form's values, a ``SimpleNamespace`` in a test). The
single-table model carries the fields of every kind, but other objects may carry only those of their own kind, so
fields are read with a ``None`` default.
"""
from __future__ import annotations

from datetime import date


def value(step: object, name: str) -> object:
    return getattr(step, name, None)


def date_value(step: object, name: str) -> date | None:
    found = getattr(step, name, None)
    return found if isinstance(found, date) else None


def kind_of(step: object) -> str | None:
    return getattr(step, "kind", None)
