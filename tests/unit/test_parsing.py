"""Strict numbers and dates: what every edge (API, query strings, forms, headers, CLI, settings) accepts."""
from __future__ import annotations

from datetime import date

import pytest

from thuiszitters.parsing import FORM_DATE, ISO_DATE, ParseError, parse_date, parse_month, whole_number

ODD_DIGITS = ["²", "٣", "３", "𝟑", "৩", "¹²", "1²", "Ⅻ", "½"]


@pytest.mark.parametrize(("text", "expected"), [("1", 1), ("50", 50), ("100", 100), ("007", 7)])
def test_whole_numbers_in_ascii_digits_are_read(text, expected):
    assert whole_number(text, minimum=1, maximum=100) == expected


@pytest.mark.parametrize("text", [
    *ODD_DIGITS, "", " 1", "1 ", "+1", "-1", "1.0", "1e2", "0x10", "1_0", "١٠", "10\n", "\x001",
    "9" * 5000, "99999999999999999999",
])
def test_anything_else_is_a_parse_error_never_another_exception(text):
    with pytest.raises(ParseError) as refused:
        whole_number(text, minimum=1, maximum=100_000)
    assert refused.value.code in {"invalid_integer", "out_of_range"}
    assert "geheel getal" in refused.value.reason


@pytest.mark.parametrize("text", ["0", "101"])
def test_numbers_outside_the_range_are_refused_as_out_of_range(text):
    with pytest.raises(ParseError) as refused:
        whole_number(text, minimum=1, maximum=100)
    assert refused.value.code == "out_of_range"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-10-01", date(2026, 10, 1)), ("2028-02-29", date(2028, 2, 29)), ("1900-01-01", date(1900, 1, 1)),
    ("2999-12-31", date(2999, 12, 31)),
])
def test_iso_dates_are_read(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "2026-W40-1", "2026W401", "20261001", "20261001xx", "2026-10-01x", " 2026-10-01", "2026-10-01 ", "2026-10-1",
    "2026-1-01", "26-10-01", "02026-10-01", "2026/10/01", "01-10-2026", "2026-10-01T00:00", "2026-274",
    "２０２６-１０-０１", "٢٠٢٦-١٠-٠١", "2026-1０-01", "2026-10-01\n", "", "morgen", "+2026-10-01",
])
def test_iso_dates_must_be_exactly_yyyy_mm_dd_in_ascii_digits(text):
    with pytest.raises(ParseError) as refused:
        parse_date(text)
    assert (refused.value.code, refused.value.reason) == ("invalid_date", "Verwacht een datum als JJJJ-MM-DD.")


@pytest.mark.parametrize("text", ["2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-10-00"])
def test_dates_that_are_not_on_the_calendar_are_refused(text):
    with pytest.raises(ParseError) as refused:
        parse_date(text)
    assert (refused.value.code, refused.value.reason) == ("invalid_date", "Deze datum bestaat niet.")


@pytest.mark.parametrize("text", ["0272-05-01", "0001-01-01", "0000-01-01", "1899-12-31"])
def test_years_before_1900_are_refused_with_their_own_code_and_reason(text):
    with pytest.raises(ParseError) as refused:
        parse_date(text)
    assert refused.value.code == "year_before_1900"
    assert "1900" in refused.value.reason and "jaartal" in refused.value.reason


@pytest.mark.parametrize("text", ["3000-01-01", "9999-12-31"])
def test_years_after_2999_are_refused_too_as_no_rule_can_count_from_them(text):
    with pytest.raises(ParseError) as refused:
        parse_date(text)
    assert refused.value.code == "year_after_2999"
    assert "2999" in refused.value.reason and "jaartal" in refused.value.reason


@pytest.mark.parametrize(("text", "expected"), [
    ("15-09-2026", date(2026, 9, 15)), ("1-9-2026", date(2026, 9, 1)), ("15/09/2026", date(2026, 9, 15)),
    ("2026-09-15", date(2026, 9, 15)),
])
def test_form_dates_are_read_the_ways_dutch_users_type_them(text, expected):
    assert parse_date(text, FORM_DATE) == expected


@pytest.mark.parametrize("text", [
    "١٥-٠٩-٢٠٢٦", "１５-０９-２０２６", "15-09-26", "15-09-02026", "15.09.2026", "15-09-2026x", "2026-W38-2",
    "20260915", "15 september 2026", "115-09-2026",
])
def test_form_dates_refuse_other_digits_and_shapes(text):
    with pytest.raises(ParseError) as refused:
        parse_date(text, FORM_DATE)
    assert refused.value.code == "invalid_date"
    assert refused.value.reason.startswith("Deze datum bestaat niet")


def test_form_dates_refuse_old_years_too():
    with pytest.raises(ParseError) as refused:
        parse_date("01-05-0272", FORM_DATE)
    assert refused.value.code == "year_before_1900"


def test_iso_is_one_of_the_form_shapes_and_the_two_formats_only_differ_in_shapes_and_words():
    assert set(ISO_DATE.patterns) <= set(FORM_DATE.patterns)


@pytest.mark.parametrize(("text", "expected"), [("2026-10", (2026, 10)), ("1900-01", (1900, 1))])
def test_months_are_yyyy_mm(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(("text", "code"), [
    ("2026-13", "invalid_month"), ("２０２６-10", "invalid_month"), ("2026-1", "invalid_month"),
    ("202610", "invalid_month"), ("0272-01", "year_before_1900"), ("9999-12", "year_after_2999"),
])
def test_other_months_are_refused(text, code):
    with pytest.raises(ParseError) as refused:
        parse_month(text)
    assert refused.value.code == code
