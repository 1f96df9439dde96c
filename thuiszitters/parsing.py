"""Strict parsing of numbers and dates that people and programs send us. Pure: no Flask, no database.

Every edge (the JSON API, query strings, form fields, headers, CLI options, settings) reads numbers and dates
through these functions, so they all accept exactly the same text and refuse the rest with the same code:

* Digits are ASCII only. ``str.isdigit()`` and ``int()`` also accept other scripts ("²", "٣", "３") and
  ``int()`` refuses more than 4,300 digits with an exception; both used to end in a 500.
* A date is one of a few exact shapes (``YYYY-MM-DD`` for machines), then a real calendar check. Python's
  ``date.fromisoformat`` is more generous (week dates "2026-W40-1", "20261001") than our contract allows.
* Years before 1900 are refused: no pupil or step in this system is that old, so such a year is a typing error.
  Years after 2999 are refused too: nothing here is planned that far ahead, and the deadline rules add weeks and
  months to a date, which overflowed Python's calendar (a 500) for a date such as 9999-12-31.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MIN_YEAR = 1900
MAX_YEAR = 2999


class ParseError(ValueError):
    """Text that is not a value of the expected kind: a stable `code` and a Dutch `reason` for the user."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


# --- whole numbers ----------------------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")

# Deeper than any real list goes, and far below what a database OFFSET can hold.
MAX_PAGE = 100_000


def ascii_digits(text: str) -> bool:
    """True for a non-empty text of the digits 0-9 only (``str.isdigit`` also says yes to "²" and "٣")."""
    return isinstance(text, str) and _DIGITS.fullmatch(text) is not None


def whole_number(text: str, *, minimum: int, maximum: int, name: str = "Dit getal") -> int:
    """A whole number written in ASCII digits (no sign, no spaces) from `minimum` up to `maximum`."""
    too_many = len(str(maximum)) + 1  # refuse a long text before int() has to read it
    if not isinstance(text, str) or len(text) > too_many or not _DIGITS.fullmatch(text):
        raise ParseError("invalid_integer", f"{name} moet een geheel getal van {minimum} tot en met {maximum} zijn.")
    value = int(text)
    if not minimum <= value <= maximum:
        raise ParseError("out_of_range", f"{name} moet een geheel getal van {minimum} tot en met {maximum} zijn.")
    return value


# Database ids are 32-bit (see http.inputs.IdConverter for the same bound on URLs).
MAX_ID = 2**31 - 1


def record_id(text: str) -> int | None:
    """A database id written as text (a form field, a value kept in the session), or None if it is none."""
    try:
        return whole_number(text, minimum=1, maximum=MAX_ID)
    except ParseError:
        return None


def page_number(text: str, name: str = "page") -> int:
    """A page of a list (``?page=``): 1 up to MAX_PAGE."""
    return whole_number(text, minimum=1, maximum=MAX_PAGE, name=name)


# --- dates ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateFormat:
    """The exact shapes a date may be written in (named groups year, month, day) and what to say otherwise."""

    patterns: tuple[re.Pattern[str], ...]
    unreadable: str  # Dutch: how to write the date
    nonexistent: str  # Dutch: the date fits the shape but is not on the calendar (31-02)


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.ASCII)


_ISO = _pattern(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")

# The API, query parameters, CLI options and settings: exactly YYYY-MM-DD.
ISO_DATE = DateFormat(
    patterns=(_ISO,),
    unreadable="Verwacht een datum als JJJJ-MM-DD.",
    nonexistent="Deze datum bestaat niet.",
)

# The web forms: the ways Dutch users type a date (15-09-2026, 1-9-2026, 15/09/2026), and ISO as a browser
# date picker or a paste from another system writes it.
FORM_DATE = DateFormat(
    patterns=(
        _pattern(r"(?P<day>[0-9]{1,2})-(?P<month>[0-9]{1,2})-(?P<year>[0-9]{4})"),
        _pattern(r"(?P<day>[0-9]{1,2})/(?P<month>[0-9]{1,2})/(?P<year>[0-9]{4})"),
        _ISO,
    ),
    unreadable="Deze datum bestaat niet of is niet goed geschreven. Schrijf de datum als dag-maand-jaar, "
               "bijvoorbeeld 15-09-2026.",
    nonexistent="Deze datum bestaat niet of is niet goed geschreven. Schrijf de datum als dag-maand-jaar, "
                "bijvoorbeeld 15-09-2026.",
)

YEAR_BEFORE_MIN = (
    "year_before_1900",
    f"Een jaar vóór {MIN_YEAR} kan hier niet kloppen. Controleer het jaartal (vier cijfers, bijvoorbeeld 2026).",
)
YEAR_AFTER_MAX = (
    "year_after_2999",
    f"Een jaar na {MAX_YEAR} kan hier niet kloppen. Controleer het jaartal (vier cijfers, bijvoorbeeld 2026).",
)


def _check_year(year: int) -> None:
    if year < MIN_YEAR:
        raise ParseError(*YEAR_BEFORE_MIN)
    if year > MAX_YEAR:
        raise ParseError(*YEAR_AFTER_MAX)


def parse_date(text: str, fmt: DateFormat = ISO_DATE) -> date:
    """The date `text` stands for, written exactly in one of `fmt`'s shapes, on the calendar, from 1900 to 2999."""
    match = None
    if isinstance(text, str):
        match = next((m for m in (p.fullmatch(text) for p in fmt.patterns) if m is not None), None)
    if match is None:
        raise ParseError("invalid_date", fmt.unreadable)
    year, month, day = (int(match.group(part)) for part in ("year", "month", "day"))
    _check_year(year)
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError("invalid_date", fmt.nonexistent) from None


def parse_month(text: str) -> tuple[int, int]:
    """A month written exactly as ``YYYY-MM`` (1900 to 2999) as (year, month)."""
    match = _pattern(r"(?P<year>[0-9]{4})-(?P<month>0[1-9]|1[0-2])").fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ParseError("invalid_month", "Verwacht een maand als JJJJ-MM, bijvoorbeeld 2026-10.")
    year = int(match.group("year"))
    _check_year(year)
    return year, int(match.group("month"))
