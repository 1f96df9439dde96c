"""Dutch dates, written once (thuiszitters.text)."""

from datetime import date

from thuiszitters import text

D = date


def test_format_date_nl() -> None:
    assert text.format_date_nl(D(2025, 3, 7)) == "07-03-2025"
