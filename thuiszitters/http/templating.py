"""What every template may use: Dutch dates (the formats themselves live in thuiszitters.text), today, and the menu
(from thuiszitters.permissions)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask

from thuiszitters.clock import to_local, today
from thuiszitters.permissions import menu, shows_case_search
from thuiszitters.text import DATETIME_FORMAT, days_ago, format_date_nl
from thuiszitters.text import format_date_long as _format_date_long


def format_date(value: date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return to_local(value).strftime(DATETIME_FORMAT)
    return format_date_nl(value)


def format_date_long(value: date | None) -> str:
    if value is None:
        return "—"
    return _format_date_long(value)


def _globals() -> dict[str, Any]:
    return {"today": today(), "fmt_date": format_date}


def init_app(app: Flask) -> None:
    app.context_processor(_globals)
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["date_long"] = format_date_long
    app.jinja_env.globals["menu"] = menu
    app.jinja_env.filters["days_ago"] = days_ago
    app.jinja_env.globals["shows_case_search"] = shows_case_search
