"""How dates and times read in Dutch, in one place: the time zone, the date formats, the month names.

Pure (no Flask, no database): the clock, the template filters, the forms, the rules' messages, the PDF and the API
all format through here, so "dd-mm-yyyy" and "Europe/Amsterdam" are each written once.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# Every local date of the domain (DOMAIN.md: "All dates are local dates in Europe/Amsterdam").
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# How Dutch users read and write a date: 07-03-2025.
DATE_FORMAT = "%d-%m-%Y"
# A moment shown to a user, in Amsterdam time: 07-03-2025 14:05.
DATETIME_FORMAT = f"{DATE_FORMAT} %H:%M"
# What a date box or the API accepts is read by thuiszitters.parsing (exact shapes, ASCII digits, 1900-2999).
# A moment in the API, logs and files: ISO 8601 in UTC with Z.
UTC_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")


def format_date_nl(value: date) -> str:
    """``dd-mm-yyyy``: how Dutch users read dates in sentences, alerts, forms and PDFs."""
    return value.strftime(DATE_FORMAT)


def format_local_datetime(moment: datetime) -> str:
    """``dd-mm-yyyy HH:MM`` in Europe/Amsterdam. Naive datetimes are refused: their zone is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {moment!r}")
    return moment.astimezone(AMSTERDAM).strftime(DATETIME_FORMAT)


def format_date_long(value: date) -> str:
    """``7 maart 2025``: dates in running text and headings."""
    return f"{value.day} {MONTHS_NL[value.month - 1]} {value.year}"


def month_abbreviation(month: int) -> str:
    """``mrt``-style short month name (the first three letters), for chart axes."""
    return MONTHS_NL[month - 1][:3]


def utc_timestamp(moment: datetime) -> str:
    """An aware moment as ISO 8601 in UTC with ``Z`` (the API's and the log's timestamps)."""
    return moment.astimezone(UTC).strftime(UTC_TIMESTAMP_FORMAT)


def days_ago(days: int) -> str:
    """How long ago something happened, in whole days: "vandaag", "1 dag geleden", "12 dagen geleden"."""
    if days <= 0:
        return "vandaag"
    return f"{days} dag geleden" if days == 1 else f"{days} dagen geleden"
