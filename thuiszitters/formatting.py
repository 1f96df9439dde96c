"""Display helpers for templates: Dutch date formats and labels."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from thuiszitters.clock import to_local

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")


def format_date(value: date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = to_local(value)
        return value.strftime("%d-%m-%Y %H:%M")
    return value.strftime("%d-%m-%Y")


def format_date_long(value: date | None) -> str:
    if value is None:
        return "—"
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["date_long"] = format_date_long
