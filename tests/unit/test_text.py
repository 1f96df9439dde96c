"""Dutch dates, written once (thuiszitters.text)."""

from datetime import date

from thuiszitters import text

D = date


def test_format_date_nl() -> None:
    assert text.format_date_nl(D(2025, 3, 7)) == "07-03-2025"


def test_days_ago_says_vandaag_and_counts_one_day_in_the_singular():
    assert text.days_ago(0) == "vandaag"
    assert text.days_ago(1) == "1 dag geleden"
    assert text.days_ago(12) == "12 dagen geleden"
